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
  // The activity id changes every turn and is not needed to reach them: leaving it out means
  // an unchanged reference costs no write.
  const { activityId: _, ...stable } = reference
  const json = JSON.stringify(stable)
  const old = store.data.conversations[participantId]
  if (old && JSON.stringify(old.reference) === json) return
  store.put('conversations', participantId, {
    participantId,
    reference: JSON.parse(json) as Record<string, unknown>,
    updatedAt: now.toISOString(),
  })
}

export function referenceFor(
  store: Store,
  participantId: string
): Partial<ConversationReference> | undefined {
  return store.data.conversations[participantId]?.reference as
    Partial<ConversationReference> | undefined
}
