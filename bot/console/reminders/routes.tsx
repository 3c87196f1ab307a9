/**
 * @module bot/console/reminders/routes
 * /console/reminders: appointment reminders and campaigns, for coordinators and admins only.
 * Mounted inside the console's routes, so its login, CSRF check and headers apply; this sub-app
 * adds the role check, the overview with its live feed, and the other pages' routes.
 */
import { Hono } from 'hono'
import { streamSSE } from 'hono/streaming'
import { markHandled } from '../../reminders/replies.js'
import type { Reminders } from '../../reminders/service.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Page, type Notice } from '../layout.js'
import { appointmentRoutes } from './appointment-routes.js'
import { campaignRoutes } from './campaigns.js'
import { importRoutes } from './import.js'
import { peopleRoutes, personPage } from './people.js'
import { OverviewLive } from './progress.js'
import { BASE, RemindersPage, remViewOf, streamLive } from './view.js'
import { remindersCss } from './style.js'
import { isLead } from '../view.js'

export function reminderRoutes(deps: ConsoleDeps, reminders: Reminders) {
  const app = new Hono<ConsoleEnv>()
  const rvOf = (c: Parameters<typeof remViewOf>[0]) => remViewOf(c, deps, reminders)

  // Volunteers answer chats; who is reminded of what is for coordinators and admins.
  app.use('*', async (c, next) => {
    if (isLead(c.get('staff'))) return next()
    const v = viewOf(c, deps)
    const notice: Notice = { kind: 'error', text: v.t('refused.role') }
    return c.html(
      <Page
        t={v.t}
        language={deps.desk.settings.staffLanguage}
        title={v.t('refused.role')}
        v={v}
        notice={notice}
      >
        <p>
          <a href="/console">{v.t('chat.back')}</a>
        </p>
      </Page>,
      403
    )
  })

  app.get('/reminders.css', (c) =>
    c.body(remindersCss, 200, { 'content-type': 'text/css; charset=utf-8' })
  )

  app.get('/', (c) => {
    const rv = rvOf(c)
    const r = rv.r
    const done = c.req.query('done')
    const notice: Notice | undefined =
      done === 'cancelled' ? { kind: 'ok', text: r('console.done.cancelled') } : undefined
    return c.html(
      <RemindersPage rv={rv} title={r('console.overview.title')} notice={notice}>
        <h1>{r('console.overview.title')}</h1>
        <form method="get" action={`${BASE}/people`} class="panel row" role="search">
          <div>
            <label for="find">{r('console.overview.find')}</label>
            <input id="find" name="q" type="search" required />
          </div>
          <button class="primary" type="submit">
            {r('console.people.find')}
          </button>
          <a class="button" href={`${BASE}/people#new`}>
            {r('console.people.add')}
          </a>
        </form>
        <p class="hint">{r('console.overview.intro')}</p>
        <section id="live" data-live={`${BASE}/events`} aria-live="polite">
          <OverviewLive rv={rv} />
        </section>
      </RemindersPage>
    )
  })
  app.get('/events', (c) =>
    streamSSE(c, (stream) =>
      streamLive(reminders, stream, () => (<OverviewLive rv={rvOf(c)} />).toString())
    )
  )
  app.post('/replies/:id/handled', async (c) => {
    const rv = rvOf(c)
    const handled = await reminders.commit(() =>
      markHandled(deps.store, c.req.param('id'), rv.staff.id, rv.now)
    )
    if (!handled) return c.text(rv.r('console.error.not-found'), 404)
    return c.redirect(BASE, 303)
  })

  app.route('/people', peopleRoutes(deps, reminders))
  app.route('/import', importRoutes(deps, reminders))
  app.route('/campaigns', campaignRoutes(deps, reminders))
  app.route('/', appointmentRoutes(deps, reminders, personPage))
  return app
}
