/**
 * @module bot/privacy/ownership
 * Which stored records are one participant's, collection by collection, by exact keys and ids:
 * never a substring of a record's text, which once matched staff accounts and other people whose
 * numbers contain the digits. The table needs an entry for every collection (the type says so),
 * so a collection added later must state here whether it holds a participant's data.
 */
import type { Participant } from '../store/schema.js'
import type { CollectionName, RecordOf, Store } from '../store/store.js'

/** The participant, and the coordinators' reminder records of the same person (same number). */
export type Owner = { id: string; participant?: Participant; people: ReadonlySet<string> }

type Rule<N extends CollectionName> =
  ((record: RecordOf<N>, key: string, who: Owner) => boolean) | null

/** `null`: the collection never holds a participant's data (staff, their logins, campaigns). */
const rules: { [N in CollectionName]: Rule<N> } = {
  participants: (_, key, who) => key === who.id,
  contacts: (id, _, who) => id === who.id,
  conversations: (_, key, who) => key === who.id,
  botState: (_, key, who) => isStateOf(key, who.participant),
  // Alerts to a staff member's phone are theirs, even when the participant texts from it.
  outbox: (m, _, who) =>
    m.audience !== 'staff' &&
    ((m.channel === who.participant?.channel && m.to === who.participant.address) ||
      (m.source !== undefined && who.people.has(m.source.personId))),
  mappings: (m, key, who) => key === who.id || m.participantId === who.id,
  staff: null,
  sessions: null,
  handoffs: (h, _, who) => h.participantId === who.id,
  handledSms: (r, _, who) => r.participantId === who.id,
  people: (_, key, who) => who.people.has(key),
  appointments: (a, _, who) => who.people.has(a.personId),
  campaigns: null,
  replies: (r, _, who) => r.participantId === who.id || who.people.has(r.personId),
}

/** botbuilder's conversation state key: "<channelId>/conversations/<conversation id>/". */
function isStateOf(key: string, participant: Participant | undefined): boolean {
  if (!participant) return false
  const parts = key.split('/')
  return parts.length === 4 && parts[1] === 'conversations' && parts[2] === participant.address
}

/** The participant and the reminder people with their number (SMS only: that is the link). */
export function ownerOf(store: Store, participantId: string): Owner {
  const participant = store.data.participants[participantId]
  const people = new Set<string>()
  if (participant?.channel === 'sms') {
    for (const p of Object.values(store.data.people)) {
      if (p.phone === participant.address) people.add(p.id)
    }
  }
  return { id: participantId, participant, people }
}

/** Every [collection, key] that is the participant's. */
export function ownedKeys(store: Store, participantId: string): [CollectionName, string][] {
  const who = ownerOf(store, participantId)
  const owned: [CollectionName, string][] = []
  for (const name of Object.keys(rules) as CollectionName[]) {
    const rule = rules[name] as Rule<CollectionName>
    if (!rule) continue
    const collection = store.data[name] as Record<string, RecordOf<CollectionName>>
    for (const key of Object.keys(collection)) {
      if (rule(collection[key]!, key, who)) owned.push([name, key])
    }
  }
  return owned
}
