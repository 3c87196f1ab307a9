/**
 * @module bot/console/staff/account-page
 * /console/account: anyone signed in changes their own password. After an admin has set a
 * temporary one, the console sends them here before anything else. Other logins of the account
 * end; the change is in the audit log. A wrong current password counts towards the login limits
 * and is audited too.
 */
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { clientAddress } from '../../client-address.js'
import { endSessionsOf, updateStaff } from '../../store/staff.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Csrf, Page, type Notice } from '../layout.js'
import type { LoginGuard } from './login-guard.js'
import { hashPassword, MIN_PASSWORD_LENGTH, verifyPassword } from './passwords.js'

const PasswordForm = z.object({
  current: z.string().max(256),
  next: z.string().max(256),
  again: z.string().max(256),
})

/** Why a new password was refused; each has a sentence in locales (account.error.*). */
type PasswordProblem = 'current' | 'short' | 'differ' | 'same' | 'locked'

async function problemWith(
  form: z.infer<typeof PasswordForm>,
  passwordHash: string
): Promise<PasswordProblem | undefined> {
  if (!(await verifyPassword(form.current, passwordHash))) return 'current'
  if ([...form.next].length < MIN_PASSWORD_LENGTH) return 'short'
  if (form.next !== form.again) return 'differ'
  if (form.next === form.current) return 'same'
  return undefined
}

export function accountRoutes(deps: ConsoleDeps, guard: LoginGuard) {
  const app = new Hono<ConsoleEnv>()
  const { store, desk, clock } = deps

  const page = (c: Context<ConsoleEnv>, status: ContentfulStatusCode, notice?: Notice) => {
    const v = viewOf(c, deps)
    const t = v.t
    const forced = v.staff.mustChangePassword
    return c.html(
      <Page
        t={t}
        language={desk.settings.staffLanguage}
        title={t('account.title')}
        v={v}
        notice={notice}
      >
        <form class="login" method="post" action="/console/account">
          <h1>{t('account.title')}</h1>
          <p class="hint">
            {forced ? <strong>{t('account.mustChange')}</strong> : t('account.intro')}
          </p>
          <Csrf v={v} />
          <label for="current">{t('account.current')}</label>
          <input
            id="current"
            name="current"
            type="password"
            autocomplete="current-password"
            required
          />
          <label for="next">{t('account.next', { min: MIN_PASSWORD_LENGTH })}</label>
          <input
            id="next"
            name="next"
            type="password"
            autocomplete="new-password"
            minlength={MIN_PASSWORD_LENGTH}
            required
          />
          <label for="again">{t('account.again')}</label>
          <input id="again" name="again" type="password" autocomplete="new-password" required />
          <button class="primary" type="submit">
            {t('account.submit')}
          </button>
        </form>
      </Page>,
      status
    )
  }

  app.get('/', (c) => page(c, 200))

  app.post('/', async (c) => {
    const t = viewOf(c, deps).t
    const staff = c.get('staff')
    const form = PasswordForm.safeParse(await c.req.parseBody())
    const from = clientAddress(c, deps.trustProxy ?? false)
    // Guessing the current password with a stolen login counts like guessing at the login, and
    // is charged the same way before it hashes.
    const admitted = await guard.admit(from, staff.username)
    if (admitted === 'locked' || admitted === 'busy') {
      const minutes = desk.settings.STAFF_LOCKOUT_MINUTES
      return page(c, 429, { kind: 'error', text: t('account.error.locked', { minutes }) })
    }
    let problem: PasswordProblem | undefined = 'current'
    try {
      if (form.success) problem = await problemWith(form.data, staff.passwordHash)
    } finally {
      admitted()
    }
    if (problem !== 'current') await guard.succeeded(from, staff.username)
    else {
      await guard.failed(from, staff.username)
      desk.audit.append({
        at: clock().toISOString(),
        actor: staff.id,
        action: 'password.check-failed',
      })
      await desk.audit.flush()
    }
    if (problem || !form.success) {
      const text = t(`account.error.${problem ?? 'current'}`, { min: MIN_PASSWORD_LENGTH })
      return page(c, 400, { kind: 'error', text })
    }
    const wasTemporary = staff.mustChangePassword
    updateStaff(store, staff.id, {
      passwordHash: await hashPassword(form.data.next),
      mustChangePassword: false,
    })
    endSessionsOf(store, staff.id, c.get('sessionKey'))
    desk.audit.append({ at: clock().toISOString(), actor: staff.id, action: 'password.changed' })
    await Promise.all([store.flush(), desk.audit.flush()])
    // The other logins' live streams end.
    desk.changed()
    // Someone sent here by a temporary password goes on to the conversations.
    if (wasTemporary) return c.redirect('/console', 303)
    return page(c, 200, { kind: 'ok', text: t('account.changed') })
  })
  return app
}
