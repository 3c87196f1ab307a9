/**
 * The app as the benchmark runs it, in its own process: `bare` is a Hono route returning
 * constant TwiML (the HTTP ceiling), `memory` the real app on an in-memory store (the bot's
 * ceiling), `durable` the real app on its store in DATA_DIR. Settings come from the environment,
 * as in production.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { serve } from '@hono/node-server'
import { Hono } from 'hono'
import { loadKnowledge } from '../content/load.js'
import { createApp } from '../bot/app.js'
import { localTransport } from '../bot/channels/sms-transport.js'
import { loadConfig } from '../bot/config.js'
import { createLogger } from '../bot/logger.js'
import { createRuntime, randomId } from '../bot/runtime.js'
import { memoryStore, openStore } from '../bot/store/store.js'
import { TranscriptLog } from '../bot/store/transcripts.js'

const mode = process.argv[2] as 'bare' | 'memory' | 'durable'
const config = loadConfig()

async function build(): Promise<Hono> {
  if (mode === 'bare') {
    const app = new Hono()
    const twiml = '<?xml version="1.0" encoding="UTF-8"?><Response><Message>Hei</Message></Response>'
    app.get('/health', (c) => c.json({ status: 'ok' }))
    app.post('/sms/twilio', (c) => c.body(twiml, 200, { 'content-type': 'text/xml' }))
    return app
  }
  const logger = createLogger(config.LOG_LEVEL)
  const store = mode === 'memory' ? memoryStore() : await openStore(config.DATA_DIR)
  const transcripts = await TranscriptLog.open(config.DATA_DIR)
  const runtime = createRuntime({
    config,
    store,
    transcripts,
    knowledge: loadKnowledge(config.LOCAL_CONTENT),
    smsTransport: localTransport(() => randomId('local')),
    logger,
  })
  return createApp({ config, runtime, store, logger })
}

const app = await build()
serve({ fetch: app.fetch, port: config.PORT, hostname: '127.0.0.1' })
// How long the event loop was blocked: the part of latency the server itself causes.
const loopDelay = monitorEventLoopDelay({ resolution: 5 })
loopDelay.enable()
app.post('/bench/loop-delay', (c) => {
  if (c.req.query('gc') !== undefined) (globalThis as { gc?: () => void }).gc?.()
  const memory = process.memoryUsage()
  const report = {
    p99: loopDelay.percentile(99) / 1e6,
    max: loopDelay.max / 1e6,
    heapUsedMb: Math.round(memory.heapUsed / 1e6),
    heapTotalMb: Math.round(memory.heapTotal / 1e6),
    externalMb: Math.round(memory.external / 1e6),
  }
  loopDelay.reset()
  return c.json(report)
})
process.on('SIGTERM', () => process.exit(0))
process.on('SIGINT', () => process.exit(0))
