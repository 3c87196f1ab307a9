/**
 * @module bot/reminders/texts
 * The SMS a person gets: a reminder in their language with the weekday, date and time written
 * out (never "tomorrow": a message held by quiet hours or a retry must still be right), and a
 * campaign's text with the opt-out footer. Always GSM-7, as Twilio will bill it.
 */
import { DateTime } from 'luxon'
import { segmentsFor, toGsm7, type SegmentInfo } from '../channels/sms-text.js'
import type { Language, RemindersTranslate } from '../i18n.js'
import type { Appointment } from '../store/reminder-records.js'

export type ReminderTexts = (language: Language) => RemindersTranslate

/** "tirsdag 24.11. kl. 14:00" / "Tuesday 24 Nov at 14:00", in the zone. */
export function whenText(t: RemindersTranslate, at: string | Date, zone: string): string {
  const instant = typeof at === 'string' ? DateTime.fromISO(at) : DateTime.fromJSDate(at)
  return instant.setZone(zone).setLocale(t('sms.locale')).toFormat(t('sms.dateFormat'))
}

/** The reminder SMS for an appointment. */
export function reminderBody(
  t: RemindersTranslate,
  appointment: Pick<Appointment, 'what' | 'where' | 'at'>,
  zone: string
): string {
  const where = appointment.where ? t('sms.where', { where: appointment.where }) : ''
  return toGsm7(
    t('sms.reminder', { what: appointment.what, when: whenText(t, appointment.at, zone), where })
  )
}

/** A campaign's SMS in one language: the coordinator's text, then how to stop. */
export function campaignBody(t: RemindersTranslate, text: string): string {
  return toGsm7(`${text.trim()}\n${t('sms.footer')}`)
}

export type BodyCheck = SegmentInfo & {
  body: string
  /** Characters the coordinator typed that were replaced or dropped to stay GSM-7. */
  replaced: string[]
  fits: boolean
}

/** What a body costs, whether it fits the segment budget, and what was changed to make it GSM-7. */
export function checkBody(typed: string, body: string, maxSegments: number): BodyCheck {
  const info = segmentsFor(body)
  const replaced = [...new Set([...typed].filter((c) => c.trim() && !body.includes(c)))]
  return { ...info, body, replaced, fits: info.segments <= maxSegments }
}
