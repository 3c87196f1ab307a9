/**
 * @module bot/handoff/settings-shape
 * The environment variables of the human handoff and the staff console, spread into the one
 * settings schema in bot/config.ts. Kept here so the handoff's settings live beside their code.
 */
import { z } from 'zod'
import { parseHolidays, parseOfficeHours } from './office-hours.js'

const parses = (parse: (spec: string) => unknown) => (spec: string, ctx: z.RefinementCtx) => {
  try {
    parse(spec)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message })
  }
}

const phoneList = z
  .string()
  .transform((v) =>
    v
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
  )
  .pipe(
    z.array(z.string().regex(/^\+[1-9][0-9]{6,14}$/, 'each number must be E.164, like +4791234567'))
  )

const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback)

export const handoffSettingsShape = {
  OFFICE_HOURS: z
    .string()
    .default('mon-fri 09:00-16:00')
    .superRefine(parses(parseOfficeHours))
    .describe('When volunteers answer, in TZ: "mon-fri 09:00-16:00; sat 10:00-14:00", or none'),
  HOLIDAYS: z
    .string()
    .default('NO')
    .superRefine(parses(parseHolidays))
    .describe('Closed days: country codes for public holidays and/or dates, e.g. NO,2026-12-24'),
  HANDOFF_ONCALL: phoneList
    .default([])
    .describe(
      'Comma-separated numbers texted about a new request (outside office hours: urgent only)'
    ),
  HANDOFF_ESCALATE_MINUTES: count(1, 24 * 60, 10).describe(
    'Minutes a request may wait unclaimed in office hours before coordinators are texted'
  ),
  HANDOFF_IDLE_HOURS: count(1, 24 * 14, 12).describe(
    'Hours without a message (or unclaimed after opening) before a handoff expires to the bot'
  ),
  HANDOFF_URGENT_PER_ADDRESS: count(1, 1000, 3).describe(
    'Urgent chats from one number or web chat address an hour that alert on-call on their own (more are still urgent and answered, and go in the next alert)'
  ),
  HANDOFF_URGENT_PER_HOUR: count(1, 10_000, 20).describe(
    'Urgent chats an hour from everyone together that alert on their own (more go in the next alert)'
  ),
  HANDOFF_ALERTS_PER_HOUR: count(1, 1000, 6).describe(
    'Alert SMS an hour to on-call numbers, and to coordinators: half at once, then one every 60/N minutes; each counts the others waiting'
  ),
  STAFF_SESSION_HOURS: count(1, 24 * 7, 12).describe('Hours a console login lasts'),
  STAFF_LOCKOUT_ATTEMPTS: count(2, 100, 5).describe(
    'Wrong passwords in a row from one address that lock a console account for that address (4x from anywhere: for all)'
  ),
  STAFF_LOGIN_FAILURES_PER_ADDRESS: count(1, 100_000, 20).describe(
    'Wrong console logins one address may make in an hour, whatever the names'
  ),
  STAFF_LOCKOUT_MINUTES: count(1, 24 * 60, 15).describe('Minutes a locked console account waits'),
}

/** Every handoff setting at its default, for runtimes built without a full Config (tests). */
export const handoffDefaults = z.object(handoffSettingsShape).parse({})
export type HandoffSettingValues = typeof handoffDefaults
