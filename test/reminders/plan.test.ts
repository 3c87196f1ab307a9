import { describe, expect, it } from 'vitest'
import { planReminders } from '../../bot/reminders/plan.js'
import { isQuiet, nextAllowed, parseQuietHours } from '../../bot/reminders/quiet-hours.js'
import { parseRule, parseRules } from '../../bot/reminders/rules.js'
import { oslo } from '../helpers/reminders.js'

const quiet = parseQuietHours('21:00-08:00', 'Europe/Oslo')
const defaults = parseRules('-1d@18:00,-2h')

/** The planned reminders as [rule, UTC time, state, reason]. */
function plan(appointment: string, now: string, rules = defaults) {
  return planReminders({ at: oslo(appointment), rules, now: oslo(now), quiet }).map((r) =>
    [r.rule, r.dueAt, r.state, r.reason].filter(Boolean)
  )
}

describe('reminder rules across summer time', () => {
  it('Should keep "the day before at 18:00" at 18:00 on the night clocks go forward (29 March)', () => {
    // Monday 30 March 10:00 (+02:00); Sunday 29 March is the last Sunday of March.
    expect(plan('2026-03-30T10:00', '2026-03-25T12:00')).toEqual([
      ['-1d@18:00', '2026-03-29T16:00:00.000Z', 'planned'], // 18:00 +02:00, not 17:00Z
      ['-2h', '2026-03-30T06:00:00.000Z', 'planned'], // 08:00 +02:00
    ])
  })

  it('Should keep 18:00 when clocks go back (25 October) and count "2 hours" as elapsed time', () => {
    expect(plan('2026-10-26T10:00', '2026-10-20T12:00')).toEqual([
      ['-1d@18:00', '2026-10-25T17:00:00.000Z', 'planned'], // 18:00 +01:00
      ['-2h', '2026-10-26T07:00:00.000Z', 'planned'],
    ])
    // 09:00 on the night itself: 2 h before is 07:00 (+01:00), inside quiet hours: 08:00 instead.
    expect(plan('2026-10-25T09:00', '2026-10-20T12:00', [parseRule('-2h')])).toEqual([
      ['-2h', '2026-10-25T07:00:00.000Z', 'planned'],
    ])
    // Across the spring switch: 09:00 (+02:00) minus 2 h elapsed is 07:00 (+02:00), held to 08:00.
    expect(plan('2026-03-29T09:00', '2026-03-20T12:00', [parseRule('-2h')])).toEqual([
      ['-2h', '2026-03-29T06:00:00.000Z', 'planned'],
    ])
  })
})

describe('quiet hours', () => {
  it('Should know the window in local time on both change-over days', () => {
    expect(isQuiet(quiet, oslo('2026-03-29T07:59'))).toBe(true)
    expect(isQuiet(quiet, oslo('2026-03-29T08:00'))).toBe(false)
    expect(isQuiet(quiet, oslo('2026-10-25T20:59'))).toBe(false)
    expect(isQuiet(quiet, oslo('2026-10-25T21:00'))).toBe(true)
    expect(nextAllowed(quiet, oslo('2026-03-28T22:30')).toISOString()).toBe(
      '2026-03-29T06:00:00.000Z'
    )
    expect(nextAllowed(quiet, oslo('2026-10-25T02:30')).toISOString()).toBe(
      '2026-10-25T07:00:00.000Z'
    )
    expect(isQuiet(parseQuietHours('none'), oslo('2026-10-25T03:00'))).toBe(false)
  })

  it('Should move a reminder due at night to the morning, or the evening before if morning is too late', () => {
    // 07:30: 2 h before is 05:30 (quiet); 08:00 would be after the appointment: 20:59 the evening before.
    expect(plan('2026-11-24T07:30', '2026-11-20T12:00')).toEqual([
      ['-1d@18:00', '2026-11-23T17:00:00.000Z', 'planned'],
      ['-2h', '2026-11-23T19:59:00.000Z', 'planned'],
    ])
    // 09:30: 07:30 is quiet, 08:00 is still before the appointment.
    expect(plan('2026-11-24T09:30', '2026-11-20T12:00', [parseRule('-2h')])).toEqual([
      ['-2h', '2026-11-24T07:00:00.000Z', 'planned'],
    ])
  })

  it('Should reject a malformed window or rule with a readable reason', () => {
    expect(() => parseQuietHours('21-08')).toThrow('is not a time like 21:00')
    expect(() => parseRules('-1d@18:00, tomorrow')).toThrow('"tomorrow" is not a rule')
    expect(() => parseRule('-0h')).toThrow()
  })
})

describe('catch-up reminders for appointments entered late', () => {
  it('Should send one catch-up in the morning when entered at night, and keep later rules', () => {
    expect(plan('2026-11-24T14:00', '2026-11-23T22:00')).toEqual([
      ['-1d@18:00', '2026-11-23T17:00:00.000Z', 'skipped', 'passed'],
      ['catch-up', '2026-11-24T07:00:00.000Z', 'planned'], // 08:00, when quiet hours end
      ['-2h', '2026-11-24T11:00:00.000Z', 'planned'],
    ])
  })

  it('Should send the catch-up at once in the day, and only one however many rules were missed', () => {
    expect(plan('2026-11-24T14:00', '2026-11-24T12:30')).toEqual([
      ['-1d@18:00', '2026-11-23T17:00:00.000Z', 'skipped', 'passed'],
      ['-2h', '2026-11-24T11:00:00.000Z', 'skipped', 'passed'],
      ['catch-up', '2026-11-24T11:30:00.000Z', 'planned'],
    ])
  })

  it('Should leave the catch-up out when a regular reminder follows soon anyway', () => {
    expect(plan('2026-11-24T14:00', '2026-11-24T11:00')).toEqual([
      ['-1d@18:00', '2026-11-23T17:00:00.000Z', 'skipped', 'passed'],
      ['catch-up', '2026-11-24T10:00:00.000Z', 'skipped', 'merged'],
      ['-2h', '2026-11-24T11:00:00.000Z', 'planned'],
    ])
  })

  it('Should send nothing at night, even when that means no reminder at all', () => {
    expect(plan('2026-11-24T07:30', '2026-11-23T23:00').filter((r) => r[2] === 'planned')).toEqual(
      []
    )
  })
})
