/**
 * @module bot/store/participants
 * Who we talk to. A participant is found by channel and address; everything else refers to the
 * random id, so a phone number is stored in exactly one place.
 */
import type { Store } from './store.js'
import type { Channel, Participant } from './schema.js'

const contactKey = (channel: Channel, address: string) => `${channel}:${address}`

export function findParticipant(
  store: Store,
  channel: Channel,
  address: string
): Participant | undefined {
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
  store.edit('participants', participantId, (p) => {
    p.optedOut = optedOut
    // START from the number means the person there does want our messages after all.
    if (!optedOut) delete p.wrongNumberAt
  })
}

/** "Feil nummer": no more messages to this number, and coordinators see why. */
export function reportWrongNumber(store: Store, participantId: string, now: Date): void {
  store.edit('participants', participantId, (p) => {
    p.optedOut = true
    p.wrongNumberAt = now.toISOString()
  })
}

/**
 * Twilio's code for "this number has opted out with us" (it answered STOP to Twilio, maybe on
 * another of our senders): https://www.twilio.com/docs/api/errors/21610
 */
export const TWILIO_OPTED_OUT = '21610'

/**
 * Records an opt-out the provider reported, so reminders and campaigns skip the number and the
 * console shows it. Returns the participant's id when one was opted out now.
 */
export function optOutFromProvider(
  store: Store,
  channel: Channel,
  address: string
): string | undefined {
  const participant = findParticipant(store, channel, address)
  if (!participant || participant.optedOut) return undefined
  setOptedOut(store, participant.id, true)
  return participant.id
}
