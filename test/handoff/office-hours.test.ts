import { describe, expect, it } from 'vitest'
import { loadConfig } from '../../bot/config.js'
import { createOfficeHours, parseOfficeHours } from '../../bot/handoff/office-hours.js'

const oslo = (iso: string) => new Date(`${iso}+01:00`)
const summer = (iso: string) => new Date(`${iso}+02:00`)
const hours = createOfficeHours({
  hours: 'mon-fri 09:00-16:00; sat 10:00-14:00',
  holidays: 'NO,2026-12-24',
  zone: 'Europe/Oslo',
})

describe('office hours', () => {
  it('Should parse day ranges and single days', () => {
    expect(parseOfficeHours('mon-wed 09:00-16:00, sun 12:00-24:00')).toEqual([
      { day: 1, start: 540, end: 960 },
      { day: 2, start: 540, end: 960 },
      { day: 3, start: 540, end: 960 },
      { day: 7, start: 720, end: 1440 },
    ])
    expect(parseOfficeHours('none')).toEqual([])
  })

  it.each([
    ['mon-fri 9-16', /not like "mon-fri 09:00-16:00"/],
    ['fri-mon 09:00-16:00', /bad days/],
    ['mon 16:00-09:00', /bad times/],
  ])('Should refuse "%s"', (spec, message) => {
    expect(() => parseOfficeHours(spec)).toThrow(message)
  })

  it('Should stop start-up with one line for bad hours or holidays', () => {
    expect(() => loadConfig({ OFFICE_HOURS: 'weekdays' })).toThrow(
      /^Bad setting OFFICE_HOURS="weekdays": /
    )
    expect(() => loadConfig({ HOLIDAYS: 'XX' })).toThrow(/^Bad setting HOLIDAYS="XX": /)
    expect(() => loadConfig({ HANDOFF_ONCALL: '12345' })).toThrow(/^Bad setting HANDOFF_ONCALL=/)
    expect(loadConfig({ HANDOFF_ONCALL: '+4791111111, +4792222222' }).HANDOFF_ONCALL).toEqual([
      '+4791111111',
      '+4792222222',
    ])
  })

  it('Should be open in hours and say when the next shift starts otherwise', () => {
    expect(hours.isOpen(oslo('2026-11-23T12:00:00'))).toBe(true) // Monday
    expect(hours.isOpen(oslo('2026-11-23T16:00:00'))).toBe(false)
    expect(hours.nextOpening(oslo('2026-11-23T17:00:00'))).toEqual(oslo('2026-11-24T09:00:00'))
    expect(hours.nextOpening(oslo('2026-11-27T18:00:00'))).toEqual(oslo('2026-11-28T10:00:00'))
    expect(hours.nextOpening(oslo('2026-11-28T15:00:00'))).toEqual(oslo('2026-11-30T09:00:00'))
  })

  it('Should skip public holidays and listed dates', () => {
    // 24 Dec is listed, 25 and 26 are public holidays, 27 is a Sunday.
    expect(hours.nextOpening(oslo('2026-12-23T17:00:00'))).toEqual(oslo('2026-12-28T09:00:00'))
    // 17 May 2027 is a Monday.
    expect(hours.nextOpening(summer('2027-05-15T15:00:00'))).toEqual(summer('2027-05-18T09:00:00'))
  })

  it('Should keep wall-clock opening times across a DST change', () => {
    // Clocks go forward on Sunday 29 March 2026; Monday opens at 09:00 summer time.
    expect(hours.nextOpening(oslo('2026-03-28T15:00:00'))).toEqual(summer('2026-03-30T09:00:00'))
  })

  it('Should have no next shift when there are no office hours', () => {
    const never = createOfficeHours({ hours: 'none', holidays: 'none', zone: 'Europe/Oslo' })
    expect(never.isOpen(oslo('2026-11-23T12:00:00'))).toBe(false)
    expect(never.nextOpening(oslo('2026-11-23T12:00:00'))).toBeUndefined()
  })
})
