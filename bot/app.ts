/**
 * @module bot/app
 * The HTTP surface: one Hono app, each area mounted as its own sub-app. No server here, so
 * tests call `app.request()` directly.
 */
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import { HTTPException } from 'hono/http-exception'
import { securityHeaders } from './security-headers.js'
import { botFrameworkRoutes } from './channels/bot-framework.js'
import { devPhoneRoutes } from './channels/dev-phone.js'
import { directLineRoutes } from './channels/direct-line-routes.js'
import { directLineStreams, type UpgradeHandler } from './channels/direct-line-stream.js'
import { webChatRoutes } from './channels/web-chat-page.js'
import { smsRoutes } from './channels/twilio-sms.js'
import { HashingBusy } from './console/staff/hash-pool.js'
import { consoleRoutes } from './console/routes.js'
import type { Config } from './config.js'
import type { Logger } from './logger.js'
import type { Runtime } from './runtime.js'
import { recentMessages } from './store/outbox.js'
import type { Store } from './store/store.js'

export type AppDeps = {
  config: Pick<Config, 'PUBLIC_URL' | 'DEV_PHONE' | 'TWILIO_AUTH_TOKEN' | 'NODE_ENV'> &
    Partial<
      Pick<
        Config,
        | 'DEFAULT_LANGUAGE'
        | 'WEBCHAT_TOKEN_MINUTES'
        | 'WEBCHAT_CONVERSATIONS_PER_HOUR'
        | 'WEBCHAT_MESSAGES_PER_MINUTE'
        | 'TRUST_PROXY'
      >
    >
  runtime: Runtime
  store: Store
  logger: Logger
}

/** The app, and what a node server must pass it besides requests: WebSocket upgrades. */
export type App = Hono & { upgrade: UpgradeHandler; closeStreams: () => void }

export function createApp(deps: AppDeps): App {
  const { config, runtime, logger } = deps
  const app = new Hono()

  app.use('*', securityHeaders({ https: config.PUBLIC_URL.startsWith('https://') }))
  // No route needs more than a CSV of participants; everything else is far smaller.
  app.use(
    '*',
    bodyLimit({ maxSize: 1024 * 1024, onError: (c) => c.text('Request body too large', 413) })
  )
  app.use('*', async (c, next) => {
    const started = performance.now()
    await next()
    // Web Chat polls every second: a poll that worked is not worth a line.
    const polled = c.req.method === 'GET' && c.req.path.startsWith('/directline/')
    if (polled && c.res.status === 200) return
    logger.info('http', {
      method: c.req.method,
      // A web chat's conversation id is its participant's address: kept out of the log like a number.
      path: c.req.path.replace(
        /^\/directline\/conversations\/[^/]+/,
        '/directline/conversations/:id'
      ),
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    })
  })

  // Several instances: 503 while the database does not answer, so a load balancer sends texts
  // to an instance that can answer them.
  app.get('/health', async (c) => {
    const { cluster } = runtime
    const reachable = await cluster.reachable()
    return c.json(
      {
        status: reachable ? 'ok' : 'database unreachable',
        participants: Object.keys(deps.store.data.participants).length,
        // Several instances: which one runs the scheduler now.
        ...(cluster.shared && {
          instance: cluster.instanceId,
          role: cluster.isLeader() ? 'leader' : 'follower',
        }),
      },
      reachable ? 200 : 503
    )
  })

  app.route(
    '/sms/twilio',
    smsRoutes({
      adapter: runtime.sms,
      authToken: config.TWILIO_AUTH_TOKEN,
      publicUrl: config.PUBLIC_URL,
      handle: runtime.handleSms,
      receipt: runtime.receipt,
    })
  )

  app.route(
    '/directline',
    directLineRoutes({
      conversations: runtime.webchat.conversations,
      start: runtime.startWebChat,
      receive: runtime.handleWebChat,
      conversationsPerHour: config.WEBCHAT_CONVERSATIONS_PER_HOUR ?? 20,
      messagesPerMinute: config.WEBCHAT_MESSAGES_PER_MINUTE ?? 30,
      trustProxy: config.TRUST_PROXY ?? false,
      mustAnswer: runtime.mustAnswer,
      ...(runtime.webchatFeed && { shared: runtime.webchatFeed }),
      limiters: runtime.limiters,
    })
  )
  app.route(
    '/chat',
    webChatRoutes({
      translate: runtime.translate,
      defaultLanguage: config.DEFAULT_LANGUAGE ?? 'nb',
      tokenMinutes: config.WEBCHAT_TOKEN_MINUTES ?? 30,
      directLinePath: '/directline',
      phoneBook: runtime.knowledge.phoneBook,
    })
  )

  // Only with credentials: without them CloudAdapter would accept unsigned requests.
  if (runtime.botFramework) {
    app.route('/api', botFrameworkRoutes({ handle: runtime.handleBotFramework }))
  }

  app.route(
    '/console',
    consoleRoutes({
      store: deps.store,
      desk: runtime.handoffs,
      translate: runtime.translate,
      clock: runtime.clock,
      secureCookies: config.PUBLIC_URL.startsWith('https://'),
      trustProxy: config.TRUST_PROXY ?? false,
      logger,
      reminders: runtime.reminders,
      knowledge: runtime.knowledge,
      content: {
        ...runtime.localContent,
        current: () => runtime.knowledge,
        detectLanguage: (text) => runtime.matcher.detectLanguage(text),
      },
      insight: { log: runtime.insight, retentionDays: runtime.retentionDays },
      ...(runtime.cluster.shared && {
        limiters: runtime.limiters,
        refresh: runtime.cluster.refresh,
      }),
    })
  )

  if (config.DEV_PHONE) {
    let counter = 0
    app.route(
      '/dev/phone',
      devPhoneRoutes({
        handle: runtime.handleSms,
        outbox: (to) => recentMessages(deps.store, 'sms', to),
        newSid: () =>
          `SM${Date.now().toString(16).padStart(16, '0')}${(++counter).toString(16).padStart(16, '0')}`,
      })
    )
  }

  app.get('/', (c) => c.redirect(config.DEV_PHONE ? '/dev/phone' : '/health'))

  app.notFound((c) => c.text('Not found', 404))
  app.onError((error, c) => {
    if (error instanceof HTTPException) return error.getResponse()
    if (error instanceof HashingBusy) {
      // Too many logins at once: their hashes wait in a short queue, and this one did not fit.
      const t = runtime.translate.console(config.DEFAULT_LANGUAGE ?? 'nb')
      return c.text(t('login.busy'), 503, { 'retry-after': '5' })
    }
    logger.error('http.error', { method: c.req.method, path: c.req.path, error })
    return c.text('Internal error. It has been logged.', 500)
  })
  const streams = directLineStreams(
    runtime.webchat.conversations,
    '/directline',
    runtime.webchatFeed?.refresh
  )
  return Object.assign(app, { upgrade: streams.upgrade, closeStreams: streams.close })
}
