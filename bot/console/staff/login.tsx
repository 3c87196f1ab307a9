/**
 * @module bot/console/staff/login
 * Logging in and out. Wrong passwords are counted per name and address (login-guard.ts) and lock
 * the name for a while; an unknown username takes as long as a known one, counts the same and
 * locks the same. Each address is charged before it hashes and may hash only a couple at once
 * (login-guard.ts); hashing waits in its own small queue (hash-pool.ts); a full queue answers 503.
 * Every login, failure and lockout is in the audit log.
 */
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { clientAddress } from '../../client-address.js'
import { findStaff, isLocked, lockStaff, recordLoginSuccess } from '../../store/staff.js'
import type { ConsoleDeps, ConsoleEnv } from '../context.js'
import type { LoginGuard } from './login-guard.js'
import { Page, type Notice } from '../layout.js'
import { decoyHash, verifyPassword } from './passwords.js'
import { loginFormToken, loginFormTokenMatches, startSession } from './sessions.js'

const LoginForm = z.object({
  username: z.string().trim().min(1).max(64),
  password: z.string().min(1).max(256),
  _csrf: z.string().max(128),
})

export function loginRoutes(deps: ConsoleDeps, guard: LoginGuard) {
  const app = new Hono<ConsoleEnv>()
  const { store, desk, clock } = deps
  const secure = deps.secureCookies
  const settings = desk.settings
  const t = () => deps.translate.console(settings.staffLanguage)

  const page = (c: Context, status: ContentfulStatusCode, notice?: Notice, username = '') =>
    c.html(
      <Page t={t()} language={settings.staffLanguage} title={t()('login.title')} notice={notice}>
        <form class="login" method="post" action="/console/login">
          <h1>{t()('login.title')}</h1>
          <p class="hint">{t()('login.intro')}</p>
          <input type="hidden" name="_csrf" value={loginFormToken(c, secure)} />
          <label for="username">{t()('login.username')}</label>
          <input id="username" name="username" autocomplete="username" value={username} required />
          <label for="password">{t()('login.password')}</label>
          <input
            id="password"
            name="password"
            type="password"
            autocomplete="current-password"
            required
          />
          <button class="primary" type="submit">
            {t()('login.submit')}
          </button>
        </form>
      </Page>,
      status
    )

  const audit = (actor: string, action: string) =>
    desk.audit.append({ at: clock().toISOString(), actor, action })

  app.get('/', (c) => page(c, 200))

  app.post('/', async (c) => {
    const form = LoginForm.safeParse(await c.req.parseBody())
    const failed: Notice = { kind: 'error', text: t()('login.failed') }
    if (!form.success) return page(c, 400, failed)
    const { username, password, _csrf } = form.data
    if (!loginFormTokenMatches(c, secure, _csrf)) {
      return page(c, 403, { kind: 'error', text: t()('refused.csrf') }, username)
    }
    const now = clock()
    const from = clientAddress(c, deps.trustProxy ?? false)
    const account = findStaff(store, username)
    const locked: Notice = {
      kind: 'error',
      text: t()('login.locked', { minutes: settings.STAFF_LOCKOUT_MINUTES }),
    }
    // Refused before hashing, the same way for every name, known or not; the address is charged
    // before it takes a place in the hashing queue.
    if (account && isLocked(account, now)) return page(c, 429, locked, username)
    const admitted = await guard.admit(from, username)
    if (admitted === 'locked') return page(c, 429, locked, username)
    if (admitted === 'busy')
      return page(c, 429, { kind: 'error', text: t()('login.busy') }, username)
    let matches: boolean
    try {
      matches = await verifyPassword(password, account?.passwordHash ?? (await decoyHash()))
    } finally {
      admitted()
    }
    if (!account || account.disabled || !matches) {
      const result = await guard.failed(from, username)
      const until = new Date(now.getTime() + settings.STAFF_LOCKOUT_MINUTES * 60_000)
      if (account && result.lockedEverywhere) lockStaff(store, account.id, until)
      // The same work for every name: one audit line, one flush.
      audit(account?.id ?? 'unknown', result.locked ? 'lockout' : 'login-failed')
      await Promise.all([store.flush(), desk.audit.flush()])
      return result.locked ? page(c, 429, locked, username) : page(c, 401, failed, username)
    }
    await guard.succeeded(from, username)
    recordLoginSuccess(store, account.id)
    startSession(c, store, account, { now, hours: settings.STAFF_SESSION_HOURS, secure })
    desk.presence.touch(account.id, now)
    audit(account.id, 'login')
    await Promise.all([store.flush(), desk.audit.flush()])
    return c.redirect('/console', 303)
  })
  return app
}
