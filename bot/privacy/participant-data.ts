/**
 * @module bot/privacy/participant-data
 * Everything stored about one participant, gathered for the right of access: every record in
 * every collection that names them, and their transcript.
 */
import type { CollectionName, Store } from '../store/store.js'
import type { TranscriptEntry, TranscriptLog } from '../store/transcripts.js'

export type ParticipantData = {
  exportedAt: string
  participantId: string
  records: Partial<Record<CollectionName, Record<string, unknown>>>
  transcript: TranscriptEntry[]
}

/** Every record naming the participant (by id or address), collection by collection. */
export function recordsOf(store: Store, participantId: string): ParticipantData['records'] {
  const participant = store.data.participants[participantId]
  const needles = [participantId, participant?.address].filter((n): n is string => !!n)
  const records: ParticipantData['records'] = {}
  for (const name of Object.keys(store.data).filter((k) => k !== 'version') as CollectionName[]) {
    for (const [key, record] of Object.entries(store.data[name] as Record<string, unknown>)) {
      // Sessions and staff never name a participant; skip them so no secret is ever exported.
      if (name === 'sessions' || name === 'staff') continue
      if (needles.some((needle) => (key + JSON.stringify(record)).includes(needle))) {
        ;(records[name] ??= {})[key] = record
      }
    }
  }
  return records
}

export async function exportParticipant(
  store: Store,
  transcripts: TranscriptLog,
  participantId: string,
  now: Date
): Promise<ParticipantData> {
  return {
    exportedAt: now.toISOString(),
    participantId,
    records: recordsOf(store, participantId),
    transcript: await transcripts.recent(participantId, 100_000, 3650),
  }
}

/** Finds a participant by phone number (any common spelling) or by the alias code staff see. */
export function findByNumberOrAlias(
  store: Store,
  query: string,
  aliasOf: (participantId: string) => string
): string | undefined {
  const wanted = query.trim()
  const digits = wanted.replace(/[^\d]/g, '')
  const asAlias = wanted.toUpperCase()
  for (const p of Object.values(store.data.participants)) {
    if (aliasOf(p.id) === asAlias) return p.id
    const address = p.address.replace(/[^\d]/g, '')
    if (
      digits.length >= 8 &&
      (address === digits || address.endsWith(digits) || digits.endsWith(address))
    )
      return p.id
  }
  return undefined
}
