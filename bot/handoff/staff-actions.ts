/**
 * @module bot/handoff/staff-actions
 * What staff do with a handoff from the console. Each action checks who may (permissions.ts) and
 * whether the state machine allows it, changes the store synchronously (so two claims cannot both
 * win), writes the audit log, and tells live views.
 */
import { isQuiet, nextAllowed, type QuietHours } from '../reminders/quiet-hours.js'
import { chatWindow, createHandoff, handoffById, openHandoffOf } from '../store/handoffs.js'
import type { Handoff, StaffAccount } from '../store/schema.js'
import type { TranscriptEntry } from '../store/transcripts.js'
import { requeue } from './alerts.js'
import type { DeskCore } from './desk.js'
import { applyEvent } from './machine.js'
import {
  claimRefusal,
  closeRefusal,
  holderRefusal,
  mayRead,
  noteRefusal,
  reachOutRefusal,
  type Refusal,
} from './permissions.js'

const MESSAGES = 60

export type Refused = { ok: false; reason: Refusal; holder?: string }
/** `heldUntil`: an SMS reply kept in the outbox until quiet hours end. */
export type ActionResult = { ok: true; heldUntil?: Date } | Refused

/** A participant who wrote this recently is in the conversation: a reply goes even at night. */
const LIVE_MINUTES = 30

/**
 * When a reply to this handoff should go: now, or at the end of quiet hours if it is an SMS at
 * night to someone who has not written for a while (unless staff choose to send it anyway).
 */
export function replyNotBefore(
  h: Handoff,
  now: Date,
  quiet: QuietHours,
  sendNow = false
): Date | undefined {
  // An urgent chat is never held: someone in crisis may be awake and waiting.
  if (sendNow || h.urgent || h.channel !== 'sms' || !isQuiet(quiet, now)) return undefined
  const lastWrote = Date.parse(h.lastInboundAt ?? h.createdAt)
  if (now.getTime() - lastWrote < LIVE_MINUTES * 60_000) return undefined
  return nextAllowed(quiet, now)
}

/** Outcomes staff choose from when closing; the participant's own endings are added by the desk. */
export const staffOutcomes = ['helped', 'referred', 'no-answer', 'other'] as const
export type StaffOutcome = (typeof staffOutcomes)[number]
/** Every outcome a handoff can end with: staff's, and the participant's or the system's. */
export const allOutcomes = [...staffOutcomes, 'participant-ended', 'opted-out', 'expired'] as const
export type Outcome = (typeof allOutcomes)[number]
export const outcomeOf = (value: string | undefined): Outcome =>
  allOutcomes.find((o) => o === value) ?? 'other'

export function staffActions(core: DeskCore) {
  const { store, audit, clock, presence } = core
  const lastOpened = new Map<string, number>()

  /** This chat's own messages, the newest MESSAGES of them. */
  const chatMessages = (h: Handoff) =>
    core.transcripts.recent(h.participantId, MESSAGES, 30, chatWindow(store, h))

  const refused = (reason: Refusal, h?: Handoff): Refused => ({
    ok: false,
    reason,
    holder: h?.assignee,
  })

  const done = async (staff: StaffAccount, h: Handoff, action: string, detail?: string) => {
    const at = clock().toISOString()
    audit.append({
      at,
      actor: staff.id,
      action,
      handoffId: h.id,
      participantId: h.participantId,
      detail,
    })
    core.changed(h.id)
    await Promise.all([store.flush(), audit.flush()])
    return { ok: true } as const
  }

  /** Runs `act` on the handoff unless it is missing or `check` refuses. */
  const withHandoff = async (
    id: string,
    check: (h: Handoff) => Refusal | undefined,
    act: (h: Handoff) => Promise<ActionResult>
  ): Promise<ActionResult> => {
    const run = async () => {
      const h = handoffById(store, id)
      if (!h) return refused('not-found')
      const refusal = check(h)
      return refusal ? refused(refusal, h) : act(h)
    }
    // Several instances: not at the same moment as the person's own turn on another one.
    const participantId = handoffById(store, id)?.participantId
    return participantId && core.serialize ? core.serialize(participantId, run) : run()
  }

  return {
    /** Reads a conversation (audited): the handoff and its recent messages. */
    async open(
      staff: StaffAccount,
      id: string
    ): Promise<{ ok: true; handoff: Handoff; messages: TranscriptEntry[] } | Refused> {
      const h = handoffById(store, id)
      if (!h) return refused('not-found')
      if (!mayRead(staff, h)) {
        const why = h.assignee ? 'taken' : h.state === 'requested' ? 'claim-first' : 'not-yours'
        return refused(why, h)
      }
      const messages = await chatMessages(h)
      const key = `${staff.id}:${h.id}`
      // One audit line per person and conversation per half hour, not one per page load.
      if ((lastOpened.get(key) ?? 0) < clock().getTime() - 30 * 60_000) {
        lastOpened.set(key, clock().getTime())
        await done(staff, h, 'open')
      }
      return { ok: true, handoff: h, messages }
    },

    /** The recent messages of a conversation already opened (live updates; not audited again). */
    messages: (h: Handoff) => chatMessages(h),

    claim: (staff: StaffAccount, id: string) =>
      withHandoff(
        id,
        (h) => claimRefusal(staff, h),
        async (h) => {
          if (h.state === 'claimed') return { ok: true } // already theirs: a double click
          store.edit('handoffs', h.id, () => {
            applyEvent(h, 'claim', staff.id, clock())
            h.assignee = staff.id
            delete h.transferTo
          })
          return done(staff, h, 'claim')
        }
      ),

    reply: (staff: StaffAccount, id: string, text: string, options: { sendNow?: boolean } = {}) =>
      withHandoff(
        id,
        (h) => holderRefusal(staff, h),
        async (h) => {
          // An open chat after STOPP is one they started again (STOPP ends the chat it is sent
          // in), so a reply answers them; campaigns and reminders still never reach them.
          const heldUntil = replyNotBefore(h, clock(), core.quietHours, options.sendNow)
          const sent = await core.sendProactive(h.participantId, text, staff.id, heldUntil)
          if (!sent) return refused('unreachable', h)
          store.edit('handoffs', h.id, () => {
            h.lastActivityAt = clock().toISOString()
            h.answeredAt ??= h.lastActivityAt
            delete h.waitingSince
          })
          await done(staff, h, 'reply')
          return heldUntil ? { ok: true, heldUntil } : { ok: true }
        }
      ),

    note: (staff: StaffAccount, id: string, text: string) =>
      withHandoff(
        id,
        (h) => noteRefusal(staff, h),
        async (h) => {
          store.edit('handoffs', h.id, () =>
            h.notes.push({ at: clock().toISOString(), by: staff.id, text })
          )
          return done(staff, h, 'note')
        }
      ),

    /** To one coordinator who is here now, or (no target) to the first free coordinator. */
    transfer: (staff: StaffAccount, id: string, targetId?: string) =>
      withHandoff(
        id,
        (h) => holderRefusal(staff, h),
        async (h) => {
          const target = targetId ? store.data.staff[targetId] : undefined
          if (targetId && (!target || target.role === 'volunteer' || target.disabled)) {
            return refused('role', h)
          }
          if (target && !presence.isOnline(target.id, clock())) return refused('offline', h)
          store.edit('handoffs', h.id, () => {
            applyEvent(h, 'transfer', staff.id, clock(), target?.username)
            requeue(h, clock())
            // The on-call SMS is for new requests; coordinators are texted if nobody takes it.
            h.notifiedAt = clock().toISOString()
            if (target) h.transferTo = target.id
          })
          return done(staff, h, 'transfer', target?.username)
        }
      ),

    release: (staff: StaffAccount, id: string) =>
      withHandoff(
        id,
        (h) => holderRefusal(staff, h),
        async (h) => {
          store.edit('handoffs', h.id, () => {
            applyEvent(h, 'release', staff.id, clock())
            requeue(h, clock())
          })
          return done(staff, h, 'release')
        }
      ),

    close: (staff: StaffAccount, id: string, outcome: StaffOutcome) =>
      withHandoff(
        id,
        (h) => closeRefusal(staff, h),
        async (h) => {
          store.edit('handoffs', h.id, () => {
            applyEvent(h, 'close', staff.id, clock(), outcome)
            h.outcome = outcome
          })
          const result = await done(staff, h, 'close', outcome)
          await core.tell(h, 'handoff.closedByStaff')
          return result
        }
      ),

    /**
     * A coordinator writes first to a participant who agreed to be contacted: a chat opens, held
     * by them, like any other, and the SMS goes through the outbox (after quiet hours at night).
     * Audited. An open chat with them is answered instead: its id comes back, nothing is sent.
     */
    async reachOut(
      staff: StaffAccount,
      participantId: string,
      text: string
    ): Promise<{ ok: true; id: string; heldUntil?: Date; existing?: true } | Refused> {
      const participant = store.data.participants[participantId]
      const refusal = reachOutRefusal(staff, participant)
      if (refusal) return refused(refusal)
      const open = openHandoffOf(store, participantId)
      if (open) return { ok: true, id: open.id, existing: true }
      const now = clock()
      const heldUntil = isQuiet(core.quietHours, now)
        ? nextAllowed(core.quietHours, now)
        : undefined
      const at = now.toISOString()
      const h = createHandoff(store, {
        id: core.newId('h'),
        participantId,
        channel: participant!.channel,
        state: 'requested',
        urgent: false,
        reason: 'outreach',
        createdAt: at,
        updatedAt: at,
        queuedAt: at,
        lastActivityAt: at,
        history: [{ at, actor: staff.id, event: 'request', to: 'requested', detail: 'outreach' }],
        notes: [],
        notifiedAt: at, // nobody needs an alert: the one who wrote holds it
      })
      store.edit('handoffs', h.id, () => {
        applyEvent(h, 'claim', staff.id, now)
        h.assignee = staff.id
        h.answeredAt = at
      })
      const sent = await core.sendProactive(participantId, text, staff.id, heldUntil)
      if (!sent) {
        store.edit('handoffs', h.id, () => {
          applyEvent(h, 'close', staff.id, now, 'unreachable')
          h.outcome = 'no-answer'
        })
        await done(staff, h, 'reach-out-failed')
        return refused('unreachable', h)
      }
      await done(staff, h, 'reach-out')
      return heldUntil ? { ok: true, id: h.id, heldUntil } : { ok: true, id: h.id }
    },

    /** Coordinators and admins who are at the console now, to transfer to. */
    transferTargets(staff: StaffAccount): StaffAccount[] {
      const now = clock()
      return Object.values(store.data.staff).filter(
        (s) =>
          s.id !== staff.id && s.role !== 'volunteer' && !s.disabled && presence.isOnline(s.id, now)
      )
    },
  }
}
