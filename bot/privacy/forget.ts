/**
 * @module bot/privacy/forget
 * SLETT: removes every record that names a participant, in every collection (so a feature added
 * later cannot be forgotten here), their transcript lines, and leaves one audit entry that says
 * a deletion happened and by whom, without saying whose.
 */
import type { AuditLog } from '../store/audit.js'
import type { CollectionName, Store } from '../store/store.js'
import type { TranscriptLog } from '../store/transcripts.js'

export type ForgetDeps = {
  store: Store
  transcripts: TranscriptLog
  audit: AuditLog
  clock: () => Date
}

/** Deletes the participant everywhere; resolves once it is on disk. Returns how much went. */
export async function forgetParticipant(
  deps: ForgetDeps,
  participantId: string,
  actor: string
): Promise<{ records: number; transcriptLines: number }> {
  const { store, transcripts, audit, clock } = deps
  const participant = store.data.participants[participantId]
  const needles = [participantId, participant?.address].filter((n): n is string => !!n)
  let records = 0
  for (const name of Object.keys(store.data).filter((k) => k !== 'version') as CollectionName[]) {
    for (const [key, record] of Object.entries(store.data[name] as Record<string, unknown>)) {
      const text = key + JSON.stringify(record)
      if (needles.some((needle) => text.includes(needle))) {
        store.remove(name, key)
        records++
      }
    }
  }
  store.compactJournals()
  const transcriptLines = await transcripts.forget(participantId)
  audit.append({
    at: clock().toISOString(),
    actor,
    action: 'participant.deleted',
    detail: `${records} records, ${transcriptLines} messages`,
  })
  await Promise.all([store.flush(), audit.flush()])
  return { records, transcriptLines }
}
