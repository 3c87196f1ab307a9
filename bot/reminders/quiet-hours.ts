/**
 * @module bot/reminders/quiet-hours
 * The nightly window (default 21:00-08:00 in TZ) when no reminder or campaign is sent. Times are
 * wall-clock times in the zone, so the window follows summer time; a window may cross midnight.
 */
import { DateTime } from 'luxon'

export type QuietHours = {
  /** Minutes after local midnight; start === end means no quiet hours. */
  start: number
  end: number
  zone: string
}

const clock = /^([01]?\d|2[0-3]):([0-5]\d)$/

const minutesOf = (text: string): number => {
  const m = clock.exec(text.trim())
  if (!m) throw new Error(`"${text}" is not a time like 21:00`)
  return Number(m[1]) * 60 + Number(m[2])
}

/** "21:00-08:00" or "none"; throws a readable Error for anything else. */
export function parseQuietHours(spec: string, zone = 'Europe/Oslo'): QuietHours {
  if (spec.trim().toLowerCase() === 'none') return { start: 0, end: 0, zone }
  const [from, to, extra] = spec.split('-')
  if (!from || !to || extra !== undefined)
    throw new Error('write quiet hours as 21:00-08:00, or none')
  return { start: minutesOf(from), end: minutesOf(to), zone }
}

const local = (at: Date, zone: string) => DateTime.fromJSDate(at, { zone })
const minuteOfDay = (t: DateTime) => t.hour * 60 + t.minute
const atMinute = (day: DateTime, minutes: number) =>
  day.startOf('day').set({ hour: Math.floor(minutes / 60), minute: minutes % 60 })

/** Whether `at` falls inside the quiet window. */
export function isQuiet(q: QuietHours, at: Date): boolean {
  if (q.start === q.end) return false
  const m = minuteOfDay(local(at, q.zone))
  return q.start < q.end ? m >= q.start && m < q.end : m >= q.start || m < q.end
}

/** The first moment at or after `at` outside quiet hours (the next morning, when it is night). */
export function nextAllowed(q: QuietHours, at: Date): Date {
  if (!isQuiet(q, at)) return at
  const t = local(at, q.zone)
  // Evening part of a window that crosses midnight: the end is tomorrow morning.
  const tomorrow = q.start > q.end && minuteOfDay(t) >= q.start
  return atMinute(tomorrow ? t.plus({ days: 1 }) : t, q.end).toJSDate()
}

/** The last minute before the quiet window that holds `at` began (the evening before). */
export function lastAllowedBefore(q: QuietHours, at: Date): Date {
  const t = local(at, q.zone)
  const yesterday = q.start > q.end && minuteOfDay(t) < q.end
  return atMinute(yesterday ? t.minus({ days: 1 }) : t, q.start)
    .minus({ minutes: 1 })
    .toJSDate()
}
