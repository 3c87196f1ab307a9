/**
 * @module bot/privacy/forget
 * SLETT: removes every record that is the participant's (bot/privacy/ownership.ts, by exact
 * keys), their transcript lines, and leaves one audit entry that says a deletion happened and by
 * whom, without saying whose. It resolves only once all of that is on disk and throws otherwise,
 * so nobody is told "deleted" while something is left.
 */
import type { AuditLog } from '../store/audit.js'
import type { Store } from '../store/store.js'
import type { TranscriptLog } from '../store/transcripts.js'
import { ownedKeys } from './ownership.js'

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
  // History first: if it fails, nothing has been removed and the caller says so.
  const transcriptLines = await transcripts.forget(participantId)
  const owned = ownedKeys(store, participantId)
  for (const [name, key] of owned) store.remove(name, key)
  // Journals keep earlier versions of records: rewrite them so the deleted ones leave no trace.
  store.compactJournals()
  audit.append({
    at: clock().toISOString(),
    actor,
    action: 'participant.deleted',
    detail: `${owned.length} records, ${transcriptLines} messages`,
  })
  await Promise.all([store.flush(), audit.flush()])
  return { records: owned.length, transcriptLines }
}
