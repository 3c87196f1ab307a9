/**
 * @module bot/console/participants/participant-page
 * /console/participants/:id, for coordinators and admins: one participant's chats, appointments,
 * shared checklist and consent on one page (opening it is audited), and a form to write to them
 * first when they agreed that a person may read and answer them. That SMS goes through the
 * outbox (after quiet hours at night) and opens a chat held by the writer, like any other.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import type { Knowledge } from '../../../content/load.js'
import { aliasCode } from '../../handoff/alias.js'
import { reachOutRefusal } from '../../handoff/permissions.js'
import { outcomeOf } from '../../handoff/staff-actions.js'
import { isQuiet, nextAllowed } from '../../reminders/quiet-hours.js'
import { endedAt } from '../../store/handoffs.js'
import type { Handoff, Participant } from '../../store/schema.js'
import { statusFor, viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Csrf, Page, type Notice } from '../layout.js'
import { channelOf, isLead, nameOf, timeOf, type ViewContext } from '../view.js'
import { ChecklistAnswers } from './checklist-answers.js'

const StartForm = z.object({ text: z.string().trim().min(1).max(1000) })

function Chats(props: { v: ViewContext; chats: Handoff[] }) {
  const { v, chats } = props
  const t = v.t
  if (chats.length === 0) return <p class="empty">{t('person.noChats')}</p>
  return (
    <table>
      <thead>
        <tr>
          <th>{t('person.started')}</th>
          <th>{t('history.reason')}</th>
          <th>{t('person.state')}</th>
          <th>{t('history.who')}</th>
          <th></th>
        </tr>
      </thead>
      <tbody>
        {chats.map((h) => (
          <tr>
            <td>{timeOf(v, h.createdAt)}</td>
            <td>{t(`reason.${h.reason}`)}</td>
            <td>
              {endedAt(h)
                ? `${t(`outcome.${outcomeOf(h.outcome)}`)} (${timeOf(v, endedAt(h)!)})`
                : t(`state.${h.state}`)}
            </td>
            <td>{h.assignee ? nameOf(v, h.assignee) : t('history.nobody')}</td>
            <td>
              <a href={`/console/chats/${h.id}`}>{t('history.open')}</a>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function Appointments(props: { v: ViewContext; deps: ConsoleDeps; p: Participant }) {
  const { v, deps, p } = props
  const t = v.t
  const people = Object.values(deps.store.data.people).filter(
    (person) => p.channel === 'sms' && person.phone === p.address
  )
  const appointments = Object.values(deps.store.data.appointments)
    .filter((a) => people.some((person) => person.id === a.personId) && a.status === 'scheduled')
    .sort((a, b) => a.at.localeCompare(b.at))
  if (people.length === 0) return <p class="muted">{t('person.noReminders')}</p>
  return (
    <>
      {appointments.length === 0 ? (
        <p class="muted">{t('person.noAppointments')}</p>
      ) : (
        <ul>
          {appointments.map((a) => (
            <li>
              {`${timeOf(v, a.at)}: ${a.what}${a.where ? `, ${a.where}` : ''}`}
              {a.answer && ` (${t(`person.answer.${a.answer.kind}`)})`}
            </li>
          ))}
        </ul>
      )}
      <p>
        {people.map((person) => (
          <a href={`/console/reminders/people/${person.id}`}>{t('person.reminderPage')}</a>
        ))}
      </p>
    </>
  )
}

function StartChat(props: { v: ViewContext; deps: ConsoleDeps; p: Participant; draft?: string }) {
  const { v, deps, p } = props
  const t = v.t
  const refusal = reachOutRefusal(v.staff, p)
  if (refusal) return <p class="muted">{t(`person.cannotStart.${refusal}`)}</p>
  const now = deps.clock()
  const quiet = isQuiet(deps.desk.quietHours, now)
  return (
    <form method="post" action={`/console/participants/${p.id}/start`} class="panel">
      <Csrf v={v} />
      <label for="start-text">{t('person.startLabel')}</label>
      <textarea id="start-text" name="text" required maxlength={1000}>
        {props.draft ?? ''}
      </textarea>
      <p class="hint">
        {quiet
          ? t('person.startQuiet', {
              when: timeOf(v, nextAllowed(deps.desk.quietHours, now).toISOString()),
            })
          : t('person.startHint')}
      </p>
      <button type="submit" class="primary">
        {t('person.start')}
      </button>
    </form>
  )
}

async function renderPerson(
  c: Context<ConsoleEnv>,
  deps: ConsoleDeps,
  knowledge: Knowledge | undefined,
  options: { notice?: Notice; draft?: string; status?: 200 | 400 | 403 | 404 | 409 | 502 } = {}
) {
  const v = viewOf(c, deps)
  const t = v.t
  if (!isLead(v.staff)) return c.text(t('refused.role'), 403)
  const p = deps.store.data.participants[c.req.param('id') ?? '']
  if (!p) return c.text(t('person.notFound'), 404)
  deps.desk.audit.append({
    at: deps.clock().toISOString(),
    actor: v.staff.id,
    action: 'participant.viewed',
    participantId: p.id,
  })
  await deps.desk.audit.flush()
  const chats = Object.values(deps.store.data.handoffs)
    .filter((h) => h.participantId === p.id)
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
  const mapping = deps.store.data.mappings[p.id]
  const language = deps.desk.settings.staffLanguage
  const alias = t('participant.alias', { code: aliasCode(p.id) })
  return c.html(
    <Page t={t} language={language} title={alias} v={v} notice={options.notice}>
      <h1>{alias}</h1>
      <p class="muted">
        {[
          t(`channel.${p.channel}`),
          p.channel === 'sms' && p.address,
          p.language &&
            t('person.language', { language: p.language === 'nb' ? 'norsk' : 'English' }),
          t('person.lastSeen', { when: timeOf(v, p.lastSeenAt) }),
        ]
          .filter(Boolean)
          .join(' · ')}
      </p>
      <h2>{t('person.consent')}</h2>
      <p>
        {p.consent
          ? t(p.consent.given ? 'person.consentGiven' : 'person.consentDeclined', {
              when: timeOf(v, p.consent.at),
            })
          : t('person.consentNone')}
        {p.optedOut && ` ${t('person.optedOut')}`}
      </p>
      <h2>{t('person.startTitle')}</h2>
      <StartChat v={v} deps={deps} p={p} draft={options.draft} />
      <h2>{t('person.chats')}</h2>
      <Chats v={v} chats={chats} />
      <h2>{t('person.appointments')}</h2>
      <Appointments v={v} deps={deps} p={p} />
      <h2>{t('person.checklist')}</h2>
      {mapping && knowledge ? (
        <>
          <p class="muted">{t('context.checklist', { when: timeOf(v, mapping.at) })}</p>
          <ChecklistAnswers
            v={v}
            record={mapping}
            mapping={knowledge.mapping}
            language={language}
          />
        </>
      ) : (
        <p class="muted">{t('person.noChecklist')}</p>
      )}
      <p>
        <a href={`/console/privacy?q=${aliasCode(p.id)}`}>{t('person.privacy')}</a>
      </p>
    </Page>,
    options.status ?? 200
  )
}

/** Routes under /console/participants. */
export function participantRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  app.get('/:id', (c) => renderPerson(c, deps, deps.knowledge))
  app.post('/:id/start', async (c) => {
    const v = viewOf(c, deps)
    const form = StartForm.safeParse(await c.req.parseBody())
    if (!form.success) {
      const notice: Notice = { kind: 'error', text: v.t('person.startEmpty') }
      return renderPerson(c, deps, deps.knowledge, { notice, status: 400 })
    }
    const result = await deps.desk.reachOut(v.staff, c.req.param('id'), form.data.text)
    if (!result.ok) {
      const notice: Notice = {
        kind: 'error',
        text: v.t(`refused.${result.reason}`, { holder: '' }),
      }
      const status = statusFor(result.reason) as 403 | 404 | 409 | 502
      return renderPerson(c, deps, deps.knowledge, { notice, draft: form.data.text, status })
    }
    const done = result.existing ? 'already-open' : result.heldUntil ? 'started-held' : 'started'
    return c.redirect(`/console/chats/${result.id}?done=${done}`, 303)
  })
  return app
}
