/**
 * @module bot/reminders/appointment-edit
 * Changing an appointment in place: the form is checked as for a new one, reminders not yet sent
 * are stopped and planned again by bot/reminders/plan.ts, and those whose time has come stay as
 * history. No "your time changed" SMS: a reminder planned for the new time says it.
 */
import { moveMessage } from '../store/outbox.js'
import type { Appointment, PlannedReminder } from '../store/reminder-records.js'
import type { Store } from '../store/store.js'
import {
  checkAppointment,
  handleReplies,
  type AppointmentError,
  type AppointmentInput,
  type Deps,
} from './appointments.js'
import { CATCH_UP, planReminders } from './plan.js'

/** Why an edit is refused: the form's reasons, or the appointment is cancelled or has begun. */
export type EditError = AppointmentError | 'closed'

/** Only a scheduled appointment that has not begun can be changed. */
export const isEditable = (appointment: Appointment, now: Date) =>
  appointment.status === 'scheduled' && Date.parse(appointment.at) > now.getTime()

/** The rules an appointment's reminders come from (not a catch-up, not those of an old time). */
export const rulesOf = (appointment: Appointment): string[] => [
  ...new Set(
    appointment.reminders.filter((r) => r.rule !== CATCH_UP && !r.oldAt).map((r) => r.rule)
  ),
]

/**
 * Saves new values for an appointment. When its time moved, the person's earlier answer no longer
 * holds and their waiting replies count as handled, as with a replacement appointment.
 */
export function editAppointment(
  deps: Deps,
  id: string,
  input: AppointmentInput,
  context: { now: Date; by?: string }
): { ok: true; appointment: Appointment; moved: boolean } | { ok: false; error: EditError } {
  const { store, settings } = deps
  const appointment = store.data.appointments[id]
  if (!appointment || !isEditable(appointment, context.now)) return { ok: false, error: 'closed' }
  // The person stays the appointment's own, whatever the form says.
  const personId = appointment.personId
  const checked = checkAppointment(deps, { ...input, personId }, context.now)
  if (!checked.ok) return checked
  const { at, fields, rules } = checked.value
  const moved = Date.parse(appointment.at) !== at.getTime()
  store.edit('appointments', id, (a) => {
    const history = stopUnsent(store, a.reminders, context.now)
    if (moved) for (const r of history) r.oldAt ??= a.at
    // Reminders already sent for this very time are not sent twice.
    const sent = history.filter((r) => !r.oldAt)
    const plan = planReminders({
      at,
      rules: rules.filter((rule) => !sent.some((r) => r.rule === rule.spec)),
      now: context.now,
      quiet: settings.quiet,
    })
    // A catch-up is for someone not yet reminded of this time.
    const fresh = sent.length ? plan.filter((r) => r.rule !== CATCH_UP) : plan
    a.what = fields.what
    a.at = fields.at
    if (fields.where) a.where = fields.where
    else delete a.where
    a.reminders = [...history, ...fresh]
    a.edits = (a.edits ?? 0) + 1
    a.updatedAt = context.now.toISOString()
    if (moved) delete a.answer
  })
  if (moved) handleReplies(store, id, context)
  return { ok: true, appointment, moved }
}

/**
 * Stops every reminder that has not gone: planned and skipped ones are dropped (the new plan says
 * again what will or will not go), queued ones still waiting in the outbox are cancelled there.
 * Returns what stays as history: the reminders sent or being sent.
 */
function stopUnsent(store: Store, reminders: PlannedReminder[], now: Date): PlannedReminder[] {
  return reminders.filter(
    (r) =>
      r.state === 'queued' &&
      r.messageId !== undefined &&
      !moveMessage(store, r.messageId, 'cancelled', now, { lastError: 'appointment changed' })
  )
}
