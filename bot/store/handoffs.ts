/**
 * @module bot/store/handoffs
 * Handoffs in the store. State changes go through bot/handoff/machine.ts; these functions only
 * find, create and prune.
 */
import { isOpen } from '../handoff/machine.js'
import type { Handoff } from './schema.js'
import type { Store } from './store.js'
import type { Window } from './transcripts.js'

/** The handoff a participant is in now (requested, claimed or transferred), if any. */
export function openHandoffOf(store: Store, participantId: string): Handoff | undefined {
  return Object.values(store.data.handoffs).find(
    (h) => h.participantId === participantId && isOpen(h.state)
  )
}

export function handoffById(store: Store, id: string): Handoff | undefined {
  return store.data.handoffs[id]
}

export function createHandoff(store: Store, handoff: Handoff): Handoff {
  return store.put('handoffs', handoff.id, handoff)
}

/** Open handoffs, urgent first, then the longest waiting. */
export function openHandoffs(store: Store): Handoff[] {
  return Object.values(store.data.handoffs)
    .filter((h) => isOpen(h.state))
    .sort(
      (a, b) =>
        Number(b.urgent) - Number(a.urgent) ||
        (a.waitingSince ?? a.createdAt).localeCompare(b.waitingSince ?? b.createdAt)
    )
}

/** When a handoff ended (closed, expired, cancelled); undefined while it is open. */
export function endedAt(h: Handoff): string | undefined {
  if (isOpen(h.state)) return undefined
  const ends = h.history.filter((change) => !isOpen(change.to))
  return ends[ends.length - 1]?.at ?? h.updatedAt
}

/**
 * The messages that belong to one chat: after the participant's previous chat ended, up to this
 * one's end. A chat opened again later never shows what came after it, or in another chat.
 */
export function chatWindow(store: Store, h: Handoff): Window {
  let after: string | undefined
  for (const other of Object.values(store.data.handoffs)) {
    if (other.participantId !== h.participantId || other.createdAt >= h.createdAt) continue
    const ended = endedAt(other)
    if (ended && ended <= h.createdAt && (!after || ended > after)) after = ended
  }
  return { after, until: endedAt(h) }
}
