/**
 * @module bot/store/conversations
 * Where to reach a participant later: the botbuilder ConversationReference of their last turn,
 * used by every proactive message (reminders, a volunteer's reply).
 */
import type { ConversationReference } from 'botbuilder'
import type { Store } from './store.js'

export function saveReference(
  store: Store,
  participantId: string,
  reference: Partial<ConversationReference>,
  now: Date
): void {
  store.mutate((data) => {
    data.conversations[participantId] = {
      participantId,
      reference: JSON.parse(JSON.stringify(reference)) as Record<string, unknown>,
      updatedAt: now.toISOString(),
    }
  })
}

export function referenceFor(
  store: Store,
  participantId: string
): Partial<ConversationReference> | undefined {
  return store.data.conversations[participantId]?.reference as
    Partial<ConversationReference> | undefined
}
