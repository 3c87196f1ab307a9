/**
 * @module bot/console/reminders-people
 * The people coordinators remind: a searchable list, a short form to add one, and each person's
 * page, which opens on the form for a new appointment (the thing done most often).
 */
import { Hono, type Context } from 'hono'
import { listPeople, personByPhone, PersonInput, savePerson } from '../reminders/people.js'
import type { Reminders } from '../reminders/service.js'
import { CATCH_UP } from '../reminders/plan.js'
import type { Appointment, Person } from '../store/reminder-records.js'
import type { ConsoleDeps, ConsoleEnv } from './context.js'
import { Csrf, type Notice } from './layout.js'
import {
  AppointmentForm,
  AppointmentList,
  plannedNotice,
  type AppointmentDraft,
} from './reminders-appointments.js'
import { BASE, PersonBadges, RemindersPage, remViewOf, type RemView } from './reminders-view.js'

type PersonDraft = Record<'name' | 'phone' | 'language' | 'groups' | 'consent', string>

const emptyDraft: PersonDraft = { name: '', phone: '', language: '', groups: '', consent: 'given' }

const draftOf = (p: Person): PersonDraft => ({
  name: p.name,
  phone: p.phone ?? '',
  language: p.language,
  groups: p.groups.join(', '),
  consent: p.consent,
})

export function PersonForm(props: {
  rv: RemView
  draft: PersonDraft
  action: string
  submit: string
}) {
  const { rv, draft } = props
  const r = rv.r
  const language = draft.language || rv.language
  return (
    <form method="post" action={props.action} class="panel form-grid">
      <Csrf v={rv} />
      <div>
        <label for="p-name">{r('console.person.name')}</label>
        <input id="p-name" name="name" value={draft.name} maxlength={80} required />
      </div>
      <div>
        <label for="p-phone">{r('console.person.phone')}</label>
        <input id="p-phone" name="phone" type="tel" value={draft.phone} inputmode="tel" />
        <p class="hint">{r('console.person.phoneHint')}</p>
      </div>
      <div>
        <label for="p-language">{r('console.person.language')}</label>
        <select id="p-language" name="language">
          <option value="nb" selected={language === 'nb'}>
            {r('console.language.nb')}
          </option>
          <option value="en" selected={language === 'en'}>
            {r('console.language.en')}
          </option>
        </select>
      </div>
      <div>
        <label for="p-groups">{r('console.person.groups')}</label>
        <input id="p-groups" name="groups" value={draft.groups} maxlength={300} />
        <p class="hint">{r('console.person.groupsHint')}</p>
      </div>
      <fieldset class="wide">
        <legend>{r('console.person.consent')}</legend>
        {(['given', 'refused', 'unknown'] as const).map((value) => (
          <label class="check">
            <input type="radio" name="consent" value={value} checked={draft.consent === value} />{' '}
            {r(`console.consent.${value}`)}
          </label>
        ))}
      </fieldset>
      <div class="wide">
        <button class="primary" type="submit">
          {props.submit}
        </button>
      </div>
    </form>
  )
}

/** People whose name, number (spaces ignored) or group contains the query. */
function search(rv: RemView, query: string): Person[] {
  const q = query.trim().toLowerCase()
  const digits = q.replace(/[\s-]/g, '')
  return listPeople(rv.store).filter(
    (p) =>
      !q ||
      p.name.toLowerCase().includes(q) ||
      p.groups.some((g) => g.includes(q)) ||
      (/^\+?\d{3,}$/.test(digits) && (p.phone ?? '').includes(digits))
  )
}

function PeopleList(props: { rv: RemView; query: string }) {
  const { rv, query } = props
  const r = rv.r
  const people = search(rv, query)
  if (people.length === 0) return <p class="empty">{r('console.people.none')}</p>
  return (
    <table>
      <thead>
        <tr>
          <th>{r('console.person.name')}</th>
          <th>{r('console.person.phone')}</th>
          <th>{r('console.person.groups')}</th>
          <th>{r('console.person.status')}</th>
        </tr>
      </thead>
      <tbody>
        {people.map((p) => (
          <tr>
            <td>
              <a href={`${BASE}/people/${p.id}`}>{p.name}</a>
            </td>
            <td>{p.phone ?? ''}</td>
            <td>{p.groups.join(', ')}</td>
            <td>
              <PersonBadges rv={rv} person={p} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

type PageOptions = { notice?: Notice; draft?: PersonDraft; status?: 200 | 400 | 404 }

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
        text: codes.map((k) => rv.r(`console.error.${k}` as 'console.error.name')).join(' '),
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
    const notice: Notice | undefined =
      c.req.query('done') === 'imported'
        ? { kind: 'ok', text: rv.r('console.done.imported', { count }) }
        : undefined
    return peoplePage(c, rv, { notice })
  })
  app.post('/', (c) => save(c, undefined))
  app.get('/:id', (c) => {
    const rv = rvOf(c)
    const person = deps.store.data.people[c.req.param('id')]
    if (!person)
      return peoplePage(c, rv, {
        notice: { kind: 'error', text: rv.r('console.error.not-found') },
        status: 404,
      })
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
            rules: ruleSpecs(old),
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
  return app
}

/** The rules an appointment was made with (its catch-up is not a rule). */
const ruleSpecs = (a: Appointment) => a.reminders.map((r) => r.rule).filter((r) => r !== CATCH_UP)

/** The line shown after a change (?done=…); for a new appointment, when its reminders go. */
function doneNotice(rv: RemView, done?: string, appointmentId?: string): Notice | undefined {
  const keys = ['created', 'updated', 'cancelled'] as const
  const key = keys.find((k) => k === done)
  if (key) return { kind: 'ok', text: rv.r(`console.done.${key}`) }
  const appointment =
    done === 'appointment' && appointmentId ? rv.store.data.appointments[appointmentId] : undefined
  return appointment ? plannedNotice(rv, appointment) : undefined
}
