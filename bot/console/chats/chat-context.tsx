/**
 * @module bot/console/chats/chat-context
 * What the person answering needs before the first reply, on the same screen as the chat: what
 * the participant asked the bot (the topics, and with their consent the texts, marked bot or
 * participant), whether the bot gave an emergency answer, and the checklist they shared with
 * coordinators. Without consent it says so and shows only the topics.
 */
import type { Knowledge } from '../../../content/load.js'
import type { Handoff } from '../../store/schema.js'
import type { TranscriptEntry } from '../../store/transcripts.js'
import { HORIZON_MS } from '../../handoff/before-chat.js'
import { ChecklistAnswers } from '../participants/checklist-answers.js'
import { aliasOf, crisisOf, isLead, timeOf, type ViewContext } from '../view.js'

/** Rows of texts before the chat at most (one row each), so the page fits a laptop screen. */
const BEFORE_ROWS = 8

/** The messages before the handoff worth showing: all of its last hours (see beforeRows). */
export function beforeMessages(h: Handoff, messages: TranscriptEntry[]): TranscriptEntry[] {
  const since = new Date(Date.parse(h.createdAt) - HORIZON_MS).toISOString()
  return messages.filter((m) => m.at < h.createdAt && m.at >= since)
}

/**
 * Which texts before the chat get a row and which go behind "N linjer til": the person's own
 * texts come first (their first questions are usually why they came), so the bot's lines are cut
 * first, from the middle out, and only then the person's, also from the middle.
 */
export function beforeRows(
  messages: TranscriptEntry[],
  rows = BEFORE_ROWS
): { shown: TranscriptEntry[]; hidden: TranscriptEntry[]; place: number } {
  if (messages.length <= rows) return { shown: messages, hidden: [], place: -1 }
  const middle = (messages.length - 1) / 2
  const byMiddle = (a: number, b: number) => Math.abs(a - middle) - Math.abs(b - middle)
  const indices = messages.map((_, i) => i)
  const bot = indices.filter((i) => messages[i]!.direction === 'out').sort(byMiddle)
  const own = indices.filter((i) => messages[i]!.direction !== 'out').sort(byMiddle)
  // One row goes to the "N linjer til" line itself.
  const cut = new Set([...bot, ...own].slice(0, messages.length - (rows - 1)))
  const first = Math.min(...cut)
  return {
    shown: messages.filter((_, i) => !cut.has(i)),
    hidden: messages.filter((_, i) => cut.has(i)),
    // How many shown rows come before the "N linjer til" row (where the first cut line was).
    place: indices.filter((i) => i < first && !cut.has(i)).length,
  }
}

/** The chat's own messages: from the request on. */
export const chatMessagesOf = (h: Handoff, messages: TranscriptEntry[]) =>
  messages.filter((m) => m.at >= h.createdAt)

export function ChatContext(props: {
  v: ViewContext
  h: Handoff
  before: TranscriptEntry[]
  knowledge?: Knowledge
  language: 'nb' | 'en'
}) {
  const { v, h, before, knowledge, language } = props
  const t = v.t
  const consent = h.before?.consent ?? !!v.store.data.participants[h.participantId]?.consent?.given
  const topics = (h.before?.topics ?? []).map(
    (id) => knowledge?.topics.get(id)?.title[language] ?? id
  )
  const mapping = isLead(v.staff) ? v.store.data.mappings[h.participantId] : undefined
  return (
    <section class="context" aria-label={t('context.title')}>
      <h2>{t('context.title')}</h2>
      <p class="consent-line">{consent ? t('context.consent') : t('context.noConsent')}</p>
      <p>
        <strong>{t('context.topics')}</strong>{' '}
        {topics.length > 0 ? topics.join(', ') : t('context.noTopics')}
      </p>
      {h.crisis && (
        <p class="crisis-answer">
          {t(h.crisis.level === 'danger' ? 'context.emergency' : 'context.check', {
            kind: crisisOf(v, h),
            time: timeOf(v, h.crisis.at),
          })}
        </p>
      )}
      {consent && before.length > 0 && <BeforeList v={v} h={h} before={before} />}
      {consent && before.length === 0 && <p class="muted">{t('context.noTexts')}</p>}
      {mapping && knowledge && (
        <details class="checklist">
          <summary>{t('context.checklist', { when: timeOf(v, mapping.at) })}</summary>
          <ChecklistAnswers
            v={v}
            record={mapping}
            mapping={knowledge.mapping}
            language={language}
          />
        </details>
      )}
    </section>
  )
}

function BeforeList(props: { v: ViewContext; h: Handoff; before: TranscriptEntry[] }) {
  const { v, h, before } = props
  const t = v.t
  const { shown, hidden, place } = beforeRows(before)
  const row = (m: TranscriptEntry) => {
    const bot = m.direction === 'out'
    return (
      <li class={bot ? 'bot' : 'in'}>
        <details>
          <summary>
            <span class="from">{`${bot ? t('chat.bot') : aliasOf(v, h)} · ${timeOf(v, m.at)}`}</span>{' '}
            {m.text.split('\n')[0]}
          </summary>
          <p>{m.text}</p>
        </details>
      </li>
    )
  }
  // The cut lines stay in the page, behind one row where the first of them was.
  const more = hidden.length > 0 && (
    <li class="more">
      <details>
        <summary>{t('context.more', { count: hidden.length })}</summary>
        <ol class="before">{hidden.map(row)}</ol>
      </details>
    </li>
  )
  return (
    <ol class="before" aria-label={t('context.before')}>
      {shown.map((m, i) => (
        <>
          {i === place && more}
          {row(m)}
        </>
      ))}
      {place === shown.length && more}
    </ol>
  )
}
