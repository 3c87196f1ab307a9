/**
 * @module bot/console/reminders/view
 * What the reminder pages share: the page frame with their own small stylesheet and menu, and how
 * times, rules and the state of each reminder are put into words for a coordinator.
 */
import type { Context } from 'hono'
import type { PropsWithChildren } from 'hono/jsx'
import { DateTime } from 'luxon'
import type { Language, RemindersTranslate } from '../../i18n.js'
import { participantOf } from '../../reminders/people.js'
import { CATCH_UP } from '../../reminders/plan.js'
import { parseRule } from '../../reminders/rules.js'
import type { Reminders } from '../../reminders/service.js'
import type { Appointment, Person, PlannedReminder } from '../../store/reminder-records.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Page, type Notice } from '../layout.js'
import type { ViewContext } from '../view.js'

export const BASE = '/console/reminders'

/** The console's view context plus the reminder texts and service. */
export type RemView = ViewContext & {
  r: RemindersTranslate
  language: Language
  reminders: Reminders
}

export function remViewOf(
  c: Context<ConsoleEnv>,
  deps: ConsoleDeps,
  reminders: Reminders
): RemView {
  const language = deps.desk.settings.staffLanguage
  return { ...viewOf(c, deps), r: deps.translate.reminders(language), language, reminders }
}

export function RemindersPage(
  props: PropsWithChildren<{ rv: RemView; title: string; notice?: Notice }>
) {
  const { rv } = props
  const r = rv.r
  return (
    <Page t={rv.t} language={rv.language} title={props.title} v={rv} notice={props.notice}>
      <link rel="stylesheet" href={`${BASE}/reminders.css`} />
      <nav class="subnav" aria-label={r('console.nav.label')}>
        <a href={BASE}>{r('console.nav.overview')}</a>
        <a href={`${BASE}/people`}>{r('console.nav.people')}</a>
        <a href={`${BASE}/import`}>{r('console.nav.import')}</a>
        <a href={`${BASE}/campaigns/new`}>{r('console.nav.campaign')}</a>
      </nav>
      {props.children}
    </Page>
  )
}

/** "tir. 24.11. kl. 14:00" in the office's time zone. */
/**
 * One sentence per refusal code (locales, console.error.*); a code without one, such as zod's own
 * words for a field nobody fills in by hand, becomes the plain 'form' sentence.
 */
export function refusalText(rv: RemView, codes: string[]): string {
  const sentence = (k: string) =>
    rv.r(`console.error.${k}` as 'console.error.form', { defaultValue: '' }) ||
    rv.r('console.error.form')
  return [...new Set(codes.map(sentence))].join(' ')
}

export function whenOf(rv: RemView, at: string | Date): string {
  const instant = typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at)
  return instant.setZone(rv.zone).setLocale(rv.r('sms.locale')).toFormat(rv.r('console.dateTime'))
}

/** "Dagen før kl. 18:00", "2 timer før", "Med en gang (lagt inn sent)". */
export function ruleLabel(r: RemindersTranslate, spec: string): string {
  if (spec === CATCH_UP) return r('console.rule.catchUp')
  const rule = parseRule(spec)
  if (rule.kind === 'offset') {
    return rule.minutes % 60 === 0
      ? r('console.rule.hoursBefore', { count: rule.minutes / 60 })
      : r('console.rule.minutesBefore', { count: rule.minutes })
  }
  const time = `${String(rule.hour).padStart(2, '0')}:${String(rule.minute).padStart(2, '0')}`
  if (rule.days === 0) return r('console.rule.sameDay', { time })
  if (rule.days === 1) return r('console.rule.dayBefore', { time })
  return r('console.rule.daysBefore', { count: rule.days, time })
}

/**
 * Where one reminder stands: planned for a time, sent, delivered, failed, or why not; and which
 * time it was about, when the appointment has moved since.
 */
export function reminderState(rv: RemView, reminder: PlannedReminder): string {
  const state = stateOf(rv, reminder)
  if (!reminder.oldAt) return state
  return rv.r('console.state.oldTime', { state, when: whenOf(rv, reminder.oldAt) })
}

function stateOf(rv: RemView, reminder: PlannedReminder): string {
  const r = rv.r
  const when = whenOf(rv, reminder.dueAt)
  if (reminder.state === 'planned') return r('console.state.planned', { when })
  if (reminder.state === 'skipped')
    return r('console.state.skipped', { why: r(`console.skip.${reminder.reason ?? 'passed'}`) })
  if (reminder.state === 'cancelled') return r('console.state.cancelled')
  const message = reminder.messageId ? rv.store.data.outbox[reminder.messageId] : undefined
  if (!message) return r('console.state.sent', { when })
  if (message.state === 'failed' || message.state === 'cancelled') {
    return r(`console.state.${message.state}`, { error: message.lastError ?? '' })
  }
  return r(`console.state.${message.state}`, { when })
}

/** The person's answer, or nothing yet. */
export function answerOf(rv: RemView, appointment: Appointment): string {
  if (appointment.status === 'cancelled') return rv.r('console.appointment.cancelled')
  if (!appointment.answer) return rv.r('console.answer.none')
  return rv.r(`console.answer.${appointment.answer.kind}`, {
    when: whenOf(rv, appointment.answer.at),
  })
}

/** Badges that warn why a person gets nothing: no consent, STOPP, no number. */
export function PersonBadges(props: { rv: RemView; person: Person }) {
  const { rv, person } = props
  const r = rv.r
  const participant = participantOf(rv.store, person)
  return (
    <span class="badges">
      {participant?.wrongNumberAt ? (
        <span class="badge urgent">{r('console.person.wrongNumber')}</span>
      ) : (
        participant?.optedOut && <span class="badge urgent">{r('console.person.stopped')}</span>
      )}
      {person.consent !== 'given' && (
        <span class="badge warn">{r(`console.consent.${person.consent}`)}</span>
      )}
      {!person.phone && <span class="badge warn">{r('console.person.noPhone')}</span>}
    </span>
  )
}

/** Re-renders `render` over server-sent events after every change of reminders. */
export function streamLive(
  reminders: Reminders,
  stream: {
    writeSSE(m: { event: string; data: string }): Promise<void>
    aborted: boolean
    onAbort(f: () => void): void
  },
  render: () => string
): Promise<void> {
  let chain = Promise.resolve()
  let queued = false
  // Sends during a campaign come fast: at most one render waits, the rest fold into it.
  const push = () => {
    if (queued) return
    queued = true
    chain = chain
      .then(async () => {
        queued = false
        if (!stream.aborted) await stream.writeSSE({ event: 'update', data: render() })
      })
      .catch(() => {})
  }
  push()
  const stop = reminders.subscribe(push)
  return new Promise<void>((resolve) => stream.onAbort(resolve)).then(stop)
}
