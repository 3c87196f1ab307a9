/**
 * @module bot/handoff/machine
 * The life of a handoff as one transition table (the lesson of chatwoot's status FIXME): an event
 * moves a handoff only where the table allows, and every move is stored with time and actor.
 * Who may fire an event is a separate question (bot/handoff/permissions.ts).
 */
import type { Handoff, HandoffState } from '../store/schema.js'

export type HandoffEvent =
  'claim' | 'transfer' | 'release' | 'close' | 'cancel' | 'expire' | 'urgent'

/**
 * event → (from → to). requested → claimed → transferred → claimed/closed; release puts a chat
 * back in the queue; cancel is the participant withdrawing before anyone claimed; expire is the
 * system ending a stale one; urgent (a crisis word) changes no state but is recorded like a move.
 */
export const handoffTransitions: Record<
  HandoffEvent,
  Partial<Record<HandoffState, HandoffState>>
> = {
  claim: { requested: 'claimed', transferred: 'claimed' },
  transfer: { claimed: 'transferred', transferred: 'transferred' },
  release: { claimed: 'requested' },
  close: { claimed: 'closed', transferred: 'closed' },
  cancel: { requested: 'cancelled' },
  expire: { requested: 'expired', claimed: 'expired', transferred: 'expired' },
  urgent: { requested: 'requested', claimed: 'claimed', transferred: 'transferred' },
}

/** States in which a person has, or is about to have, the chat and the bot stays silent. */
export const openStates: readonly HandoffState[] = ['requested', 'claimed', 'transferred']

export function isOpen(state: HandoffState): boolean {
  return openStates.includes(state)
}

/** Where `event` takes a handoff in `state`, or undefined when the table refuses it. */
export function nextState(state: HandoffState, event: HandoffEvent): HandoffState | undefined {
  return handoffTransitions[event][state]
}

export type Moved = { ok: true; from: HandoffState; to: HandoffState } | { ok: false }

/**
 * Applies `event` to `handoff` in place if the table allows it, appending the change to its
 * history. Call it inside store.edit('handoffs', …).
 */
export function applyEvent(
  handoff: Handoff,
  event: HandoffEvent,
  actor: string,
  now: Date,
  detail?: string
): Moved {
  const from = handoff.state
  const to = nextState(from, event)
  if (!to) return { ok: false }
  const at = now.toISOString()
  handoff.state = to
  handoff.updatedAt = at
  handoff.history.push({ at, actor, event, from, to, ...(detail ? { detail } : {}) })
  return { ok: true, from, to }
}
