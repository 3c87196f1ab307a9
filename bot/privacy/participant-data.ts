/**
 * @module bot/privacy/participant-data
 * Everything stored about one participant, gathered for the right of access: every record that
 * is theirs, and their transcript; and finding them by exact number or alias.
 */
import { normalizePhone } from '../reminders/people.js'
import { findParticipant } from '../store/participants.js'
import type { CollectionName, Store } from '../store/store.js'
import type { TranscriptEntry, TranscriptLog } from '../store/transcripts.js'
import { ownedKeys } from './ownership.js'

export type ParticipantData = {
  exportedAt: string
  participantId: string
  records: Partial<Record<CollectionName, Record<string, unknown>>>
  transcript: TranscriptEntry[]
}

/** Every record that is the participant's (bot/privacy/ownership.ts), collection by collection. */
export function recordsOf(store: Store, participantId: string): ParticipantData['records'] {
  const records: ParticipantData['records'] = {}
  for (const [name, key] of ownedKeys(store, participantId)) {
    ;(records[name] ??= {})[key] = (store.data[name] as Record<string, unknown>)[key]
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

/**
 * The participants a coordinator means by `query`: the SMS participant with exactly this number
 * (any common spelling, made E.164, or exactly the stored sender, for short senders such as
 * "+479" or "2222"), and everyone whose alias it is, as the code ("K7M2") or as the queue shows it
 * (`aliasLabels`, e.g. "Deltaker K7M2"), in any case. Never a part of a number or of a web chat
 * id.
 */
export function findByNumberOrAlias(
  store: Store,
  query: string,
  aliasOf: (participantId: string) => string,
  aliasLabels: ((code: string) => string)[] = []
): string[] {
  const found = new Set<string>()
  const phone = normalizePhone(query)
  const bySms = phone && findParticipant(store, 'sms', phone)
  if (bySms) found.add(bySms.id)
  const sender = query.replace(/\s+/g, '')
  const bySender = sender && findParticipant(store, 'sms', sender)
  if (bySender) found.add(bySender.id)
  const typed = query.trim().replace(/\s+/g, ' ').toUpperCase()
  for (const id of Object.keys(store.data.participants)) {
    const code = aliasOf(id)
    if (code === typed || aliasLabels.some((label) => label(code).toUpperCase() === typed))
      found.add(id)
  }
  return [...found]
}
