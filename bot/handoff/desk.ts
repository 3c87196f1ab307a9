/**
 * @module bot/handoff/desk
 * The handoff desk: what the bot asks of it (open a request, pass a message on, end it) and what
 * the console asks of it (claim, reply, transfer, close), over the store, with a change feed the
 * console's live views listen to. Time comes from the injected clock; `tick(now)` runs the alerts
 * and expiry and is called on a timer by main.ts.
 */
import { EventEmitter } from 'node:events'
import type { Availability, HandoffServices } from '../../dialogs/scope.js'
import type { ConsoleTranslate, Language, Translate } from '../i18n.js'
import type { Logger } from '../logger.js'
import { isQuiet, nextAllowed, type QuietHours } from '../reminders/quiet-hours.js'
import type { SmsDelivery } from '../outbound.js'
import type { AuditLog } from '../store/audit.js'
import type { CrisisSignal } from '../../dialogs/crisis.js'
import { createHandoff, openHandoffOf } from '../store/handoffs.js'
import type { Handoff, Participant, StaffAccount } from '../store/schema.js'
import { hasLiveSession } from '../store/staff.js'
import type { Store } from '../store/store.js'
import type { TranscriptLog } from '../store/transcripts.js'
import { createCaps } from './alert-caps.js'
import type { BeforeChat } from './before-chat.js'
import { createAlerts } from './alerts.js'
import { applyEvent } from './machine.js'
import { createPresence, type Presence } from './presence.js'
import { claimBySms } from './sms-claim.js'
import type { HandoffSettings } from './settings.js'
import { staffActions } from './staff-actions.js'

export type DeskDeps = {
  store: Store
  transcripts: TranscriptLog
  audit: AuditLog
  settings: HandoffSettings
  translate: ((language: Language) => Translate) & {
    console: (language: Language) => ConsoleTranslate
  }
  clock: () => Date
  newId: (prefix: string) => string
  logger: Logger
  deliverSms: SmsDelivery
  sendProactive: (
    participantId: string,
    text: string,
    by?: string,
    notBefore?: Date
  ) => Promise<boolean>
  /** QUIET_HOURS: a notice nobody is waiting for does not arrive at night. */
  quietHours: QuietHours
  /** Fingerprint of a consent wording (runtime's textVersion). */
  textVersion: (text: string) => string
  /** Where a participant writes from, for the caps on urgent requests: a number, an address. */
  originOf: (participant: Participant) => string
  /** What the participant did before asking: topics, and texts held until consent. */
  beforeChat: BeforeChat
  /**
   * Several instances: runs a staff action on a chat holding the participant's turn lock, after
   * taking in what the others wrote (runtime.ts); absent on one instance.
   */
  serialize?: <T>(participantId: string, task: () => Promise<T>) => Promise<T>
}

/** What the desk's parts share. */
export type DeskCore = DeskDeps & {
  presence: Presence
  /** Tells live views that something changed (one handoff, or the whole queue). */
  changed(handoffId?: string): void
  /** Runs work that must not hold up a participant's answer (alert SMS); errors are logged. */
  background(work: Promise<unknown>): void
  /**
   * Sends a participant a line from locales (common), in their language, unless they opted out.
   * `quiet`: an SMS nobody is waiting for waits for the end of quiet hours.
   */
  tell(
    handoff: Handoff,
    key: 'handoff.closedByStaff' | 'handoff.expired',
    options?: { quiet?: boolean }
  ): Promise<void>
}

export type Desk = ReturnType<typeof createDesk>

/** An urgent chat waiting for a person acknowledges at most one message this often. */
const ACK_EVERY_MS = 10 * 60_000

export function createDesk(deps: DeskDeps) {
  const { store, transcripts, clock, settings } = deps
  const bus = new EventEmitter().setMaxListeners(0)
  const pending = new Set<Promise<unknown>>()
  const core: DeskCore = {
    ...deps,
    presence: createPresence((id, now) => hasLiveSession(store, id, now)),
    changed: (handoffId) => void bus.emit('change', { handoffId }),
    background(work) {
      const tracked: Promise<unknown> = work
        .catch((error) => deps.logger.error('handoff.background_failed', { error }))
        .finally(() => pending.delete(tracked))
      pending.add(tracked)
    },
    async tell(handoff, key, options = {}) {
      const participant = store.data.participants[handoff.participantId]
      if (!participant || participant.optedOut) return
      const t = deps.translate(participant.language ?? settings.staffLanguage)
      const now = clock()
      const notBefore =
        options.quiet && isQuiet(deps.quietHours, now)
          ? nextAllowed(deps.quietHours, now)
          : undefined
      await deps.sendProactive(participant.id, t(key), 'bot', notBefore)
    },
  }
  const caps = createCaps(settings)
  const alerts = createAlerts(core, caps)
  const hours = settings.officeHours

  const availability = (at: Date): Availability => ({
    at,
    open: hours.isOpen(at),
    next: hours.nextOpening(at),
    zone: hours.zone,
  })

  /** A message kept for the console even without consent: only during an urgent handoff. */
  const keepInbound = (participant: Participant, text: string, now: Date) => {
    if (participant.consent?.given || !text) return // bot.ts has logged it already, or nothing
    transcripts.append({
      at: now.toISOString(),
      participantId: participant.id,
      direction: 'in',
      text,
    })
  }

  /** Keeps what the crisis layer saw for staff: the clearest level, every kind, the words. */
  const noteCrisis = (handoff: Handoff, signal: CrisisSignal, now: Date) => {
    if (signal.level === 'none') return
    store.edit('handoffs', handoff.id, () => {
      const before = handoff.crisis
      handoff.crisis = {
        level: before?.level === 'danger' || signal.level === 'danger' ? 'danger' : 'possible',
        kinds: [...new Set([...(before?.kinds ?? []), ...signal.kinds])],
        cues: [...new Set([...(before?.cues ?? []), ...signal.cues])].slice(-10),
        at: now.toISOString(),
      }
    })
  }

  /**
   * Never silence in a crisis: while an urgent chat (or one with crisis words) waits for a person,
   * a message gets a short acknowledgement with the 24/7 numbers, at most one every ten minutes;
   * a message with words of possible danger ("han pusta ikke") gets its kind's every time.
   */
  const acknowledgement = (handoff: Handoff, signal: CrisisSignal, now: Date) => {
    const waiting = handoff.state !== 'claimed' || !handoff.answeredAt
    if (!waiting || !(handoff.urgent || signal.level !== 'none')) return undefined
    // Clear danger gets the full answer from the gate, which does not count as one: the message
    // after it ("hallo??") is acknowledged.
    if (signal.level === 'danger') return undefined
    const last = handoff.ackedAt ? Date.parse(handoff.ackedAt) : 0
    if (signal.level === 'none' && now.getTime() - last < ACK_EVERY_MS) return undefined
    store.edit('handoffs', handoff.id, () => void (handoff.ackedAt = now.toISOString()))
    return signal.kind ?? handoff.crisis?.kinds[0] ?? 'suicide'
  }

  const markUrgent = (handoff: Handoff, now: Date) => {
    if (handoff.urgent) return
    store.edit('handoffs', handoff.id, () => {
      applyEvent(handoff, 'urgent', 'participant', now)
      handoff.urgent = true
      // Alert again, with the urgent wording, unless a person already has it.
      if (handoff.state !== 'claimed') {
        delete handoff.notifiedAt
        delete handoff.escalatedAt
      }
    })
  }

  const services: HandoffServices = {
    isActive: (participant) => !!openHandoffOf(store, participant.id),
    isUrgent: (participant) => !!openHandoffOf(store, participant.id)?.urgent,
    async request(participant, reason, text, signal) {
      const now = clock()
      let handoff = openHandoffOf(store, participant.id)
      const urgent = reason === 'crisis'
      if (!handoff) {
        const consent = !!store.data.participants[participant.id]?.consent?.given
        const before = { topics: deps.beforeChat.topics(participant.id), consent }
        // Without consent the texts before the chat are never shown: let them go now.
        if (!consent) deps.beforeChat.dropTexts(participant.id)
        handoff = createHandoff(
          store,
          newHandoff(participant, reason, urgent, now, deps.newId('h'), before)
        )
        // Every crisis is urgent; past the caps it waits for the next alert (alert-caps.ts).
        if (urgent && !caps.ownAlert(deps.originOf(participant), now)) alerts.hold(handoff.id)
      } else if (urgent) markUrgent(handoff, now)
      if (signal) noteCrisis(handoff, signal, now)
      if (reason === 'crisis') keepInbound(participant, text, now)
      deps.logger.info('handoff.requested', { handoff: handoff.id, reason, urgent: handoff.urgent })
      core.background(alerts.check(handoff, now))
      core.changed(handoff.id)
      return availability(now)
    },
    async forward(participant, text, signal) {
      const handoff = openHandoffOf(store, participant.id)
      if (!handoff) return {}
      const now = clock()
      keepInbound(participant, text, now)
      store.edit('handoffs', handoff.id, () => {
        handoff.lastActivityAt = now.toISOString()
        handoff.lastInboundAt = now.toISOString()
        handoff.waitingSince ??= now.toISOString()
      })
      noteCrisis(handoff, signal, now)
      if (signal.level === 'danger') {
        markUrgent(handoff, now)
        core.background(alerts.check(handoff, now))
      }
      const acknowledge = acknowledgement(handoff, signal, now)
      await transcripts.flush()
      core.changed(handoff.id)
      return acknowledge ? { acknowledge } : {}
    },
    end(participant, why) {
      const handoff = openHandoffOf(store, participant.id)
      if (!handoff) return
      const event = handoff.state === 'requested' ? 'cancel' : 'close'
      store.edit('handoffs', handoff.id, () => {
        applyEvent(handoff, event, 'participant', clock(), why)
        handoff.outcome = why === 'stop' ? 'opted-out' : 'participant-ended'
      })
      core.changed(handoff.id)
    },
    recordConsent(participant, given, text) {
      store.edit('participants', participant.id, (stored) => {
        stored.consent = {
          given,
          at: clock().toISOString(),
          channel: participant.channel,
          textVersion: deps.textVersion(text),
        }
      })
      // They agreed a volunteer may read this chat, what they wrote to the bot today included.
      if (given)
        for (const entry of deps.beforeChat.takeTexts(participant.id)) transcripts.append(entry)
    },
  }

  const actions = staffActions(core)
  return {
    services,
    presence: core.presence,
    settings,
    quietHours: deps.quietHours,
    audit: deps.audit,
    transcripts,
    availability,
    ...actions,
    /** "TA K7M2" from a staff member's phone; undefined when the text is not a claim. */
    claimBySms: (staff: StaffAccount, text: string) =>
      claimBySms(
        {
          store,
          t: () => deps.translate.console(settings.staffLanguage),
          consoleUrl: settings.consoleUrl,
          claim: actions.claim,
          touch: (id) => core.presence.touch(id, clock()),
        },
        staff,
        text
      ),
    /**
     * Something changed outside the desk (a participant deleted, or one handoff on another
     * instance): live views look again.
     */
    changed: (handoffId?: string) => core.changed(handoffId),
    /** Calls `listener` after every change; returns the function that stops it. */
    subscribe(listener: (change: { handoffId?: string }) => void): () => void {
      bus.on('change', listener)
      return () => void bus.off('change', listener)
    },
    /** Alerts, releases, expiry and pruning as of `now`; main.ts calls it every half minute. */
    tick: (now: Date) => alerts.tick(now),
    /** Resolves when background work (alert SMS) started so far has finished. */
    settled: async () => {
      while (pending.size) await Promise.all([...pending])
    },
  }
}

function newHandoff(
  participant: Participant,
  reason: 'crisis' | 'human',
  urgent: boolean,
  now: Date,
  id: string,
  before: Handoff['before']
): Handoff {
  const at = now.toISOString()
  return {
    id,
    participantId: participant.id,
    channel: participant.channel,
    state: 'requested',
    urgent,
    reason,
    createdAt: at,
    updatedAt: at,
    queuedAt: at,
    lastActivityAt: at,
    lastInboundAt: at,
    waitingSince: at,
    history: [{ at, actor: 'participant', event: 'request', to: 'requested', detail: reason }],
    notes: [],
    before,
  }
}
