/**
 * @module bot/config
 * Every environment variable the service reads, parsed by one zod schema. A bad value stops
 * start-up with one line naming the variable.
 */
import { z } from 'zod'
import { handoffSettingsShape } from './handoff/settings-shape.js'
import { reminderSettingsShape } from './reminders/settings.js'

const flag = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes')

const timeZone = z.string().refine((tz) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz })
    return true
  } catch {
    return false
  }
}, 'not a known IANA time zone')

export const settingsSchema = z.object({
  NODE_ENV: z
    .enum(['development', 'production', 'test'])
    .default('development')
    .describe('production turns off the dev phone and demands real secrets'),
  PORT: z.coerce.number().int().min(1).max(65535).default(3978).describe('HTTP port'),
  HOST: z.string().min(1).default('0.0.0.0').describe('Interface to listen on'),
  DATA_DIR: z.string().min(1).default('./data').describe('Where the store files live'),
  DATABASE_URL: z
    .url({
      protocol: /^postgres(ql)?$/,
      error: 'must be a postgres:// URL like postgres://user:password@host:5432/database',
    })
    .optional()
    .describe(
      'PostgreSQL instead of the files in DATA_DIR (several instances can share it); see docs/postgresql.md'
    ),
  PUBLIC_URL: z
    .url()
    .optional()
    .describe(
      'The public base URL Twilio calls (used to check signatures); default http://localhost:PORT'
    ),
  TZ: timeZone
    .default('Europe/Oslo')
    .describe('Time zone for reminders, office hours, quiet hours'),
  DEFAULT_LANGUAGE: z.enum(['nb', 'en']).default('nb').describe('Language before we know better'),
  LOG_LEVEL: z
    .enum(['debug', 'info', 'warn', 'error'])
    .default('info')
    .describe('debug logs message bodies'),
  LOCAL_CONTENT: z
    .string()
    .optional()
    .describe("Path to the organisation's local content JSON (see content/local/example.json)"),
  SMS_MAX_SEGMENTS: z.coerce
    .number()
    .int()
    .min(1)
    .max(10)
    .default(2)
    .describe('Segment budget per SMS reply'),
  DEV_PHONE: flag.optional().describe('Serve /dev/phone; default on unless NODE_ENV=production'),
  TWILIO_ACCOUNT_SID: z
    .string()
    .regex(/^AC[0-9a-fA-F]{32}$/, 'must look like AC followed by 32 hex characters')
    .optional()
    .describe('Twilio account; without it outbound SMS go to the local outbox'),
  TWILIO_AUTH_TOKEN: z
    .string()
    .min(16, 'must be the 32-character auth token')
    .optional()
    .describe('Checks X-Twilio-Signature; without it /sms/twilio answers 503'),
  TWILIO_FROM: z
    .string()
    .regex(/^\+[1-9][0-9]{6,14}$/, 'must be an E.164 number like +4712345678')
    .optional()
    .describe('Sender number for outbound SMS'),
  TWILIO_MESSAGING_SERVICE_SID: z
    .string()
    .regex(/^MG[0-9a-fA-F]{32}$/, 'must look like MG followed by 32 hex characters')
    .optional()
    .describe('Messaging Service to send from instead of TWILIO_FROM'),
  TRANSCRIPT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .default(90)
    .describe('Days a conversation transcript is kept'),
  SMS_LIMIT_PER_NUMBER: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe(
      'Texts one number may send per window before the bot stops answering (crisis words still answered)'
    ),
  SMS_LIMIT_WINDOW_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .default(600)
    .describe('The window for SMS_LIMIT_PER_NUMBER, in seconds'),
  HANDOFF_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .default(90)
    .describe('Days a closed chat with a person (and its notes) is kept'),
  MESSAGE_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('Days a sent, delivered, failed or cancelled outbound SMS is kept in the outbox'),
  AUDIT_RETENTION_DAYS: z.coerce
    .number()
    .int()
    .min(30)
    .default(365)
    .describe('Days the audit log of who read and did what is kept'),
  WEBCHAT_TOKEN_MINUTES: z.coerce
    .number()
    .int()
    .min(20, 'must be at least 20: Web Chat refreshes its token every 15 minutes')
    .max(24 * 60)
    .default(30)
    .describe(
      'Lifetime of a web chat token; an open chat refreshes it, a closed one can resume within it'
    ),
  WEBCHAT_CONVERSATIONS_PER_HOUR: z.coerce
    .number()
    .int()
    .min(1)
    .default(20)
    .describe('New web chat conversations one client address may start per hour'),
  WEBCHAT_MESSAGES_PER_MINUTE: z.coerce
    .number()
    .int()
    .min(1)
    .default(30)
    .describe('Web chat messages one client address may send per minute'),
  TRUST_PROXY: flag
    .default(false)
    .describe(
      'Behind a reverse proxy: take the client address for rate limits from its X-Forwarded-For'
    ),
  MICROSOFT_APP_ID: z
    .uuid("must be the bot's Microsoft App ID (a GUID)")
    .optional()
    .describe('Azure Bot Service app id; with MICROSOFT_APP_PASSWORD it turns on /api/messages'),
  MICROSOFT_APP_PASSWORD: z
    .string()
    .min(1)
    .optional()
    .describe("The app registration's client secret, used to check and sign Bot Service calls"),
  MICROSOFT_APP_TENANT_ID: z
    .uuid('must be a Microsoft Entra tenant id (a GUID)')
    .optional()
    .describe('Tenant of a single-tenant app registration'),
  MICROSOFT_APP_TYPE: z
    .enum(['SingleTenant', 'MultiTenant'])
    .optional()
    .describe('SingleTenant when MICROSOFT_APP_TENANT_ID is set, else MultiTenant'),
  ...handoffSettingsShape,
  ...reminderSettingsShape,
})

type Settings = z.infer<typeof settingsSchema>

export type Config = Readonly<
  Omit<Settings, 'PUBLIC_URL' | 'DEV_PHONE'> & {
    PUBLIC_URL: string
    DEV_PHONE: boolean
    /** Twilio REST credentials when outbound SMS should really go out. */
    twilio?: { accountSid: string; authToken: string; from?: string; messagingServiceSid?: string }
    /** Azure Bot Service credentials; /api/messages exists only with them. */
    botFramework?: BotFrameworkCredentials
  }
>

export type BotFrameworkCredentials = {
  appId: string
  appPassword: string
  appType: 'SingleTenant' | 'MultiTenant'
  tenantId?: string
}

/** Thrown for a bad setting; `message` is the one line to print. */
export class ConfigError extends Error {}

/** Parses the environment into a frozen Config, or throws ConfigError naming the first bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const relevant = Object.fromEntries(
    Object.keys(settingsSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]])
  )
  const parsed = settingsSchema.safeParse(relevant)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    const name = String(issue.path[0] ?? 'environment')
    // A database URL may carry a password: never echo it.
    const shown =
      name === 'DATABASE_URL'
        ? String(relevant[name] ?? '').replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@')
        : (relevant[name] ?? '')
    throw new ConfigError(`Bad setting ${name}=${JSON.stringify(shown)}: ${issue.message}`)
  }
  const s = parsed.data
  const sending = s.TWILIO_FROM ?? s.TWILIO_MESSAGING_SERVICE_SID
  if (s.TWILIO_ACCOUNT_SID && (!s.TWILIO_AUTH_TOKEN || !sending)) {
    throw new ConfigError(
      'Bad setting TWILIO_ACCOUNT_SID: also set TWILIO_AUTH_TOKEN and TWILIO_FROM or TWILIO_MESSAGING_SERVICE_SID'
    )
  }
  if (Boolean(s.MICROSOFT_APP_ID) !== Boolean(s.MICROSOFT_APP_PASSWORD)) {
    const missing = s.MICROSOFT_APP_ID ? 'MICROSOFT_APP_PASSWORD' : 'MICROSOFT_APP_ID'
    throw new ConfigError(
      `Bad setting ${missing}: set both MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD, or neither`
    )
  }
  const appType =
    s.MICROSOFT_APP_TYPE ?? (s.MICROSOFT_APP_TENANT_ID ? 'SingleTenant' : 'MultiTenant')
  if (s.MICROSOFT_APP_ID && appType === 'SingleTenant' && !s.MICROSOFT_APP_TENANT_ID) {
    throw new ConfigError('Bad setting MICROSOFT_APP_TENANT_ID: required for a SingleTenant app')
  }
  if (s.NODE_ENV === 'production' && !s.PUBLIC_URL) {
    throw new ConfigError('Bad setting PUBLIC_URL: required when NODE_ENV=production')
  }
  return Object.freeze({
    ...s,
    PUBLIC_URL: (s.PUBLIC_URL ?? `http://localhost:${s.PORT}`).replace(/\/$/, ''),
    DEV_PHONE: s.DEV_PHONE ?? s.NODE_ENV !== 'production',
    twilio:
      s.TWILIO_ACCOUNT_SID && s.TWILIO_AUTH_TOKEN
        ? {
            accountSid: s.TWILIO_ACCOUNT_SID,
            authToken: s.TWILIO_AUTH_TOKEN,
            from: s.TWILIO_FROM,
            messagingServiceSid: s.TWILIO_MESSAGING_SERVICE_SID,
          }
        : undefined,
    botFramework:
      s.MICROSOFT_APP_ID && s.MICROSOFT_APP_PASSWORD
        ? {
            appId: s.MICROSOFT_APP_ID,
            appPassword: s.MICROSOFT_APP_PASSWORD,
            appType,
            tenantId: s.MICROSOFT_APP_TENANT_ID,
          }
        : undefined,
  })
}
