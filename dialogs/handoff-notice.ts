/**
 * @module dialogs/handoff-notice
 * What a participant is told when they ask for a person: honestly, whether someone answers soon
 * or when the next shift starts, and what to do if it is urgent.
 */
import { DateTime } from 'luxon'
import type { Language, Translate } from '../bot/i18n.js'
import type { Availability } from './scope.js'

/** "i dag kl. 16:00", "i morgen kl. 09:00", "på mandag kl. 09:00", "2. januar kl. 09:00". */
export function whenText(t: Translate, language: Language, a: Availability): string | undefined {
  if (!a.next) return undefined
  const locale = language === 'nb' ? 'nb' : 'en-GB'
  const now = DateTime.fromJSDate(a.at, { zone: a.zone }).setLocale(locale)
  const next = DateTime.fromJSDate(a.next, { zone: a.zone }).setLocale(locale)
  const time = next.toFormat('HH:mm')
  const days = Math.round(next.startOf('day').diff(now.startOf('day'), 'days').days)
  if (days <= 0) return t('handoff.when.today', { time })
  if (days === 1) return t('handoff.when.tomorrow', { time })
  if (days < 7) return t('handoff.when.weekday', { day: next.toFormat('cccc'), time })
  return t('handoff.when.date', { date: next.toFormat(t('handoff.when.dateFormat')), time })
}

/** The line that follows a request for a person (`human`) or a crisis answer (`crisis`). */
export function handoffNotice(
  t: Translate,
  language: Language,
  a: Availability,
  kind: 'human' | 'crisis'
): string {
  const when = a.open ? undefined : whenText(t, language, a)
  if (kind === 'crisis') {
    if (a.open) return t('handoff.crisisSoon')
    return when ? t('handoff.crisisLater', { when }) : t('handoff.crisisUnknown')
  }
  if (a.open) return t('handoff.soon')
  return when ? t('handoff.later', { when }) : t('handoff.unknown')
}
