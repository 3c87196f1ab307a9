/**
 * @module bot/store/participants
 * Who we talk to. A participant is found by channel and address; everything else refers to the
 * random id, so a phone number is stored in exactly one place.
 */
import type { Store } from './store.js'
import type { Channel, Participant } from './schema.js'

const contactKey = (channel: Channel, address: string) => `${channel}:${address}`

export function findParticipant(store: Store, channel: Channel, address: string): Participant | undefined {
  const id = store.data.contacts[contactKey(channel, address)]
  return id ? store.data.participants[id] : undefined
}

/** Finds the participant behind an address, creating one on first contact; marks them seen. */
export function touchParticipant(
  store: Store,
  channel: Channel,
  address: string,
  now: Date,
  newId: () => string
): { participant: Participant; isNew: boolean } {
  const existing = findParticipant(store, channel, address)
  if (existing) {
    // Hourly resolution is enough for "last seen" and spares a write on most turns.
    if (now.getTime() - Date.parse(existing.lastSeenAt) > 3_600_000) {
      store.edit('participants', existing.id, (p) => (p.lastSeenAt = now.toISOString()))
    }
    return { participant: existing, isNew: false }
  }
  const id = newId()
  const participant = store.put('participants', id, {
    id,
    channel,
    address,
    createdAt: now.toISOString(),
    lastSeenAt: now.toISOString(),
    optedOut: false,
  })
  store.put('contacts', contactKey(channel, address), id)
  return { participant, isNew: true }
}

export function setLanguage(
  store: Store,
  participantId: string,
  language: 'nb' | 'en',
  chosen: boolean
): void {
  store.edit('participants', participantId, (p) => {
    p.language = language
    if (chosen) p.languageChosen = true
  })
}

export function setOptedOut(store: Store, participantId: string, optedOut: boolean): void {
  store.edit('participants', participantId, (p) => (p.optedOut = optedOut))
}
