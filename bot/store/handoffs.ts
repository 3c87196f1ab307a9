/**
 * @module bot/store/handoffs
 * Handoffs in the store. State changes go through bot/handoff/machine.ts; these functions only
 * find, create and prune.
 */
import { isOpen } from '../handoff/machine.js'
import type { Handoff } from './schema.js'
import type { Store } from './store.js'

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
