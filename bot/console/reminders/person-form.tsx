/**
 * @module bot/console/reminders/person-form
 * A person as the console shows and edits them: the form (name or alias, number, language,
 * groups, consent) and the searchable list.
 */
import { listPeople } from '../../reminders/people.js'
import type { Person } from '../../store/reminder-records.js'
import { Csrf } from '../layout.js'
import { BASE, PersonBadges, type RemView } from './view.js'

export type PersonDraft = Record<'name' | 'phone' | 'language' | 'groups' | 'consent', string>

export const emptyDraft: PersonDraft = {
  name: '',
  phone: '',
  language: '',
  groups: '',
  consent: 'given',
}

export const draftOf = (p: Person): PersonDraft => ({
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
export function search(rv: RemView, query: string): Person[] {
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

export function PeopleList(props: { rv: RemView; query: string }) {
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

/** Deleting needs a tick in the box: there is no undo, and no script to ask "are you sure?". */
export function DeleteForm(props: { rv: RemView; person: Person }) {
  const { rv, person } = props
  const r = rv.r
  return (
    <form method="post" action={`${BASE}/people/${person.id}/delete`} class="panel">
      <Csrf v={rv} />
      <p class="hint">{r('console.person.deleteHint')}</p>
      <label class="check">
        <input type="checkbox" name="confirm" value="yes" required />{' '}
        {r('console.person.deleteConfirm', { name: person.name })}
      </label>
      <button class="danger" type="submit">
        {r('console.person.delete')}
      </button>
    </form>
  )
}
