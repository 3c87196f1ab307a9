/**
 * @module bot/app
 * The HTTP surface: one Hono app, each area mounted as its own sub-app. No server here, so
 * tests call `app.request()` directly.
 */
import { Hono } from 'hono'
import { HTTPException } from 'hono/http-exception'
import { devPhoneRoutes } from './channels/dev-phone.js'
import { smsRoutes } from './channels/twilio-sms.js'
import type { Config } from './config.js'
import type { Logger } from './logger.js'
import type { Runtime } from './runtime.js'
import { recentMessages } from './store/outbox.js'
import type { Store } from './store/store.js'

export type AppDeps = {
  config: Pick<Config, 'PUBLIC_URL' | 'DEV_PHONE' | 'TWILIO_AUTH_TOKEN' | 'NODE_ENV'>
  runtime: Runtime
  store: Store
  logger: Logger
}

export function createApp(deps: AppDeps): Hono {
  const { config, runtime, logger } = deps
  const app = new Hono()

  app.use('*', async (c, next) => {
    const started = performance.now()
    await next()
    logger.info('http', {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round((performance.now() - started) * 10) / 10,
    })
  })

  app.get('/health', (c) =>
    c.json({ status: 'ok', participants: Object.keys(deps.store.data.participants).length })
  )

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
    logger.error('http.error', { method: c.req.method, path: c.req.path, error })
    return c.text('Internal error. It has been logged.', 500)
  })
  return app
}
