/**
 * @module bot/console/reminders/people
 * The people coordinators remind: a searchable list, a short form to add one, and each person's
 * page, which opens on the form for a new appointment (the thing done most often).
 */
import { Hono, type Context } from 'hono'
import { rulesOf } from '../../reminders/appointment-edit.js'
import { deletePerson, personByPhone, PersonInput, savePerson } from '../../reminders/people.js'
import type { Reminders } from '../../reminders/service.js'
import type { Person } from '../../store/reminder-records.js'
import type { ConsoleDeps, ConsoleEnv } from '../context.js'
import type { Notice } from '../layout.js'
import {
  AppointmentForm,
  AppointmentList,
  plannedNotice,
  type AppointmentDraft,
} from './appointments.js'
import {
  DeleteForm,
  draftOf,
  emptyDraft,
  PeopleList,
  PersonForm,
  search,
  type PersonDraft,
} from './person-form.js'
import { BASE, PersonBadges, refusalText, RemindersPage, remViewOf, type RemView } from './view.js'

type PageOptions = { notice?: Notice; draft?: PersonDraft; status?: 200 | 400 | 404 | 409 }

function peoplePage(c: Context<ConsoleEnv>, rv: RemView, options: PageOptions = {}) {
  const r = rv.r
  const query = c.req.query('q') ?? ''
  return c.html(
    <RemindersPage rv={rv} title={r('console.people.title')} notice={options.notice}>
      <h1>{r('console.people.title')}</h1>
      <form method="get" action={`${BASE}/people`} class="row search" role="search">
        <div>
          <label for="q">{r('console.people.search')}</label>
          <input id="q" name="q" type="search" value={query} />
        </div>
        <button type="submit">{r('console.people.find')}</button>
      </form>
      <PeopleList rv={rv} query={query} />
      <h2 id="new">{r('console.people.add')}</h2>
      <PersonForm
        rv={rv}
        draft={options.draft ?? emptyDraft}
        action={`${BASE}/people`}
        submit={r('console.people.save')}
      />
    </RemindersPage>,
    options.status ?? 200
  )
}

/** One person: new appointment first, then their appointments, then their details. */
export function personPage(
  c: Context<ConsoleEnv>,
  rv: RemView,
  person: Person,
  options: PageOptions & { appointment?: AppointmentDraft } = {}
) {
  const r = rv.r
  return c.html(
    <RemindersPage rv={rv} title={person.name} notice={options.notice}>
      <div class="chat-head">
        <h1>{person.name}</h1>
        <PersonBadges rv={rv} person={person} />
        <span class="muted">
          {[person.phone, r(`console.language.${person.language}`), person.groups.join(', ')]
            .filter(Boolean)
            .join(' · ')}
        </span>
      </div>
      <AppointmentForm rv={rv} person={person} draft={options.appointment} />
      <h2>{r('console.appointments.title')}</h2>
      <AppointmentList rv={rv} personId={person.id} back={`${BASE}/people/${person.id}`} />
      <details class="panel" open={options.draft !== undefined}>
        <summary>{r('console.person.edit')}</summary>
        <PersonForm
          rv={rv}
          draft={options.draft ?? draftOf(person)}
          action={`${BASE}/people/${person.id}`}
          submit={r('console.person.update')}
        />
      </details>
      <DeleteForm rv={rv} person={person} />
    </RemindersPage>,
    options.status ?? 200
  )
}

export function peopleRoutes(deps: ConsoleDeps, reminders: Reminders) {
  const app = new Hono<ConsoleEnv>()
  const rvOf = (c: Context<ConsoleEnv>) => remViewOf(c, deps, reminders)

  /** Checks and saves the form; answers with the page again and the reason when it is wrong. */
  const save = async (c: Context<ConsoleEnv>, id: string | undefined) => {
    const rv = rvOf(c)
    const form = await c.req.parseBody()
    const draft = Object.fromEntries(
      Object.keys(emptyDraft).map((k) => [k, String(form[k] ?? '')])
    ) as PersonDraft
    const parsed = PersonInput.safeParse(draft)
    const taken =
      parsed.success && parsed.data.phone ? personByPhone(deps.store, parsed.data.phone) : undefined
    const existing = id ? deps.store.data.people[id] : undefined
    if (!parsed.success || (taken && taken.id !== id)) {
      const codes = parsed.success ? ['phone-taken'] : parsed.error.issues.map((i) => i.message)
      const notice: Notice = {
        kind: 'error',
        text: refusalText(rv, codes),
      }
      return existing
        ? personPage(c, rv, existing, { notice, draft, status: 400 })
        : peoplePage(c, rv, { notice, draft, status: 400 })
    }
    const personId = id ?? reminders.newId('per')
    await reminders.commit(() =>
      savePerson(deps.store, parsed.data, { now: rv.now, by: rv.staff.id, id: personId })
    )
    deps.desk.audit.append({
      at: rv.now.toISOString(),
      actor: rv.staff.id,
      action: id ? 'reminders.person.update' : 'reminders.person.create',
    })
    await deps.desk.audit.flush()
    return c.redirect(`${BASE}/people/${personId}?done=${id ? 'updated' : 'created'}`, 303)
  }

  app.get('/', (c) => {
    const rv = rvOf(c)
    // Searching for one person leads straight to their page and its appointment form.
    const found = c.req.query('q') ? search(rv, c.req.query('q')!) : []
    if (found.length === 1) return c.redirect(`${BASE}/people/${found[0]!.id}`, 303)
    const count = Number(c.req.query('n') ?? 0)
    const done = c.req.query('done')
    const notice: Notice | undefined =
      done === 'imported'
        ? { kind: 'ok', text: rv.r('console.done.imported', { count }) }
        : done === 'deleted'
          ? { kind: 'ok', text: rv.r('console.done.deleted') }
          : undefined
    return peoplePage(c, rv, { notice })
  })
  app.post('/', (c) => save(c, undefined))
  app.get('/:id', async (c) => {
    const rv = rvOf(c)
    const person = deps.store.data.people[c.req.param('id')]
    if (!person)
      return peoplePage(c, rv, {
        notice: { kind: 'error', text: rv.r('console.error.not-found') },
        status: 404,
      })
    // Who looked at whom: a person's page shows their number and appointments.
    deps.desk.audit.append({
      at: rv.now.toISOString(),
      actor: rv.staff.id,
      action: 'reminders.person.open',
    })
    await deps.desk.audit.flush()
    const notice = doneNotice(rv, c.req.query('done'), c.req.query('apt'))
    // "Enter a new time" from a reply: the same appointment again, date and time left open.
    const old = deps.store.data.appointments[c.req.query('replace') ?? '']
    const appointment: AppointmentDraft | undefined =
      old && old.personId === person.id
        ? {
            what: old.what,
            where: old.where ?? '',
            date: '',
            time: '',
            rules: rulesOf(old),
            replaces: old.id,
          }
        : undefined
    return personPage(c, rv, person, { notice, appointment })
  })
  app.post('/:id', async (c) => {
    if (!deps.store.data.people[c.req.param('id')])
      return c.text(rvOf(c).r('console.error.not-found'), 404)
    return save(c, c.req.param('id'))
  })
  app.post('/:id/delete', async (c) => {
    const rv = rvOf(c)
    const id = c.req.param('id')
    const form = await c.req.parseBody()
    if (!deps.store.data.people[id]) return c.text(rv.r('console.error.not-found'), 404)
    if (form.confirm !== 'yes') return c.redirect(`${BASE}/people/${id}`, 303)
    await reminders.commit(() => deletePerson(deps.store, id))
    deps.desk.audit.append({
      at: rv.now.toISOString(),
      actor: rv.staff.id,
      action: 'reminders.person.delete',
    })
    await deps.desk.audit.flush()
    return c.redirect(`${BASE}/people?done=deleted`, 303)
  })
  return app
}

/** The line shown after a change (?done=…); for a saved appointment, when its reminders go. */
function doneNotice(rv: RemView, done?: string, appointmentId?: string): Notice | undefined {
  const keys = ['created', 'updated', 'cancelled'] as const
  const key = keys.find((k) => k === done)
  if (key) return { kind: 'ok', text: rv.r(`console.done.${key}`) }
  const saved = done === 'appointment' || done === 'edited'
  const appointment = saved && appointmentId ? rv.store.data.appointments[appointmentId] : undefined
  return appointment ? plannedNotice(rv, appointment, done === 'edited') : undefined
}
