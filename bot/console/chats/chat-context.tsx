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

/** Texts before the chat shown at most: the last few, so the page fits a laptop screen. */
const BEFORE_SHOWN = 8

/** The messages before the handoff worth showing: those of its last hours, the newest few. */
export function beforeMessages(h: Handoff, messages: TranscriptEntry[]): TranscriptEntry[] {
  const since = new Date(Date.parse(h.createdAt) - HORIZON_MS).toISOString()
  return messages.filter((m) => m.at < h.createdAt && m.at >= since).slice(-BEFORE_SHOWN)
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
      {consent && before.length > 0 && (
        <ol class="before" aria-label={t('context.before')}>
          {before.map((m) => {
            const bot = m.direction === 'out'
            return (
              <li class={bot ? 'bot' : 'in'}>
                <details>
                  <summary>
                    <span class="from">
                      {`${bot ? t('chat.bot') : aliasOf(v, h)} · ${timeOf(v, m.at)}`}
                    </span>{' '}
                    {m.text.split('\n')[0]}
                  </summary>
                  <p>{m.text}</p>
                </details>
              </li>
            )
          })}
        </ol>
      )}
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
