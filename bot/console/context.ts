/**
 * @module bot/console/context
 * What every console route gets: the desk, the store, texts, the clock, and (after login) who is
 * asking. Also the statuses refusals answer with.
 */
import type { Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import type { Knowledge } from '../../content/load.js'
import type { ContentDeps } from './content/content-page.js'
import type { Desk } from '../handoff/desk.js'
import type { Refusal } from '../handoff/permissions.js'
import type { createI18n } from '../i18n.js'
import type { Logger } from '../logger.js'
import type { Limiters } from '../rate-limit.js'
import type { Reminders } from '../reminders/service.js'
import type { StaffAccount } from '../store/schema.js'
import type { InsightLog } from '../store/insight-log.js'
import type { Store } from '../store/store.js'
import type { ViewContext } from './view.js'

export type ConsoleDeps = {
  store: Store
  desk: Desk
  translate: ReturnType<typeof createI18n>
  clock: () => Date
  /** Secure, __Host- cookies: on when the console is served over https. */
  secureCookies: boolean
  logger: Logger
  /** The content, for showing checklists in words; absent where not wired. */
  knowledge?: Knowledge
  /** Count login limits by the last X-Forwarded-For address (TRUST_PROXY). */
  trustProxy?: boolean
  /** Appointment reminders and campaigns (/console/reminders); absent where not wired. */
  reminders?: Reminders
  /** Local content edited in the console (/console/content); absent where not wired. */
  content?: ContentDeps
  /** The counts behind /console/insight, and how long its masked texts are kept. */
  insight?: { log: InsightLog; retentionDays: number }
  /** Several instances: login limits counted in the shared table (default in memory). */
  limiters?: Limiters
  /** Several instances: takes in what the others wrote (a login made there a moment ago). */
  refresh?: () => Promise<void>
}

export type ConsoleEnv = {
  Variables: { staff: StaffAccount; sessionKey: string; csrf: string }
}

/** The view context for the signed-in staff member. */
export function viewOf(c: Context<ConsoleEnv>, deps: ConsoleDeps): ViewContext {
  const language = deps.desk.settings.staffLanguage
  return {
    t: deps.translate.console(language),
    store: deps.store,
    staff: c.get('staff'),
    csrf: c.get('csrf'),
    now: deps.clock(),
    zone: deps.desk.settings.TZ,
  }
}

/** HTTP status for a refused console action. */
export function statusFor(reason: Refusal): ContentfulStatusCode {
  switch (reason) {
    case 'not-found':
      return 404
    case 'not-yours':
    case 'role':
      return 403
    case 'unreachable':
      return 502
    default:
      return 409
  }
}
