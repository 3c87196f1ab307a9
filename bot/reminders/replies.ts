/**
 * @module bot/reminders/replies
 * What a person answers to a reminder or a campaign. An appointment awaits an answer from the
 * moment a reminder of it has gone out until it is answered, cancelled, or an hour past. Every
 * answer becomes an entry coordinators see in the console; "1" also marks the appointment.
 */
import type { Participant } from '../store/schema.js'
import type { Appointment, Person, ReminderReply } from '../store/reminder-records.js'
import type { Store } from '../store/store.js'

/** Answers are taken until this long after the appointment's start ("I'll be late"). */
const ANSWER_AFTER_MS = 3_600_000
/** A message within this time after a campaign SMS counts as a reply to it. */
export const CAMPAIGN_REPLY_MS = 3 * 86_400_000

export type Awaiting = { appointment: Appointment; person: Person; sentAt: string }

/** The people behind a participant: the same phone number, on SMS. */
export function peopleOf(store: Store, participant: Participant): Person[] {
  if (participant.channel !== 'sms') return []
  return Object.values(store.data.people).filter((p) => p.phone === participant.address)
}

const sentStates = new Set(['sending', 'sent', 'delivered'])

/** Appointments of this participant whose reminder went out and await an answer, newest first. */
export function awaitingAnswer(store: Store, participant: Participant, now: Date): Awaiting[] {
  const people = peopleOf(store, participant)
  if (people.length === 0) return []
  const found: Awaiting[] = []
  for (const appointment of Object.values(store.data.appointments)) {
    const person = people.find((p) => p.id === appointment.personId)
    if (!person || appointment.status !== 'scheduled' || appointment.answer) continue
    if (now.getTime() > Date.parse(appointment.at) + ANSWER_AFTER_MS) continue
    const sent = appointment.reminders
      .map((r) => (r.messageId ? store.data.outbox[r.messageId] : undefined))
      .filter((m) => m && sentStates.has(m.state))
      .map((m) => [m!.createdAt, m!.dueAt ?? ''].sort().at(-1)!)
      .sort()
    if (sent.length) found.push({ appointment, person, sentAt: sent.at(-1)! })
  }
  return found.sort((a, b) => b.sentAt.localeCompare(a.sentAt))
}

export type AnswerKind = ReminderReply['kind']

/** Records an answer to an appointment's reminder, as an entry for coordinators. */
export function recordAnswer(
  store: Store,
  answer: { participant: Participant; awaiting: Awaiting; kind: AnswerKind; text?: string },
  context: { now: Date; id: string }
): ReminderReply {
  const { appointment, person } = answer.awaiting
  const at = context.now.toISOString()
  store.edit('appointments', appointment.id, (a) => {
    if (answer.kind === 'coming' || answer.kind === 'new-time') a.answer = { kind: answer.kind, at }
    a.heardAt = at
    a.updatedAt = at
  })
  return store.put('replies', context.id, {
    id: context.id,
    participantId: answer.participant.id,
    personId: person.id,
    appointmentId: appointment.id,
    kind: answer.kind,
    text: answer.text?.slice(0, 500) || undefined,
    at,
    // "I am coming" needs nobody's attention; the rest waits for a coordinator.
    ...(answer.kind === 'coming' ? { handledAt: at, handledBy: 'system' } : {}),
  })
}

/** The participant wrote something else: a later "1" answers whatever the bot asks next. */
export function markHeard(store: Store, awaiting: Awaiting[], now: Date): void {
  for (const { appointment } of awaiting) {
    store.edit('appointments', appointment.id, (a) => (a.heardAt = now.toISOString()))
  }
}

/** Notes the first message after a campaign SMS as that campaign's reply (once per person). */
export function noteCampaignReply(
  store: Store,
  participant: Participant,
  text: string,
  now: Date
): ReminderReply | undefined {
  const people = peopleOf(store, participant)
  for (const campaign of Object.values(store.data.campaigns)) {
    if (!campaign.startedAt || now.getTime() - Date.parse(campaign.startedAt) > CAMPAIGN_REPLY_MS)
      continue
    for (const person of people) {
      const message = store.data.outbox[`cmp_${campaign.id}_${person.id}`]
      const id = `rep_${campaign.id}_${person.id}`
      if (!message || !sentStates.has(message.state) || store.data.replies[id]) continue
      return store.put('replies', id, {
        id,
        participantId: participant.id,
        personId: person.id,
        campaignId: campaign.id,
        kind: 'message',
        text: text.slice(0, 500) || undefined,
        at: now.toISOString(),
      })
    }
  }
  return undefined
}

/** Replies, newest first; `open` only those no coordinator has handled yet. */
export function listReplies(store: Store, open = false): ReminderReply[] {
  return Object.values(store.data.replies)
    .filter((r) => !open || !r.handledAt)
    .sort((a, b) => b.at.localeCompare(a.at))
}

export function markHandled(store: Store, id: string, by: string, now: Date): boolean {
  return !!store.edit('replies', id, (r) => {
    r.handledAt = now.toISOString()
    r.handledBy = by
    return true
  })
}
