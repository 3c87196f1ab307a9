/**
 * Reminder test helpers: the production wiring on a movable clock, and people and appointments
 * put in the way the console does it.
 */
import { DateTime } from 'luxon'
import type { SmsTransport } from '../../bot/channels/channel.js'
import { createAppointment } from '../../bot/reminders/appointments.js'
import { PersonInput, savePerson } from '../../bot/reminders/people.js'
import type { Appointment, Person } from '../../bot/store/reminder-records.js'
import { makeApp, type TestApp } from './make-app.js'

export type ReminderApp = TestApp & {
  /** Moves the clock to a local Oslo time ("2026-11-23T18:00"). */
  at(local: string): Date
  now(): Date
  /** Runs the scheduler once at the current time. */
  tick(): ReturnType<TestApp['runtime']['reminders']['tick']>
}

export const oslo = (local: string) => DateTime.fromISO(local, { zone: 'Europe/Oslo' }).toJSDate()

/** The app on a clock that starts at `start` (local Oslo time). */
export async function reminderApp(
  start: string,
  options: { smsTransport?: SmsTransport; config?: Record<string, unknown> } = {}
): Promise<ReminderApp> {
  let now = oslo(start)
  const t = await makeApp({
    now: () => now,
    smsTransport: options.smsTransport,
    config: options.config,
  })
  return Object.assign(t, {
    at: (local: string) => (now = oslo(local)),
    now: () => now,
    tick: () => t.runtime.reminders.tick(now),
  })
}

let people = 0
let appointments = 0

/** A person with consent, in Norwegian unless told otherwise. */
export function addPerson(
  t: TestApp,
  fields: Partial<Record<'name' | 'phone' | 'language' | 'groups' | 'consent', string>> = {}
): Person {
  const input = PersonInput.parse({
    name: 'Ola',
    phone: '+4791234567',
    language: 'nb',
    groups: '',
    consent: 'given',
    ...fields,
  })
  return savePerson(t.store, input, { now: t.runtime.clock(), id: `per_${++people}` })
}

/** An appointment at a local Oslo time with the default rules (or the given ones). */
export function addAppointment(
  t: TestApp,
  person: Person,
  local: string,
  fields: { what?: string; where?: string; rules?: string[]; replaces?: string } = {}
): Appointment {
  const [date, time] = local.split('T') as [string, string]
  const result = createAppointment(
    t.runtime.reminders.deps,
    {
      personId: person.id,
      what: fields.what ?? 'Møte hos NAV',
      where: fields.where,
      date,
      time,
      rules: fields.rules ?? ['-1d@18:00', '-2h'],
      replaces: fields.replaces,
    },
    { now: t.runtime.clock(), id: `apt_${++appointments}` }
  )
  if (!result.ok) throw new Error(`appointment refused: ${result.error}`)
  return result.appointment
}

/** The SMS bodies that went (or wait to go) to a number, in the order they were queued. */
export const smsTo = (t: TestApp, to: string, states = ['sent', 'delivered']) =>
  Object.values(t.store.data.outbox)
    .filter((m) => m.to === to && states.includes(m.state))
    .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
    .map((m) => m.body)
