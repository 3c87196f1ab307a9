/**
 * @module bot/console/reminders/appointment-edit
 * The page that changes an appointment in place: the appointment form filled in with its current
 * values (or with what was typed, when a save was refused), and the way back to the person.
 */
import type { Context } from 'hono'
import { DateTime } from 'luxon'
import { rulesOf } from '../../reminders/appointment-edit.js'
import type { Appointment, Person } from '../../store/reminder-records.js'
import type { ConsoleEnv } from '../context.js'
import type { Notice } from '../layout.js'
import { AppointmentForm, type AppointmentDraft } from './appointments.js'
import { BASE, PersonBadges, RemindersPage, type RemView } from './view.js'

/** The form's values for an appointment as it stands, date and time in the office's zone. */
export function draftFrom(rv: RemView, appointment: Appointment): AppointmentDraft {
  const local = DateTime.fromISO(appointment.at).setZone(rv.zone)
  return {
    what: appointment.what,
    where: appointment.where ?? '',
    date: local.toFormat('yyyy-MM-dd'),
    time: local.toFormat('HH:mm'),
    rules: rulesOf(appointment),
  }
}

/** The edit page; a refused save passes its reasons and what was typed, and answers 400. */
export function editPage(
  c: Context<ConsoleEnv>,
  rv: RemView,
  appointment: Appointment,
  person: Person,
  refused?: { notice: Notice; draft: AppointmentDraft }
) {
  const r = rv.r
  return c.html(
    <RemindersPage rv={rv} title={r('console.appointment.editTitle')} notice={refused?.notice}>
      <div class="chat-head">
        <h1>{person.name}</h1>
        <PersonBadges rv={rv} person={person} />
      </div>
      <AppointmentForm
        rv={rv}
        person={person}
        draft={refused?.draft ?? draftFrom(rv, appointment)}
        editing={appointment}
      />
      <p>
        <a href={`${BASE}/people/${person.id}`}>
          {r('console.appointment.backTo', { name: person.name })}
        </a>
      </p>
    </RemindersPage>,
    refused ? 400 : 200
  )
}
