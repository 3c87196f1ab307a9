/**
 * @module bot/console/chats/queue
 * The queue: your conversations, who is waiting (urgent first, then the longest wait), and who
 * is with whom. It re-renders on the server whenever anything changes and arrives over
 * server-sent events, so the page needs no reload and no client-side templates.
 */
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { whenText } from '../../../dialogs/handoff-notice.js'
import { openHandoffs } from '../../store/handoffs.js'
import type { Handoff } from '../../store/schema.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Csrf, Page, type Notice } from '../layout.js'
import { liveStream } from '../live.js'
import { sessionIsLive } from '../staff/sessions.js'
import {
  aliasOf,
  channelOf,
  crisisOf,
  isLead,
  nameOf,
  numberOf,
  waitedOf,
  type ViewContext,
} from '../view.js'

type Sorted = { mine: Handoff[]; waiting: Handoff[]; others: Handoff[] }

function sortQueue(v: ViewContext, all: Handoff[]): Sorted {
  const me = v.staff.id
  const lead = isLead(v.staff)
  // A chat transferred to one coordinator waits for them only; to "any", for every lead.
  const claimable = (h: Handoff) =>
    h.state === 'requested' ||
    (lead && h.state === 'transferred' && (!h.transferTo || h.transferTo === me))
  return {
    mine: all.filter((h) => h.state === 'claimed' && h.assignee === me),
    waiting: all.filter(claimable),
    others: all.filter((h) => !claimable(h) && !(h.state === 'claimed' && h.assignee === me)),
  }
}

function Card(props: { v: ViewContext; h: Handoff; kind: 'mine' | 'waiting' | 'other' }) {
  const { v, h, kind } = props
  const t = v.t
  const number = numberOf(v, h)
  const where =
    h.state === 'claimed'
      ? t('queue.heldBy', { name: nameOf(v, h.assignee) })
      : h.state === 'transferred'
        ? h.transferTo
          ? t('queue.transferredTo', { name: nameOf(v, h.transferTo) })
          : t('queue.transferredAny')
        : undefined
  return (
    <li class={`card${h.urgent ? ' urgent' : ''}${kind === 'mine' ? ' mine' : ''}`}>
      <div>
        <div>
          {h.urgent && <span class="badge urgent">{t('urgent')}</span>}{' '}
          {h.crisis && <span class="badge crisis">{crisisOf(v, h)}</span>}{' '}
          <span class="who">{aliasOf(v, h)}</span>{' '}
          <span class="muted">
            {channelOf(v, h)}
            {number && ` · ${number}`}
          </span>
        </div>
        <div class="meta">
          {[t(`reason.${h.reason}`), waitedOf(v, h), where, h.escalatedAt && t('queue.escalated')]
            .filter(Boolean)
            .join(' · ')}
        </div>
      </div>
      {kind === 'waiting' ? (
        <form method="post" action={`/console/chats/${h.id}/claim`}>
          <Csrf v={v} />
          <button class="primary" type="submit">
            {t('queue.claim')}
          </button>
        </form>
      ) : kind === 'mine' ? (
        <a class="button primary" href={`/console/chats/${h.id}`}>
          {t('queue.open')}
        </a>
      ) : (
        isLead(v.staff) && (
          <a class="button" href={`/console/chats/${h.id}`}>
            {t('queue.read')}
          </a>
        )
      )}
    </li>
  )
}

/** The part of the page that live updates replace. */
export function QueueSections(props: { v: ViewContext; deps: ConsoleDeps }) {
  const { v, deps } = props
  const { mine, waiting, others } = sortQueue(v, openHandoffs(deps.store))
  const t = v.t
  const list = (items: Handoff[], kind: 'mine' | 'waiting' | 'other') => (
    <ul class="cards">
      {items.map((h) => (
        <Card v={v} h={h} kind={kind} />
      ))}
    </ul>
  )
  const a = deps.desk.availability(v.now)
  const language = deps.desk.settings.staffLanguage
  const when = whenText(deps.translate(language), language, a)
  return (
    <div>
      <p class="hours">
        {a.open ? t('hours.open') : when ? t('hours.closed', { when }) : t('hours.never')}{' '}
        {t('queue.live')}
      </p>
      {mine.length > 0 && <h2>{t('queue.mine')}</h2>}
      {mine.length > 0 && list(mine, 'mine')}
      <h2>{t('queue.waiting')}</h2>
      {waiting.length > 0 ? list(waiting, 'waiting') : <p class="empty">{t('queue.empty')}</p>}
      {others.length > 0 && <h2>{t('queue.others')}</h2>}
      {others.length > 0 && list(others, 'other')}
    </div>
  )
}

export function QueuePage(props: { v: ViewContext; deps: ConsoleDeps; notice?: Notice }) {
  const { v, deps } = props
  return (
    <Page
      t={v.t}
      language={deps.desk.settings.staffLanguage}
      title={v.t('queue.title')}
      v={v}
      notice={props.notice}
    >
      <h1>{v.t('queue.title')}</h1>
      <section id="live" data-live="/console/events" aria-live="polite">
        <QueueSections v={v} deps={deps} />
      </section>
    </Page>
  )
}

export function queueRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  app.get('/', (c) => {
    const v = viewOf(c, deps)
    const done = c.req.query('done')
    const notice: Notice | undefined =
      done && doneKeys.includes(done as DoneKey)
        ? { kind: 'ok', text: v.t(`done.${done as DoneKey}`) }
        : undefined
    return c.html(<QueuePage v={v} deps={deps} notice={notice} />)
  })
  app.get('/events', (c) =>
    streamSSE(c, (stream) =>
      liveStream(
        stream,
        deps,
        c.get('staff'),
        () => (<QueueSections v={viewOf(c, deps)} deps={deps} />).toString(),
        () => sessionIsLive(deps.store, c.get('sessionKey'), deps.clock())
      )
    )
  )
  return app
}

export const doneKeys = [
  'claimed',
  'replied',
  'held',
  'noted',
  'transferred',
  'released',
  'closed',
  'started',
  'started-held',
  'already-open',
] as const
export type DoneKey = (typeof doneKeys)[number]
