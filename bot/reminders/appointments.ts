/**
 * @module bot/reminders/appointments
 * Appointments over the store: saved with their reminders planned (bot/reminders/plan.ts), each
 * reminder put in the outbox once when due (its outbox id is its idempotency key), cancelled until
 * sent.
 */
import { DateTime } from 'luxon'
import { z } from 'zod'
import { enqueueMessage, moveMessage } from '../store/outbox.js'
import type { Appointment, Person } from '../store/reminder-records.js'
import type { Store } from '../store/store.js'
import { unreachable } from './people.js'
import { planReminders } from './plan.js'
import { parseRule, type Rule } from './rules.js'
import type { ReminderSettings } from './settings.js'
import { checkBody, reminderBody, type ReminderTexts } from './texts.js'

const ruleSpec = z.string().refine((s) => {
  try {
    parseRule(s)
    return true
  } catch {
    return false
  }
}, 'rules')

/** An appointment as the console form gives it. */
export const AppointmentInput = z.object({
  personId: z.string().min(1, 'person'),
  what: z.string().trim().min(1, 'what').max(60, 'what'),
  where: z
    .string()
    .trim()
    .max(80, 'where')
    .transform((v) => v || undefined),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date'),
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'time'),
  rules: z.array(ruleSpec),
  replaces: z
    .string()
    .optional()
    .transform((v) => v || undefined),
})
export type AppointmentInput = z.output<typeof AppointmentInput>

/** Why an appointment cannot be saved; each has a sentence in locales. */
export type AppointmentError = 'person' | 'dst-gap' | 'past' | 'too-long'

export type Deps = { store: Store; settings: ReminderSettings; texts: ReminderTexts }

/** A form that passed `checkAppointment`: the person, the instant and what is stored. */
export type CheckedAppointment = {
  person: Person
  at: Date
  fields: { what: string; where?: string; at: string }
  rules: Rule[]
}

/** Checks a parsed form against the store and the clock; creating and editing both use it. */
export function checkAppointment(
  deps: Deps,
  input: AppointmentInput,
  now: Date
): { ok: true; value: CheckedAppointment } | { ok: false; error: AppointmentError } {
  const { store, settings } = deps
  const person = store.data.people[input.personId]
  if (!person) return { ok: false, error: 'person' }
  const local = DateTime.fromISO(`${input.date}T${input.time}`, { zone: settings.zone })
  // 02:30 on the night clocks go forward does not exist; luxon would quietly move it.
  if (!local.isValid || local.toFormat('HH:mm') !== input.time)
    return { ok: false, error: 'dst-gap' }
  const at = local.toJSDate()
  if (at <= now) return { ok: false, error: 'past' }
  const fields = { what: input.what, where: input.where, at: local.toISO()! }
  const body = reminderBody(deps.texts(person.language), fields, settings.zone)
  if (!checkBody(body, body, settings.maxSegments).fits) return { ok: false, error: 'too-long' }
  return { ok: true, value: { person, at, fields, rules: input.rules.map(parseRule) } }
}

/** Saves a new appointment (cancelling the one it replaces) with its reminders planned. */
export function createAppointment(
  deps: Deps,
  input: AppointmentInput,
  context: { now: Date; by?: string; id: string }
): { ok: true; appointment: Appointment } | { ok: false; error: AppointmentError } {
  const { store, settings } = deps
  const checked = checkAppointment(deps, input, context.now)
  if (!checked.ok) return checked
  const { person, at, fields, rules } = checked.value
  if (input.replaces) replace(store, input.replaces, context)
  const stamp = context.now.toISOString()
  const appointment = store.put('appointments', context.id, {
    id: context.id,
    personId: person.id,
    ...fields,
    status: 'scheduled',
    reminders: planReminders({ at, rules, now: context.now, quiet: settings.quiet }),
    replaces: input.replaces,
    createdAt: stamp,
    updatedAt: stamp,
    createdBy: context.by,
  })
  return { ok: true, appointment }
}

/** A new time: the old appointment is cancelled, and the "needs a new time" reply is handled. */
function replace(store: Store, id: string, context: { now: Date; by?: string }): void {
  cancelAppointment(store, id, context.now)
  handleReplies(store, id, context)
}

/** Marks the replies about an appointment handled: a coordinator has given it a new time. */
export function handleReplies(store: Store, id: string, context: { now: Date; by?: string }): void {
  for (const reply of Object.values(store.data.replies)) {
    if (reply.appointmentId !== id || reply.handledAt) continue
    store.edit('replies', reply.id, (r) => {
      r.handledAt = context.now.toISOString()
      r.handledBy = context.by ?? 'system'
    })
  }
}

/** Cancels an appointment and every reminder of it not yet sent; returns how many were stopped. */
export function cancelAppointment(store: Store, id: string, now: Date): number {
  const appointment = store.data.appointments[id]
  if (!appointment || appointment.status === 'cancelled') return 0
  let stopped = 0
  store.edit('appointments', id, (a) => {
    a.status = 'cancelled'
    a.updatedAt = now.toISOString()
    for (const r of a.reminders) {
      if (r.state === 'planned') {
        r.state = 'cancelled'
        stopped++
      } else if (r.state === 'queued' && r.messageId) {
        if (moveMessage(store, r.messageId, 'cancelled', now, { lastError: 'cancelled' })) {
          r.state = 'cancelled'
          stopped++
        }
      }
    }
  })
  return stopped
}

/**
 * The outbox id of a reminder: the same reminder can never be queued twice. An edit plans the
 * reminders again at new places in the list, so the edit count keeps their ids new.
 */
export const reminderMessageId = (appointmentId: string, index: number, edits = 0) =>
  edits ? `rem_${appointmentId}_${index}.${edits}` : `rem_${appointmentId}_${index}`

/**
 * Puts every reminder that is due at `now` in the outbox, or skips it with the reason (no
 * consent, opted out, no phone, appointment passed). When several of one appointment fell due
 * together (the server was down), only the latest goes. Returns how many were queued.
 */
export function queueDueReminders(deps: Deps, now: Date): number {
  const { store } = deps
  const at = now.toISOString()
  let queued = 0
  for (const appointment of Object.values(store.data.appointments)) {
    const person = store.data.people[appointment.personId]
    if (!person) {
      // The person was deleted (SLETT removes every record with their number): these go too.
      store.remove('appointments', appointment.id)
      continue
    }
    if (appointment.status !== 'scheduled') continue
    const due = appointment.reminders.flatMap((r, i) =>
      r.state === 'planned' && r.dueAt <= at ? [i] : []
    )
    if (due.length === 0) continue
    store.edit('appointments', appointment.id, (a) => {
      for (const i of due) queued += queueOne(deps, a, i, i === due.at(-1), person, now)
    })
  }
  return queued
}

function queueOne(
  deps: Deps,
  appointment: Appointment,
  index: number,
  latest: boolean,
  person: Person,
  now: Date
): number {
  const reminder = appointment.reminders[index]!
  const why =
    now >= new Date(appointment.at) ? 'passed' : latest ? unreachable(deps.store, person) : 'merged'
  if (why) {
    Object.assign(reminder, { state: 'skipped', reason: why })
    return 0
  }
  const id = reminderMessageId(appointment.id, index, appointment.edits)
  if (!deps.store.data.outbox[id]) {
    const body = reminderBody(deps.texts(person.language), appointment, deps.settings.zone)
    const source = { kind: 'reminder' as const, id: appointment.id, personId: person.id }
    const message = { id, channel: 'sms' as const, to: person.phone!, body, source }
    enqueueMessage(deps.store, { ...message, dueAt: reminder.dueAt, notAfter: appointment.at }, now)
  }
  Object.assign(reminder, { state: 'queued', messageId: id })
  return 1
}

/** Upcoming and recent appointments (from `since`), soonest first. */
export function appointmentsFrom(store: Store, since: Date, personId?: string): Appointment[] {
  // `at` carries its local offset: compare instants, not strings.
  return Object.values(store.data.appointments)
    .filter((a) => (personId ? a.personId === personId : Date.parse(a.at) >= since.getTime()))
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
}
