/**
 * @module bot/reminders/settings
 * The environment variables of reminders, campaigns and the outbox dispatcher, spread into the
 * one settings schema in bot/config.ts (as the handoff's are), with their defaults.
 */
import { z } from 'zod'
import { parseQuietHours, type QuietHours } from './quiet-hours.js'
import { parseRules, type Rule } from './rules.js'

const parses = (parse: (spec: string) => unknown) => (spec: string, ctx: z.RefinementCtx) => {
  try {
    parse(spec)
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message })
  }
}

const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback)

export const reminderSettingsShape = {
  QUIET_HOURS: z
    .string()
    .default('21:00-08:00')
    .superRefine(parses((s) => parseQuietHours(s)))
    .describe('No reminder or campaign SMS in this window (TZ), held until it ends; or none'),
  REMINDER_RULES: z
    .string()
    .default('-1d@18:00,-2h')
    .superRefine(parses(parseRules))
    .describe(
      'Default reminders of a new appointment: -1d@18:00 = the day before at 18:00, -2h = 2 hours before'
    ),
  SMS_RATE_PER_SECOND: z.coerce
    .number()
    .min(0)
    .max(1000)
    .default(5)
    .describe(
      'Outbox SMS per second from our sender, so a campaign does not trip Twilio; 0 = no limit'
    ),
  SMS_DISPATCH_CONCURRENCY: count(1, 64, 4).describe(
    'Outbox SMS sent at once (also the most a crash can send twice)'
  ),
  SMS_MAX_ATTEMPTS: count(1, 20, 6).describe(
    'Tries for an outbox SMS on 429, 5xx or network errors before it is marked failed'
  ),
  SCHEDULER_INTERVAL_SECONDS: count(1, 3600, 10).describe(
    'How often due reminders and campaigns are queued and the outbox is sent'
  ),
}

/** Every setting at its default, for runtimes built without a full Config (tests). */
export const reminderDefaults = z.object(reminderSettingsShape).parse({})
export type ReminderSettingValues = typeof reminderDefaults

export type ReminderSettings = {
  quiet: QuietHours
  rules: Rule[]
  zone: string
  language: 'nb' | 'en'
  maxSegments: number
  ratePerSecond: number
  concurrency: number
  maxAttempts: number
}

/** The settings as the scheduler uses them; whatever is missing takes its default. */
export function reminderSettings(
  config: Partial<ReminderSettingValues> & {
    TZ?: string
    DEFAULT_LANGUAGE?: 'nb' | 'en'
    SMS_MAX_SEGMENTS?: number
  }
): ReminderSettings {
  const v = { ...reminderDefaults, ...definedOnly(config) }
  const zone = config.TZ ?? 'Europe/Oslo'
  return {
    quiet: parseQuietHours(v.QUIET_HOURS, zone),
    rules: parseRules(v.REMINDER_RULES),
    zone,
    language: config.DEFAULT_LANGUAGE ?? 'nb',
    maxSegments: config.SMS_MAX_SEGMENTS ?? 2,
    ratePerSecond: v.SMS_RATE_PER_SECOND,
    concurrency: v.SMS_DISPATCH_CONCURRENCY,
    maxAttempts: v.SMS_MAX_ATTEMPTS,
  }
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>
}
