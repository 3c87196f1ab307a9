/**
 * @module bot/console/chats/history
 * /console/history: chats that have ended, newest first, to find one again: by alias or the end
 * of the number, by date, outcome and who held it. Volunteers see the chats they held;
 * coordinators and admins see all, with a link to each participant's page.
 */
import { Hono } from 'hono'
import { DateTime } from 'luxon'
import { z } from 'zod'
import { aliasCode } from '../../handoff/alias.js'
import { mayRead } from '../../handoff/permissions.js'
import { allOutcomes, outcomeOf } from '../../handoff/staff-actions.js'
import { endedAt } from '../../store/handoffs.js'
import type { Handoff } from '../../store/schema.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Page } from '../layout.js'
import { aliasOf, channelOf, isLead, nameOf, numberOf, timeOf, type ViewContext } from '../view.js'

/** Rows on one page: the newest; a filter finds older ones. */
const SHOWN = 200

const day = z.union([z.literal(''), z.iso.date()])
export const HistoryFilter = z.object({
  q: z.string().trim().max(40).default(''),
  from: day.default(''),
  to: day.default(''),
  outcome: z.union([z.literal(''), z.enum(allOutcomes)]).default(''),
  staff: z.string().max(60).default(''),
})
export type HistoryFilter = z.infer<typeof HistoryFilter>

/** Whether a search text names this participant: the alias code, or the end of the number. */
function matches(v: ViewContext, h: Handoff, q: string): boolean {
  if (!q) return true
  if (aliasCode(h.participantId).toUpperCase() === q.replace(/^\S+\s+/, '').toUpperCase())
    return true
  // "+47*****567" as shown, or "567": the digits after the last star.
  const digits = q.split('*').at(-1)!.replace(/\D/g, '')
  const participant = v.store.data.participants[h.participantId]
  return (
    digits.length >= 3 && participant?.channel === 'sms' && participant.address.endsWith(digits)
  )
}

/** The ended chats this person may read that pass the filter, newest first. */
export function historyOf(v: ViewContext, all: Handoff[], f: HistoryFilter): Handoff[] {
  const startOf = (d: string) => DateTime.fromISO(d, { zone: v.zone }).startOf('day').toISO()!
  const from = f.from ? startOf(f.from) : undefined
  const to = f.to ? DateTime.fromISO(f.to, { zone: v.zone }).endOf('day').toISO()! : undefined
  return all
    .map((h) => ({ h, ended: endedAt(h) }))
    .filter(({ h, ended }) => {
      if (!ended || !mayRead(v.staff, h)) return false
      const at = Date.parse(ended)
      if (from && at < Date.parse(from)) return false
      if (to && at > Date.parse(to)) return false
      if (f.outcome && outcomeOf(h.outcome) !== f.outcome) return false
      if (f.staff && h.assignee !== f.staff) return false
      return matches(v, h, f.q)
    })
    .sort((a, b) => b.ended!.localeCompare(a.ended!))
    .map(({ h }) => h)
}

function Filters(props: { v: ViewContext; f: HistoryFilter }) {
  const { v, f } = props
  const t = v.t
  const staff = Object.values(v.store.data.staff).sort((a, b) =>
    a.username.localeCompare(b.username)
  )
  return (
    <form method="get" action="/console/history" class="panel filters">
      <div class="row">
        <div>
          <label for="q">{t('history.search')}</label>
          <input id="q" name="q" value={f.q} placeholder={t('history.searchHint')} />
        </div>
        <div>
          <label for="from">{t('history.from')}</label>
          <input id="from" name="from" type="date" value={f.from} />
        </div>
        <div>
          <label for="to">{t('history.to')}</label>
          <input id="to" name="to" type="date" value={f.to} />
        </div>
        <div>
          <label for="outcome">{t('history.outcome')}</label>
          <select id="outcome" name="outcome">
            <option value="">{t('history.any')}</option>
            {allOutcomes.map((o) => (
              <option value={o} selected={f.outcome === o}>
                {t(`outcome.${o}`)}
              </option>
            ))}
          </select>
        </div>
        {isLead(v.staff) && (
          <div>
            <label for="staff">{t('history.who')}</label>
            <select id="staff" name="staff">
              <option value="">{t('history.anyone')}</option>
              {staff.map((s) => (
                <option value={s.id} selected={f.staff === s.id}>
                  {s.username}
                </option>
              ))}
            </select>
          </div>
        )}
        <button type="submit" class="primary">
          {t('history.find')}
        </button>
      </div>
    </form>
  )
}

function Row(props: { v: ViewContext; h: Handoff }) {
  const { v, h } = props
  const t = v.t
  const number = numberOf(v, h)
  return (
    <tr>
      <td>{timeOf(v, endedAt(h)!)}</td>
      <td>
        {isLead(v.staff) && v.store.data.participants[h.participantId] ? (
          <a href={`/console/participants/${h.participantId}`}>{aliasOf(v, h)}</a>
        ) : (
          aliasOf(v, h)
        )}
      </td>
      <td>{[channelOf(v, h), number].filter(Boolean).join(' · ')}</td>
      <td>{t(`reason.${h.reason}`)}</td>
      <td>{t(`outcome.${outcomeOf(h.outcome)}`)}</td>
      <td>{h.assignee ? nameOf(v, h.assignee) : t('history.nobody')}</td>
      <td>
        <a href={`/console/chats/${h.id}`}>{t('history.open')}</a>
      </td>
    </tr>
  )
}

export function historyRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  app.get('/', (c) => {
    const v = viewOf(c, deps)
    const t = v.t
    const { f, bad } = readFilter(c.req.query())
    const found = historyOf(v, Object.values(deps.store.data.handoffs), f)
    const labels = bad.map((field) => t(`history.${labelOf[field]}`))
    return c.html(
      <Page t={t} language={deps.desk.settings.staffLanguage} title={t('history.title')} v={v}>
        <h1>{t('history.title')}</h1>
        <p class="hint">{isLead(v.staff) ? t('history.introLead') : t('history.intro')}</p>
        {bad.length > 0 && (
          <p class="notice error" role="alert">
            {t('history.badFilter', { fields: labels.join(', ') })}
          </p>
        )}
        <Filters v={v} f={f} />
        {found.length === 0 ? (
          <p class="empty">{t('history.none')}</p>
        ) : (
          <>
            <p class="muted">
              {found.length > SHOWN
                ? t('history.countCapped', { count: found.length, shown: SHOWN })
                : t('history.count', { count: found.length })}
            </p>
            <table>
              <thead>
                <tr>
                  <th>{t('history.ended')}</th>
                  <th>{t('history.participant')}</th>
                  <th>{t('history.channel')}</th>
                  <th>{t('history.reason')}</th>
                  <th>{t('history.outcome')}</th>
                  <th>{t('history.who')}</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                {found.slice(0, SHOWN).map((h) => (
                  <Row v={v} h={h} />
                ))}
              </tbody>
            </table>
          </>
        )}
      </Page>,
      bad.length > 0 ? 400 : 200
    )
  })
  return app
}

/** The form's label of each filter, to name a bad one. */
const labelOf = { q: 'search', from: 'from', to: 'to', outcome: 'outcome', staff: 'who' } as const

/**
 * Each filter on its own: a bad date keeps the other filters (and is named), rather than
 * quietly showing everything.
 */
export function readFilter(query: Record<string, string>): {
  f: HistoryFilter
  bad: (keyof HistoryFilter)[]
} {
  const f = HistoryFilter.parse({})
  const bad: (keyof HistoryFilter)[] = []
  for (const key of Object.keys(HistoryFilter.shape) as (keyof HistoryFilter)[]) {
    const parsed = HistoryFilter.shape[key].safeParse(query[key])
    if (parsed.success) Object.assign(f, { [key]: parsed.data })
    else bad.push(key)
  }
  return { f, bad }
}
