/**
 * @module bot/handoff/before-chat-shared
 * Several instances: each holds in its own memory the texts that reached it before consent
 * (before-chat.ts). When the participant agrees on one instance, the others add theirs to the
 * transcript too; when they decline or delete everything, the others let theirs go. Only the
 * participant id travels between instances, never a text.
 */
import type { Cluster } from '../cluster/cluster.js'
import type { Logger } from '../logger.js'
import type { TranscriptLog } from '../store/transcripts.js'
import type { BeforeChat } from './before-chat.js'

const TOPIC = 'before-chat'

export function shareBeforeChat(
  local: BeforeChat,
  cluster: Cluster,
  transcripts: TranscriptLog,
  logger: Logger
): BeforeChat {
  if (!cluster.shared) return local
  const tell = (what: 'keep' | 'drop' | 'forget', participantId: string) =>
    void cluster
      .publish(TOPIC, `${what} ${participantId}`)
      .catch((error: unknown) => logger.warn('before_chat.publish_failed', { error }))
  cluster.subscribe(TOPIC, (payload) => {
    const [what, participantId] = payload.split(' ')
    if (!participantId) return
    if (what === 'forget') return local.forget(participantId)
    if (what === 'drop') return local.dropTexts(participantId)
    if (what !== 'keep') return
    const texts = local.takeTexts(participantId)
    if (texts.length === 0) return
    for (const entry of texts) transcripts.append(entry)
    void transcripts
      .flush()
      .catch((error: unknown) => logger.error('before_chat.keep_failed', { error }))
  })
  return {
    ...local,
    takeTexts(participantId) {
      tell('keep', participantId)
      return local.takeTexts(participantId)
    },
    dropTexts(participantId) {
      tell('drop', participantId)
      local.dropTexts(participantId)
    },
    forget(participantId) {
      tell('forget', participantId)
      local.forget(participantId)
    },
  }
}
