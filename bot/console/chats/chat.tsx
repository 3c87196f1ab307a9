/**
 * @module bot/console/chats/chat
 * One conversation: the messages (live), and what the person holding it can do: reply, note,
 * transfer, put back, close. Opening it is audited; a volunteer can open only their own.
 */
import { Hono, type Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { isOpen } from '../../handoff/machine.js'
import { mayRead } from '../../handoff/permissions.js'
import { outcomeOf } from '../../handoff/staff-actions.js'
import type { Handoff } from '../../store/schema.js'
import type { TranscriptEntry } from '../../store/transcripts.js'
import { ChatContext, beforeMessages, chatMessagesOf } from './chat-context.js'
import { ChatPanels, quietUntil, ReplyForm } from './chat-panels.js'
import { statusFor, viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Page, type Notice } from '../layout.js'
import { liveStream } from '../live.js'
import { sessionIsLive } from '../staff/sessions.js'
import { doneKeys, QueuePage, type DoneKey } from './queue.js'
import {
  aliasOf,
  crisisOf,
  crisisWordsOf,
  channelOf,
  isLead,
  minutesSince,
  nameOf,
  numberOf,
  timeOf,
  type ViewContext,
} from '../view.js'

function stateLine(v: ViewContext, h: Handoff): string {
  const t = v.t
  if (!isOpen(h.state)) return t('chat.ended', { outcome: t(`outcome.${outcomeOf(h.outcome)}`) })
  if (h.state === 'claimed' && h.assignee === v.staff.id) {
    if (!h.waitingSince) return t('chat.mine')
    return t('chat.mineWaiting', { minutes: minutesSince(v, h.waitingSince) })
  }
  if (h.state === 'claimed')
    return `${t('queue.heldBy', { name: nameOf(v, h.assignee) })}. ${t('chat.readOnly')}`
  const where =
    h.state === 'transferred'
      ? h.transferTo
        ? t('queue.transferredTo', { name: nameOf(v, h.transferTo) })
        : t('queue.transferredAny')
      : t('state.requested')
  return `${where}. ${t('chat.claimFirst')}`
}

/** The part of the page that live updates replace: where the chat stands, and its messages. */
export function ChatLive(props: { v: ViewContext; h: Handoff; messages: TranscriptEntry[] }) {
  const { v, h } = props
  const messages = chatMessagesOf(h, props.messages)
  const who = (m: TranscriptEntry) =>
    m.direction === 'in'
      ? aliasOf(v, h)
      : m.by === 'bot' || !m.by
        ? v.t('chat.bot')
        : nameOf(v, m.by)
  return (
    <div>
      <p class={`state${isOpen(h.state) ? '' : ' ended'}`} data-open={String(isOpen(h.state))}>
        {stateLine(v, h)}
      </p>
      {messages.length === 0 ? (
        <p class="empty">{v.t('chat.noMessages')}</p>
      ) : (
        <ol class="messages" aria-label={v.t('chat.messages')}>
          {messages.map((m) => (
            <li
              class={`msg ${m.direction}${m.direction === 'out' && (m.by ?? 'bot') === 'bot' ? ' bot' : ''}`}
            >
              <span class="from">{`${who(m)} · ${timeOf(v, m.at)}`}</span>
              <p>{m.text}</p>
            </li>
          ))}
        </ol>
      )}
    </div>
  )
}

type ChatOptions = { notice?: Notice; draft?: string; status?: ContentfulStatusCode }

/** The chat page, or the queue with the reason when this person may not open it. */
export async function renderChat(
  c: Context<ConsoleEnv>,
  deps: ConsoleDeps,
  id: string,
  options: ChatOptions = {}
): Promise<Response> {
  const v = viewOf(c, deps)
  const opened = await deps.desk.open(v.staff, id)
  if (!opened.ok) {
    const text = v.t(`refused.${opened.reason}`, { holder: nameOf(v, opened.holder) })
    const notice: Notice = { kind: 'error', text }
    const status = options.status ?? (opened.reason === 'not-found' ? 404 : 403)
    return c.html(<QueuePage v={v} deps={deps} notice={notice} />, status)
  }
  const h = opened.handoff
  const number = numberOf(v, h, true)
  return c.html(
    <Page
      t={v.t}
      language={deps.desk.settings.staffLanguage}
      title={aliasOf(v, h)}
      v={v}
      notice={options.notice}
    >
      <p>
        <a href="/console">{v.t('chat.back')}</a>
      </p>
      <div class="chat-head">
        <h1>{aliasOf(v, h)}</h1>
        {h.urgent && <span class="badge urgent">{v.t('urgent')}</span>}
        {h.crisis && <span class="badge crisis">{crisisOf(v, h)}</span>}
        <span class="muted">
          {[
            channelOf(v, h),
            number && `${v.t('chat.number')}: ${number}`,
            v.t(`reason.${h.reason}`),
          ]
            .filter(Boolean)
            .join(' · ')}
        </span>
        {isLead(v.staff) && (
          <a href={`/console/participants/${h.participantId}`}>{v.t('chat.person')}</a>
        )}
        {crisisWordsOf(v, h) && <p class="crisis-words">{crisisWordsOf(v, h)}</p>}
      </div>
      <div class="chat">
        <div>
          <section id="live" data-live={`/console/chats/${h.id}/events`} aria-live="polite">
            <ChatLive v={v} h={h} messages={opened.messages} />
          </section>
          <ReplyForm v={v} deps={deps} h={h} draft={options.draft} />
        </div>
        <div class="side">
          <ChatContext
            v={v}
            h={h}
            before={beforeMessages(h, opened.messages)}
            knowledge={deps.knowledge}
            language={deps.desk.settings.staffLanguage}
          />
          <ChatPanels v={v} deps={deps} h={h} />
        </div>
      </div>
    </Page>,
    options.status ?? 200
  )
}

/** GET /console/chats/:id and its live feed. */
export function chatViewRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  app.get('/:id', (c) => {
    const done = c.req.query('done') as DoneKey | undefined
    const v = viewOf(c, deps)
    const notice: Notice | undefined =
      done && doneKeys.includes(done)
        ? { kind: 'ok', text: v.t(`done.${done}`, { when: quietUntil(v, deps) }) }
        : undefined
    return renderChat(c, deps, c.req.param('id'), { notice })
  })
  app.get('/:id/events', async (c) => {
    const v = viewOf(c, deps)
    const h = deps.store.data.handoffs[c.req.param('id')]
    const opened = h && (await deps.desk.open(v.staff, h.id))
    if (!h || !opened?.ok) return c.text(v.t('refused.not-yours'), h ? 403 : 404)
    // The holder may change (released, transferred) and so may the account: ask the store anew.
    const allowed = () => {
      const staff = deps.store.data.staff[v.staff.id]
      const now = deps.clock()
      const current = deps.store.data.handoffs[h.id]
      if (!current || !staff || !sessionIsLive(deps.store, c.get('sessionKey'), now)) return false
      return mayRead(staff, current)
    }
    return streamSSE(c, (stream) =>
      liveStream(
        stream,
        deps,
        v.staff,
        async () => {
          const messages = await deps.desk.messages(h)
          return (<ChatLive v={viewOf(c, deps)} h={h} messages={messages} />).toString()
        },
        allowed,
        (changed) => !changed || changed === h.id
      )
    )
  })
  return app
}

export { statusFor }
