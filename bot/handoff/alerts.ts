/**
 * @module bot/handoff/alerts
 * Off-platform alerts and the clockwork of the queue. A new request texts the on-call numbers
 * (outside office hours only when urgent, the rest at opening); a request left unclaimed for
 * HANDOFF_ESCALATE_MINUTES of office time texts the coordinators; a chat whose holder went
 * offline while the participant waits goes back to the queue; stale handoffs expire to the bot.
 * Alerts are capped (alert-caps.ts): one SMS covers every request due the same alert and says
 * how many more are waiting, and what the cap holds back goes in the next one.
 */
import { openHandoffs } from '../store/handoffs.js'
import type { Handoff } from '../store/schema.js'
import { pruneSessions, staffByPhone } from '../store/staff.js'
import { aliasCode } from './alias.js'
import type { DeskCore } from './desk.js'
import type { createCaps } from './alert-caps.js'
import { applyEvent } from './machine.js'

type Caps = ReturnType<typeof createCaps>

const MINUTE = 60_000

export function createAlerts(core: DeskCore, caps: Caps) {
  const { store, settings, presence, clock } = core
  const hours = settings.officeHours
  const t = () => core.translate.console(settings.staffLanguage)

  /** Waiting counts at once when urgent, otherwise from the first office hour after queueing. */
  const countsFrom = (h: Handoff): Date | undefined =>
    h.urgent ? new Date(h.queuedAt) : hours.nextOpening(new Date(h.queuedAt))

  const coordinatorPhones = () => {
    const phones = Object.values(store.data.staff)
      .filter((s) => s.role !== 'volunteer' && !s.disabled && s.phone)
      .map((s) => s.phone!)
    return phones.length > 0 ? phones : settings.HANDOFF_ONCALL
  }

  /** Texts each number; a staff member's phone also learns how to take the chat by reply. */
  const text = async (numbers: string[], body: string, h: Handoff) => {
    const hint = t()('alert.claimHint', { code: aliasCode(h.participantId) })
    for (const to of numbers) {
      await core.deliverSms(to, staffByPhone(store, to) ? `${body} ${hint}` : body)
    }
  }

  /** Minutes `h` has waited at `now`, if it is in the queue and counts as waiting yet. */
  const waitedAt = (h: Handoff, now: Date): number | undefined => {
    if (h.state !== 'requested' && h.state !== 'transferred') return undefined
    const start = countsFrom(h)
    if (!start || start > now || !(h.urgent || hours.isOpen(now))) return undefined
    return Math.floor((now.getTime() - start.getTime()) / MINUTE)
  }
  const dueOnCall = (h: Handoff, now: Date) =>
    h.state === 'requested' && !h.notifiedAt && waitedAt(h, now) !== undefined
  const dueEscalation = (h: Handoff, now: Date) =>
    !h.escalatedAt && (waitedAt(h, now) ?? -1) >= settings.HANDOFF_ESCALATE_MINUTES

  /** `h` first, then every other request due the same alert: one SMS tells of them all. */
  const batchOf = (h: Handoff, due: (o: Handoff) => boolean) => [
    h,
    ...openHandoffs(store).filter((o) => o.id !== h.id && due(o)),
  ]
  const withMore = (body: string, more: number) =>
    more > 0 ? `${body} ${t()('alert.more', { count: more })}` : body

  /** Urgent chats past the caps (alert-caps.ts): in the next alert, or alone once alerts are quiet. */
  const held = new Set<string>()
  const mayStart = (h: Handoff, kind: 'oncall', now: Date) =>
    !held.has(h.id) || caps.quiet(kind, now)

  /** Sends whatever alert `h` is due at `now`, unless the alerts are used up for now. */
  async function check(h: Handoff, now: Date): Promise<void> {
    const waited = waitedAt(h, now)
    if (waited === undefined) return
    const vars = {
      alias: t()('participant.alias', { code: aliasCode(h.participantId) }),
      channel: t()(`channel.${h.channel}`),
      url: settings.consoleUrl,
      kind: t()(`crisis.kind.${h.crisis?.kinds[0] ?? 'suicide'}`),
    }
    if (dueOnCall(h, now) && mayStart(h, 'oncall', now) && caps.alert('oncall', now)) {
      const batch = batchOf(h, (o) => dueOnCall(o, now))
      for (const o of batch) {
        held.delete(o.id)
        store.edit('handoffs', o.id, () => void (o.notifiedAt = now.toISOString()))
      }
      const body = t()(h.urgent ? 'alert.urgent' : 'alert.new', vars)
      await text(settings.HANDOFF_ONCALL, withMore(body, batch.length - 1), h)
      core.logger.info('handoff.oncall_alerted', { handoff: h.id, requests: batch.length })
    }
    if (dueEscalation(h, now) && caps.alert('escalate', now)) {
      const batch = batchOf(h, (o) => dueEscalation(o, now))
      for (const o of batch)
        store.edit('handoffs', o.id, () => void (o.escalatedAt = now.toISOString()))
      core.changed()
      const body = t()('alert.unclaimed', { ...vars, minutes: waited })
      await text(coordinatorPhones(), withMore(body, batch.length - 1), h)
      core.logger.warn('handoff.escalated', { handoff: h.id, waited, requests: batch.length })
    }
    // No flush of its own: each SMS is flushed by the outbox, the marks by the caller's turn or tick.
  }

  /** True (and expired) when nobody took it, or nobody wrote, for HANDOFF_IDLE_HOURS. */
  function expireIfStale(h: Handoff, now: Date): boolean {
    const since =
      h.state === 'claimed' ? new Date(h.lastActivityAt) : (countsFrom(h) ?? new Date(h.queuedAt))
    if (now.getTime() - since.getTime() <= settings.HANDOFF_IDLE_HOURS * 60 * MINUTE) return false
    store.edit('handoffs', h.id, () => {
      applyEvent(h, 'expire', 'system', now)
      h.outcome = 'expired'
    })
    // Nobody is waiting for this one: at night it waits for the morning.
    core.background(core.tell(h, 'handoff.expired', { quiet: true }))
    return true
  }

  /** Never leave a participant with someone who has gone: back to the queue after a while. */
  function releaseIfAbandoned(h: Handoff, now: Date): void {
    if (h.state !== 'claimed' || !h.assignee || !h.waitingSince) return
    if (presence.isOnline(h.assignee, now)) return
    const waited = now.getTime() - new Date(h.waitingSince).getTime()
    if (waited < settings.HANDOFF_ESCALATE_MINUTES * MINUTE) return
    store.edit('handoffs', h.id, () => {
      applyEvent(h, 'release', 'system', now, 'holder offline')
      requeue(h, now)
    })
  }

  /** A transfer to someone who has gone becomes a transfer to the first free coordinator. */
  function retargetIfAway(h: Handoff, now: Date): void {
    if (h.state !== 'transferred' || !h.transferTo || presence.isOnline(h.transferTo, now)) return
    store.edit('handoffs', h.id, () => {
      applyEvent(h, 'transfer', 'system', now, 'target offline')
      delete h.transferTo
    })
  }

  async function tick(now: Date = clock()): Promise<void> {
    for (const h of openHandoffs(store)) {
      if (expireIfStale(h, now)) continue
      releaseIfAbandoned(h, now)
      retargetIfAway(h, now)
      await check(h, now)
    }
    pruneSessions(store, now)
    // Ended handoffs are removed by the retention job (HANDOFF_RETENTION_DAYS), not here.
    await store.flush()
    core.changed()
  }

  return { check, tick, hold: (id: string) => void held.add(id) }
}

/** Puts a handoff back in the queue as if new: waiting and alerts count again from `now`. */
export function requeue(h: Handoff, now: Date): void {
  delete h.assignee
  delete h.notifiedAt
  delete h.escalatedAt
  h.queuedAt = now.toISOString()
}
