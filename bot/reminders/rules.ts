/**
 * @module bot/reminders/rules
 * Reminder rules, written the way the REMINDER_RULES setting and the console store them:
 * "-1d@18:00" (the day before at 18:00, local time) and "-2h" / "-30m" (that long before).
 * A day rule is wall-clock time in TZ, so it stays at 18:00 across a change of summer time; an
 * offset rule is elapsed time.
 */
import { DateTime } from 'luxon'

export type Rule =
  | { kind: 'day'; spec: string; days: number; hour: number; minute: number }
  | { kind: 'offset'; spec: string; minutes: number }

const dayRule = /^-(\d{1,2})d@([01]\d|2[0-3]):([0-5]\d)$/
const sameDayRule = /^0d@([01]\d|2[0-3]):([0-5]\d)$/
const offsetRule = /^-(\d{1,3})([hm])$/

/** One rule; throws a readable Error for anything else. */
export function parseRule(spec: string): Rule {
  const s = spec.trim()
  const day = dayRule.exec(s)
  if (day) return { kind: 'day', spec: s, days: Number(day[1]), hour: +day[2]!, minute: +day[3]! }
  const same = sameDayRule.exec(s)
  if (same) return { kind: 'day', spec: s, days: 0, hour: +same[1]!, minute: +same[2]! }
  const offset = offsetRule.exec(s)
  if (offset && Number(offset[1]) > 0) {
    return { kind: 'offset', spec: s, minutes: Number(offset[1]) * (offset[2] === 'h' ? 60 : 1) }
  }
  throw new Error(`"${spec}" is not a rule like -1d@18:00 or -2h`)
}

/** A comma-separated list, e.g. "-1d@18:00,-2h"; duplicates are dropped. */
export function parseRules(spec: string): Rule[] {
  const rules = spec
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map(parseRule)
  return rules.filter((r, i) => rules.findIndex((o) => o.spec === r.spec) === i)
}

/** When the rule would remind of an appointment at `at`, before quiet hours are considered. */
export function idealDue(rule: Rule, at: Date, zone: string): Date {
  if (rule.kind === 'offset') return new Date(at.getTime() - rule.minutes * 60_000)
  return DateTime.fromJSDate(at, { zone })
    .startOf('day')
    .minus({ days: rule.days })
    .set({ hour: rule.hour, minute: rule.minute })
    .toJSDate()
}

/** Rules offered in the console besides the defaults, earliest first. */
export const ruleChoices = ['-7d@12:00', '-3d@12:00', '-1d@18:00', '0d@08:00', '-2h', '-1h']

/** Sorts rule specs so the earliest reminder comes first (for a stable display). */
export function sortRules(specs: string[]): string[] {
  const reference = new Date('2026-06-15T12:00:00Z')
  const due = (s: string) => idealDue(parseRule(s), reference, 'UTC').getTime()
  return [...specs].sort((a, b) => due(a) - due(b))
}
