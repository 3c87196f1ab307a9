/**
 * @module bot/handoff/office-hours
 * When volunteers are on shift, so the bot can tell a participant honestly whether a person
 * answers soon or when someone is back. Office hours, holidays and the time zone are settings.
 */
import Holidays from 'date-holidays'
import { DateTime } from 'luxon'

/** One opening window on a weekday (1 = Monday, as luxon counts), in minutes after midnight. */
export type OpeningWindow = { day: number; start: number; end: number }

const dayNames = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun']
const entryPattern = /^([a-z]{3})(?:-([a-z]{3}))? +(\d{2}):(\d{2})-(\d{2}):(\d{2})$/

/**
 * Parses "mon-fri 09:00-16:00; sat 10:00-14:00" (entries split by ";" or ","); "none" means never
 * open. Throws an Error whose message says what is wrong.
 */
export function parseOfficeHours(spec: string): OpeningWindow[] {
  const trimmed = spec.trim().toLowerCase()
  if (trimmed === 'none') return []
  return trimmed.split(/[;,]/).flatMap((raw) => {
    const entry = raw.trim().replace(/\s+/g, ' ')
    const m = entryPattern.exec(entry)
    if (!m) throw new Error(`"${entry}" is not like "mon-fri 09:00-16:00"`)
    const first = dayNames.indexOf(m[1]!)
    const last = m[2] ? dayNames.indexOf(m[2]) : first
    if (first < 0 || last < 0 || last < first) throw new Error(`bad days in "${entry}"`)
    const start = Number(m[3]) * 60 + Number(m[4])
    const end = Number(m[5]) * 60 + Number(m[6])
    if (Number(m[4]) > 59 || Number(m[6]) > 59 || end > 24 * 60 || start >= end) {
      throw new Error(`bad times in "${entry}"`)
    }
    return dayNames.slice(first, last + 1).map((_, i) => ({ day: first + i + 1, start, end }))
  })
}

/**
 * Parses "NO,2026-12-24": two-letter country codes add that country's public holidays (from
 * date-holidays), dates add single closed days; "none" for no holidays. Throws on a bad part.
 */
export function parseHolidays(spec: string): (isoDate: string) => boolean {
  const parts = spec
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p && p.toLowerCase() !== 'none')
  const dates = new Set<string>()
  const countries: Holidays[] = []
  const known = new Holidays().getCountries()
  for (const part of parts) {
    if (/^\d{4}-\d{2}-\d{2}$/.test(part) && DateTime.fromISO(part).isValid) dates.add(part)
    else if (/^[A-Z]{2}$/.test(part) && known[part]) countries.push(new Holidays(part))
    else throw new Error(`"${part}" is neither a country code like NO nor a date like 2026-12-24`)
  }
  const byYear = new Map<number, Set<string>>()
  const publicDays = (year: number) => {
    let days = byYear.get(year)
    if (!days) {
      days = new Set(
        countries.flatMap((h) =>
          h
            .getHolidays(year)
            .filter((d) => d.type === 'public')
            .map((d) => d.date.slice(0, 10))
        )
      )
      byYear.set(year, days)
    }
    return days
  }
  return (isoDate) => dates.has(isoDate) || publicDays(Number(isoDate.slice(0, 4))).has(isoDate)
}

export type OfficeHours = {
  zone: string
  isOpen(now: Date): boolean
  /** `now` when open; otherwise the next opening within 60 days, or undefined if none. */
  nextOpening(now: Date): Date | undefined
}

export function createOfficeHours(options: {
  hours: string
  holidays: string
  zone: string
}): OfficeHours {
  const windows = parseOfficeHours(options.hours)
  const closed = parseHolidays(options.holidays)
  const { zone } = options

  const windowsOn = (day: DateTime) =>
    closed(day.toISODate()!)
      ? []
      : windows.filter((w) => w.day === day.weekday).sort((a, b) => a.start - b.start)
  // Wall-clock time, not midnight plus minutes: a DST day is 23 or 25 hours long.
  const at = (day: DateTime, minutes: number) =>
    minutes === 24 * 60
      ? day.startOf('day').plus({ days: 1 })
      : day.startOf('day').set({ hour: Math.floor(minutes / 60), minute: minutes % 60 })

  const nextOpening = (now: Date): Date | undefined => {
    const local = DateTime.fromJSDate(now, { zone })
    for (let i = 0; i <= 60; i++) {
      const day = local.plus({ days: i })
      for (const w of windowsOn(day)) {
        const start = at(day, w.start)
        const end = at(day, w.end)
        if (local >= start && local < end) return now
        if (start > local) return start.toJSDate()
      }
    }
    return undefined
  }
  return {
    zone,
    nextOpening,
    isOpen: (now) => nextOpening(now)?.getTime() === now.getTime(),
  }
}
