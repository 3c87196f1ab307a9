/**
 * @module bot/console/routes
 * /console: everything but the login form and two static files needs a live session, and every
 * request that changes something needs the session's CSRF token. Pages are sent with a strict
 * Content Security Policy and are never cached.
 */
import { Hono } from 'hono'
import { secureHeaders } from 'hono/secure-headers'
import { accountRoutes } from './staff/account-page.js'
import { assetRoutes } from './assets.js'
import { checklistRoutes } from './participants/checklists-page.js'
import { contentRoutes } from './content/content-page.js'
import { privacyRoutes } from './privacy/privacy-page.js'
import { auditRoutes } from './privacy/audit-page.js'
import { chatActionRoutes, segmentRoutes } from './chats/chat-actions.js'
import { chatViewRoutes } from './chats/chat.js'
import { historyRoutes } from './chats/history.js'
import { insightRoutes } from './insight/insight-page.js'
import { participantRoutes } from './participants/participant-page.js'
import type { ConsoleDeps, ConsoleEnv } from './context.js'
import { loginRoutes } from './staff/login.js'
import { HashingBusy } from './staff/hash-pool.js'
import { createLoginGuard } from './staff/login-guard.js'
import { hashingFull } from './staff/passwords.js'
import { queueRoutes } from './chats/queue.js'
import { reminderRoutes } from './reminders/routes.js'
import { staffRoutes } from './staff/staff-page.js'
import { currentSession, endSession, sameSecret } from './staff/sessions.js'

export type { ConsoleDeps } from './context.js'

export function consoleRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  const { store, desk, clock } = deps
  const t = () => deps.translate.console(desk.settings.staffLanguage)
  // Wrong passwords, at login and when changing one's own, count in one place.
  const guard = createLoginGuard(desk.settings, clock, deps.limiters)

  // A full hashing queue refuses a login before anything is parsed, so a flood costs little.
  app.post('/login', async (_, next) => {
    if (hashingFull()) throw new HashingBusy()
    await next()
  })
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
      referrerPolicy: 'no-referrer',
      // HSTS only when PUBLIC_URL is https: bot/security-headers.ts adds it then.
      strictTransportSecurity: false,
    })
  )
  app.use('*', async (c, next) => {
    await next()
    c.header('cache-control', 'no-store')
  })

  // A form that does not parse (a broken multipart body) is the sender's mistake: 400, before any
  // route reads it. The parsed form is kept for the routes.
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.header('content-type')?.includes('form')) {
      const parsed = await c.req.parseBody().then(
        () => true,
        () => false
      )
      if (!parsed) return c.text(t()('refused.badForm'), 400)
    }
    await next()
  })

  // Public: static files with no data in them, and the login form.
  app.route('/assets', assetRoutes())
  app.route('/login', loginRoutes(deps, guard))

  // Everything registered below runs only after this check.
  app.use('*', async (c, next) => {
    const now = clock()
    let current = currentSession(c, store, now, deps.secureCookies)
    // Several instances: a login made on another one a moment ago may not be here yet.
    if (!current && deps.refresh) {
      await deps.refresh()
      current = currentSession(c, store, now, deps.secureCookies)
    }
    if (!current) {
      const page = c.req.method === 'GET' && !c.req.path.endsWith('/events')
      return page ? c.redirect('/console/login', 303) : c.text(t()('refused.anonymous'), 401)
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const form = c.req.header('content-type')?.includes('form')
        ? await c.req.parseBody()
        : undefined
      const sent = c.req.header('x-csrf-token') ?? (form?._csrf as string | undefined)
      if (!sameSecret(sent, current.session.csrf)) return c.text(t()('refused.csrf'), 403)
    }
    // A temporary password from an admin is replaced before anything else.
    if (current.staff.mustChangePassword && !/^\/console\/(account|logout)\/?$/.test(c.req.path)) {
      return c.req.method === 'GET'
        ? c.redirect('/console/account', 303)
        : c.text(t()('account.mustChange'), 403)
    }
    desk.presence.touch(current.staff.id, now)
    c.set('staff', current.staff)
    c.set('sessionKey', current.key)
    c.set('csrf', current.session.csrf)
    await next()
  })

  app.post('/logout', async (c) => {
    const staff = c.get('staff')
    endSession(c, store, c.get('sessionKey'), deps.secureCookies)
    desk.presence.leave(staff.id)
    desk.audit.append({ at: clock().toISOString(), actor: staff.id, action: 'logout' })
    await Promise.all([store.flush(), desk.audit.flush()])
    // Live streams of this login end.
    desk.changed()
    return c.redirect('/console/login', 303)
  })
  app.route('/account', accountRoutes(deps, guard))
  app.route('/staff', staffRoutes(deps, guard))
  app.route('/segments', segmentRoutes(deps))
  app.route('/audit', auditRoutes(deps))
  app.route('/privacy', privacyRoutes(deps))
  if (deps.knowledge) app.route('/checklists', checklistRoutes(deps, deps.knowledge))
  app.route('/history', historyRoutes(deps))
  if (deps.insight) {
    // The content editor's route may or may not be in this build: the page asks when drawn.
    const hasPhrases = () =>
      app.routes.some((r) => r.method === 'POST' && r.path === '/content/phrases')
    app.route('/insight', insightRoutes(deps, { ...deps.insight, hasPhrases }))
  }
  app.route('/participants', participantRoutes(deps))
  app.route('/chats', chatActionRoutes(deps))
  app.route('/chats', chatViewRoutes(deps))
  if (deps.reminders) app.route('/reminders', reminderRoutes(deps, deps.reminders))
  if (deps.content) app.route('/content', contentRoutes(deps, deps.content))
  app.route('/', queueRoutes(deps))
  return app
}
