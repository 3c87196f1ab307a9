/**
 * @module bot/console/reminders/appointments
 * Appointments in the console: the form (what, where, date, time, which reminders; the defaults
 * ticked), the list with where each reminder stands, and cancelling. After saving, the page says
 * in words exactly when the reminders will go, or why none will.
 */
import { isEditable } from '../../reminders/appointment-edit.js'
import { appointmentsFrom } from '../../reminders/appointments.js'
import { unreachable } from '../../reminders/people.js'
import { ruleChoices, sortRules } from '../../reminders/rules.js'
import type { Appointment, Person } from '../../store/reminder-records.js'
import { Csrf, type Notice } from '../layout.js'
import { answerOf, BASE, reminderState, ruleLabel, whenOf, type RemView } from './view.js'

export type AppointmentDraft = {
  what: string
  where: string
  date: string
  time: string
  rules: string[]
  replaces?: string
}

/** The rules offered: the configured defaults and the usual extras, earliest first. */
const offered = (rv: RemView) =>
  sortRules([...new Set([...rv.reminders.settings.rules.map((r) => r.spec), ...ruleChoices])])

/**
 * The form for a new appointment, or, given `editing`, for changing that one in place (the same
 * fields, so both are checked the same way).
 */
export function AppointmentForm(props: {
  rv: RemView
  person: Person
  draft?: AppointmentDraft
  editing?: Appointment
}) {
  const { rv, person, editing } = props
  const r = rv.r
  const defaults = rv.reminders.settings.rules.map((rule) => rule.spec)
  const draft = props.draft ?? { what: '', where: '', date: '', time: '', rules: defaults }
  const why = unreachable(rv.store, person)
  const suggestions = r('console.appointment.suggestions').split('|')
  const action = editing
    ? `${BASE}/appointments/${editing.id}/edit`
    : `${BASE}/people/${person.id}/appointments`
  return (
    <form method="post" action={action} class="panel form-grid">
      <h2 class="wide">
        {r(editing ? 'console.appointment.editTitle' : 'console.appointment.new')}
      </h2>
      {why && <p class="wide notice error">{r(`console.unreachable.${why}`)}</p>}
      <Csrf v={rv} />
      {editing && <p class="wide hint">{r('console.appointment.editHint')}</p>}
      {!editing && draft.replaces && <Replaces rv={rv} id={draft.replaces} />}
      <div>
        <label for="a-what">{r('console.appointment.what')}</label>
        <input
          id="a-what"
          name="what"
          list="a-what-list"
          value={draft.what}
          maxlength={60}
          required
        />
        <datalist id="a-what-list">
          {suggestions.map((s) => (
            <option value={s} />
          ))}
        </datalist>
      </div>
      <div>
        <label for="a-where">{r('console.appointment.where')}</label>
        <input id="a-where" name="where" value={draft.where} maxlength={80} />
      </div>
      <div>
        <label for="a-date">{r('console.appointment.date')}</label>
        <input id="a-date" name="date" type="date" value={draft.date} required />
      </div>
      <div>
        <label for="a-time">{r('console.appointment.time')}</label>
        <input id="a-time" name="time" type="time" value={draft.time} required />
      </div>
      <fieldset class="wide">
        <legend>{r('console.appointment.rules')}</legend>
        {offered(rv).map((spec) => (
          <label class="check">
            <input type="checkbox" name="rules" value={spec} checked={draft.rules.includes(spec)} />{' '}
            {ruleLabel(r, spec)}
          </label>
        ))}
        <p class="hint">{r('console.appointment.rulesHint', { quiet: quietText(rv) })}</p>
      </fieldset>
      <div class="wide">
        <button class="primary" type="submit">
          {r(editing ? 'console.appointment.update' : 'console.appointment.save')}
        </button>
      </div>
    </form>
  )
}

/** The appointment a new time replaces: said in words, sent as a hidden field. */
function Replaces(props: { rv: RemView; id: string }) {
  const old = props.rv.store.data.appointments[props.id]
  if (!old) return null
  const when = whenOf(props.rv, old.at)
  return (
    <p class="wide hint">
      <input type="hidden" name="replaces" value={old.id} />
      {props.rv.r('console.appointment.replaces', { what: old.what, when })}
    </p>
  )
}

/** "21:00-08:00", as the settings say. */
const quietText = (rv: RemView) => {
  const { start, end } = rv.reminders.settings.quiet
  const hm = (m: number) =>
    `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
  return start === end ? rv.r('console.appointment.noQuiet') : `${hm(start)}-${hm(end)}`
}

/** Appointments of one person, or everyone's from now on; with each reminder's state. */
export function AppointmentList(props: {
  rv: RemView
  personId?: string
  back: string
  days?: number
}) {
  const { rv, personId } = props
  const r = rv.r
  const since = new Date(rv.now.getTime() - 86_400_000)
  const until = props.days ? rv.now.getTime() + props.days * 86_400_000 : Infinity
  const list = appointmentsFrom(rv.store, since, personId).filter((a) => Date.parse(a.at) <= until)
  if (list.length === 0) return <p class="empty">{r('console.appointments.none')}</p>
  return (
    <table class="appointments">
      <thead>
        <tr>
          <th>{r('console.appointment.when')}</th>
          {!personId && <th>{r('console.person.name')}</th>}
          <th>{r('console.appointment.what')}</th>
          <th>{r('console.appointment.reminders')}</th>
          <th>{r('console.appointment.answer')}</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {list.map((a) => (
          <AppointmentRow rv={rv} a={a} showPerson={!personId} back={props.back} />
        ))}
      </tbody>
    </table>
  )
}

function AppointmentRow(props: { rv: RemView; a: Appointment; showPerson: boolean; back: string }) {
  const { rv, a } = props
  const r = rv.r
  const person = rv.store.data.people[a.personId]
  const open = isEditable(a, rv.now)
  return (
    <tr class={a.status === 'cancelled' ? 'cancelled' : ''}>
      <td>{whenOf(rv, a.at)}</td>
      {props.showPerson && (
        <td>{person && <a href={`${BASE}/people/${person.id}`}>{person.name}</a>}</td>
      )}
      <td>{[a.what, a.where].filter(Boolean).join(', ')}</td>
      <td>
        <ul class="plain">
          {a.reminders.map((reminder) => (
            <li>{`${ruleLabel(r, reminder.rule)}: ${reminderState(rv, reminder)}`}</li>
          ))}
        </ul>
      </td>
      <td>{answerOf(rv, a)}</td>
      <td>
        {open && (
          <div class="buttons">
            <a class="button" href={`${BASE}/appointments/${a.id}/edit`}>
              {r('console.appointment.edit')}
            </a>
            <form method="post" action={`${BASE}/appointments/${a.id}/cancel`} class="inline">
              <Csrf v={rv} />
              <input type="hidden" name="back" value={props.back} />
              <button class="danger" type="submit">
                {r('console.appointment.cancel')}
              </button>
            </form>
          </div>
        )}
      </td>
    </tr>
  )
}

/** "Reminders go: …", or the warning that none will and why; after saving or after an edit. */
export function plannedNotice(rv: RemView, appointment: Appointment, edited = false): Notice {
  const r = rv.r
  const planned = appointment.reminders.filter((p) => p.state === 'planned')
  if (planned.length === 0) {
    return {
      kind: 'error',
      text: r(edited ? 'console.done.editedNone' : 'console.done.noReminders'),
    }
  }
  const times = planned.map((p) => whenOf(rv, p.dueAt)).join(r('console.and'))
  const person = rv.store.data.people[appointment.personId]
  const why = person && unreachable(rv.store, person)
  const warning = why ? ` ${r(`console.unreachable.${why}`)}` : ''
  return {
    kind: why ? 'error' : 'ok',
    text: `${r(edited ? 'console.done.edited' : 'console.done.appointment', { times })}${warning}`,
  }
}
