/**
 * @module bot/reminders/people
 * The people coordinators remind, over the store. A person is the bot's participant with channel
 * "sms" and the same phone number, so STOPP sent to the bot stops their reminders too.
 */
import { z } from 'zod'
import { findParticipant } from '../store/participants.js'
import type { Participant } from '../store/schema.js'
import { Language, ReminderConsent, type Person } from '../store/reminder-records.js'
import type { Store } from '../store/store.js'

/** A phone number as people write it, as E.164; Norwegian numbers may leave out +47. */
export function normalizePhone(raw: string): string | undefined {
  let digits = raw.trim().replace(/[\s\-().]/g, '')
  if (digits.startsWith('00')) digits = '+' + digits.slice(2)
  if (/^[2-9]\d{7}$/.test(digits)) return '+47' + digits
  if (/^47[2-9]\d{7}$/.test(digits)) return '+' + digits
  return /^\+[1-9]\d{6,14}$/.test(digits) ? digits : undefined
}

/** Groups as typed: "NAV, Bolig" or "nav|bolig"; trimmed, lower case, no repeats. */
export function parseGroups(raw: string): string[] {
  const groups = raw
    .split(/[,;|/]/)
    .map((g) => g.trim().toLowerCase().replace(/\s+/g, ' '))
    .filter(Boolean)
  return [...new Set(groups)]
}

/** A person as a form or a CSV row gives it: checked and normalised. */
export const PersonInput = z.object({
  name: z.string().trim().min(1, 'name').max(80, 'name'),
  phone: z
    .string()
    .trim()
    .transform((v, ctx) => {
      if (!v) return undefined
      const phone = normalizePhone(v)
      if (!phone) ctx.addIssue({ code: 'custom', message: 'phone' })
      return phone
    }),
  // Codes, not zod's own words: the form answers with a sentence for each (locales).
  language: z.enum(Language.options, 'language'),
  groups: z.string().max(300, 'groups').transform(parseGroups),
  consent: z.enum(ReminderConsent.options, 'consent'),
})
export type PersonInput = z.output<typeof PersonInput>

/** Creates a person, or updates the one with `id`; returns it. */
export function savePerson(
  store: Store,
  input: PersonInput,
  context: { now: Date; by?: string; id: string }
): Person {
  const at = context.now.toISOString()
  const old = store.data.people[context.id]
  const consentChanged = !old || old.consent !== input.consent
  return store.put('people', context.id, {
    id: context.id,
    name: input.name,
    phone: input.phone,
    language: input.language,
    groups: input.groups,
    consent: input.consent,
    consentAt: consentChanged ? at : old.consentAt,
    createdAt: old?.createdAt ?? at,
    updatedAt: at,
    createdBy: old?.createdBy ?? context.by,
  })
}

/**
 * Deletes a person and everything kept about them for reminders: appointments, replies, and their
 * messages in the outbox (unsent ones are never sent). Returns how many records went.
 */
export function deletePerson(store: Store, id: string): number {
  let removed = 0
  const drop = (name: 'appointments' | 'replies' | 'outbox' | 'people', key: string) => {
    store.remove(name, key)
    removed++
  }
  for (const a of Object.values(store.data.appointments))
    if (a.personId === id) drop('appointments', a.id)
  for (const r of Object.values(store.data.replies)) if (r.personId === id) drop('replies', r.id)
  for (const m of Object.values(store.data.outbox))
    if (m.source?.personId === id) drop('outbox', m.id)
  if (store.data.people[id]) drop('people', id)
  // The outbox keeps a journal of changes: rewrite it so the deleted messages leave no trace.
  store.compactJournals()
  return removed
}

export function personByPhone(store: Store, phone: string): Person | undefined {
  return Object.values(store.data.people).find((p) => p.phone === phone)
}

/** Everyone, by name. */
export function listPeople(store: Store): Person[] {
  return Object.values(store.data.people).sort((a, b) => a.name.localeCompare(b.name, 'nb'))
}

/** Every group anyone is in, sorted. */
export function knownGroups(store: Store): string[] {
  return [...new Set(Object.values(store.data.people).flatMap((p) => p.groups))].sort()
}

export function participantOf(store: Store, person: Person): Participant | undefined {
  return person.phone ? findParticipant(store, 'sms', person.phone) : undefined
}

/** Why a person cannot be sent anything now, or undefined when they can. */
export function unreachable(
  store: Store,
  person: Person
): 'no-phone' | 'no-consent' | 'opted-out' | undefined {
  if (!person.phone) return 'no-phone'
  if (participantOf(store, person)?.optedOut) return 'opted-out'
  if (person.consent !== 'given') return 'no-consent'
  return undefined
}

export type Audience = { groups: string[]; language?: 'nb' | 'en' }

export type AudienceResult = {
  recipients: Person[]
  optedOut: Person[]
  noConsent: Person[]
  noPhone: Person[]
}

/** Who a campaign reaches: members of any of the groups (none: everyone), sorted by why not. */
export function resolveAudience(store: Store, audience: Audience): AudienceResult {
  const result: AudienceResult = { recipients: [], optedOut: [], noConsent: [], noPhone: [] }
  for (const person of listPeople(store)) {
    if (audience.groups.length && !person.groups.some((g) => audience.groups.includes(g))) continue
    if (audience.language && person.language !== audience.language) continue
    const why = unreachable(store, person)
    if (why === 'no-phone') result.noPhone.push(person)
    else if (why === 'opted-out') result.optedOut.push(person)
    else if (why === 'no-consent') result.noConsent.push(person)
    else result.recipients.push(person)
  }
  return result
}
