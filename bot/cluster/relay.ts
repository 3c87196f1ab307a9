/**
 * @module bot/cluster/relay
 * The console's live views on several instances: a change on one (a handoff claimed, a campaign
 * message sent) is published once it is durable, and each other instance takes in the data and
 * then tells its own open streams, so a page shows it whichever instance serves it. Changes are
 * gathered for a moment first: a campaign's thousands of sends are a few notices, not thousands.
 */
import type { Logger } from '../logger.js'
import type { Cluster } from './cluster.js'

/** How long changes are gathered before one notice goes out. */
const GATHER_MS = 25

type Desk = {
  changed(handoffId?: string): void
  subscribe(listener: (change: { handoffId?: string }) => void): () => void
}
type Reminders = { changed(): void; subscribe(listener: () => void): () => void }
type Presence = {
  touch(staffId: string, now: Date): void
  connect(staffId: string, now: Date): () => void
  leave(staffId: string): void
  streaming(): string[]
}

/** How often an instance tells the others who has a live console open on it. */
const PRESENCE_MS = 60_000

export function relayChanges(
  cluster: Cluster,
  /** Makes what changed durable (the other instances read it from the database). */
  flush: () => Promise<void>,
  desk: Desk,
  reminders: Reminders,
  logger: Logger
): void {
  if (!cluster.shared) return
  let relaying = false
  const tell = (work: () => void) => {
    relaying = true
    try {
      work()
    } finally {
      relaying = false
    }
  }

  /** The handoffs changed since the last notice; '' stands for the whole queue. */
  const handoffs = new Set<string>()
  let remindersChanged = false
  let timer: NodeJS.Timeout | undefined
  const send = async () => {
    timer = undefined
    const ids = [...handoffs]
    const plans = remindersChanged
    handoffs.clear()
    remindersChanged = false
    await flush()
    if (ids.length > 0) await cluster.publish('desk', ids.length > 20 ? '' : ids.join(' '))
    if (plans) await cluster.publish('reminders', '')
  }
  const soon = () => {
    timer ??= setTimeout(
      () => void send().catch((error: unknown) => logger.warn('cluster.relay_failed', { error })),
      GATHER_MS
    )
  }
  desk.subscribe(({ handoffId }) => {
    if (relaying) return
    handoffs.add(handoffId ?? '')
    soon()
  })
  reminders.subscribe(() => {
    if (relaying) return
    remindersChanged = true
    soon()
  })

  cluster.subscribe('desk', (payload) => {
    void cluster.refresh().then(() => {
      const ids = payload.split(' ')
      tell(() => {
        if (ids.includes('')) desk.changed()
        else for (const id of ids) desk.changed(id)
      })
    })
  })
  cluster.subscribe('reminders', () => {
    void cluster.refresh().then(() => tell(() => reminders.changed()))
  })
}

/**
 * Who is at the console, whichever instance they use: requests, logouts and (every minute) open
 * live connections are told to the others, which count them as a recent request (presence.ts
 * keeps one "here" for three minutes). The leader's alerts then know a volunteer is here.
 */
export function sharePresence(cluster: Cluster, presence: Presence, clock: () => Date): void {
  if (!cluster.shared) return
  const publish = (payload: string) => void cluster.publish('presence', payload).catch(() => {})
  const { touch, leave, connect } = presence
  /** The last time each one's request was told, so a busy console is one notice a minute. */
  const told = new Map<string, number>()
  presence.touch = (staffId, now) => {
    touch(staffId, now)
    if (now.getTime() - (told.get(staffId) ?? 0) < PRESENCE_MS) return
    told.set(staffId, now.getTime())
    publish(`touch ${staffId}`)
  }
  presence.connect = (staffId, now) => {
    const close = connect(staffId, now)
    told.set(staffId, now.getTime())
    publish(`touch ${staffId}`)
    return close
  }
  presence.leave = (staffId) => {
    leave(staffId)
    told.delete(staffId)
    publish(`leave ${staffId}`)
  }
  setInterval(() => {
    for (const id of presence.streaming()) publish(`touch ${id}`)
  }, PRESENCE_MS).unref()
  cluster.subscribe('presence', (payload) => {
    const [kind, staffId] = payload.split(' ') as [string, string]
    if (kind === 'touch') touch(staffId, clock())
    else if (kind === 'leave') leave(staffId)
  })
}
