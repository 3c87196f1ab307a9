/**
 * @module bot/main
 * The composition root: settings → store → content → bot → HTTP. The only place with timers
 * and process signals.
 */
import { join } from 'node:path'
import { serve } from '@hono/node-server'
import { loadKnowledge } from '../content/load.js'
import { createApp } from './app.js'
import { localTransport, twilioTransport } from './channels/sms-transport.js'
import { ConfigError, loadConfig, type Config } from './config.js'
import { createLogger } from './logger.js'
import { createRuntime, randomId } from './runtime.js'
import { pruneExpired } from './scheduler/retention.js'
import { startInstances } from './cluster/start.js'
import { openStorage } from './store/open.js'

async function main(config: Config): Promise<void> {
  const logger = createLogger(config.LOG_LEVEL)
  // The files in DATA_DIR (locked to this process), or PostgreSQL with DATABASE_URL.
  const { store, transcripts, audit, insight, kind } = await openStorage(config, logger)
  const knowledge = loadKnowledge(config.LOCAL_CONTENT)
  const smsTransport = config.twilio
    ? twilioTransport(config.twilio, `${config.PUBLIC_URL}/sms/twilio/status`)
    : localTransport(() => randomId('local'))
  // Several instances on one database agree through it; without DATABASE_URL this process is alone.
  const instances = await startInstances(config.DATABASE_URL, store, logger, {
    dataDir: config.DATA_DIR,
  })
  const { cluster } = instances
  const runtime = createRuntime({
    config,
    store,
    transcripts,
    audit,
    insight,
    knowledge,
    smsTransport,
    logger,
    cluster,
    webchatFeed: instances.webchatFeed,
    limiters: instances.limiters,
  })
  await instances.ready(runtime.webchat.conversations)
  await runtime.handoffs.audit.repair()
  // Before serving: SMS that were being sent when the process stopped go back in the queue (with
  // several instances, the leader does this at each tick for instances that stopped).
  if (!cluster.shared) await runtime.reminders.recover()
  const app = createApp({ config, runtime, store, logger })

  // Requests being answered now: a stop waits for them (a text taken is a text answered).
  const inFlight = new Set<Promise<unknown>>()
  const fetch: typeof app.fetch = (request, ...rest) => {
    const answer = Promise.resolve(app.fetch(request, ...rest))
    const settled = answer.catch(() => {}).finally(() => inFlight.delete(settled))
    inFlight.add(settled)
    return answer
  }
  const server = serve({ fetch, port: config.PORT, hostname: config.HOST }, () => {
    const base = `http://localhost:${config.PORT}`
    const lines = [
      `Reentry assistant is running (${knowledge.topics.size} topics, data in ${kind === 'postgresql' ? 'PostgreSQL (DATABASE_URL)' : config.DATA_DIR})`,
      `  Health:        ${base}/health`,
      `  Web chat:      ${config.PUBLIC_URL}/chat`,
      config.DEV_PHONE ? `  Dev phone:     ${base}/dev/phone` : '',
      `  Twilio SMS:    ${config.PUBLIC_URL}/sms/twilio ${config.TWILIO_AUTH_TOKEN ? '' : '(set TWILIO_AUTH_TOKEN to enable)'}`,
      `  Outbound SMS:  ${config.twilio ? 'Twilio' : 'local outbox (no Twilio account set)'}`,
      `  Console:       ${config.PUBLIC_URL}/console (staff: npm run staff -- add <name> --role admin)`,
      `  Bot Service:   ${config.botFramework ? `${config.PUBLIC_URL}/api/messages` : 'off (set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD)'}`,
    ]
    process.stdout.write(lines.filter(Boolean).join('\n') + '\n')
  })
  // Web chat's WebSocket streams; any other upgrade is refused.
  server.on('upgrade', (request, socket, head) => {
    if (!app.upgrade(request, socket, head)) socket.destroy()
  })

  // Retention: once at start, then every six hours (with several instances, on the leader only).
  const prune = () =>
    cluster.isLeader() &&
    pruneExpired(
      {
        store,
        transcripts,
        auditDir: join(config.DATA_DIR, 'audit'),
        audit,
        settings: config,
        insight: runtime.insight,
      },
      new Date()
    )
      .then(async (pruned) => {
        logger.info('retention.pruned', pruned)
        if (instances.webchatFeed) await instances.prune()
      })
      .catch((error: unknown) => logger.error('retention.failed', { error }))
  void prune()
  setInterval(prune, 6 * 3_600_000).unref()

  // Reminders and campaigns: queue what is due, then send the outbox (a long send is not overlapped).
  // With several instances only the leader ticks; first it takes in what the others wrote and
  // requeues what an instance that stopped was sending.
  const remind = async () => {
    if (!cluster.isLeader()) return
    try {
      if (cluster.shared) {
        await cluster.refresh()
        await runtime.reminders.recover(cluster.orphaned)
      }
      await runtime.reminders.tick(new Date())
    } catch (error) {
      logger.error('reminders.tick_failed', { error })
    }
  }
  setInterval(remind, config.SCHEDULER_INTERVAL_SECONDS * 1000).unref()
  // Taking over from a leader that stopped: its campaign goes on at once.
  if (cluster.shared) instances.onLeader(() => void remind())

  // Human handoff: on-call and coordinator alerts, releases, expiry, live waiting times.
  const handoffTick = () =>
    cluster.isLeader() &&
    runtime.handoffs
      .tick(new Date())
      .catch((error: unknown) => logger.error('handoff.tick_failed', { error }))
  setInterval(handoffTick, 30_000).unref()

  const shutdown = async (signal: string) => {
    logger.info('shutdown', { signal })
    // No new connections (a load balancer sends them to another instance); the requests taken
    // are answered first, for at most 15 seconds, before the store closes under them.
    server.close()
    app.closeStreams()
    let waited = false
    const late = new Promise<void>((resolve) =>
      setTimeout(() => resolve(void (waited = true)), 15_000).unref()
    )
    while (inFlight.size > 0 && !waited) await Promise.race([Promise.all(inFlight), late])
    if ('closeAllConnections' in server) server.closeAllConnections()
    await Promise.all([runtime.flush(), runtime.insight.flush()])
    await instances.close()
    await store.close().catch((error: unknown) => logger.error('store.close_failed', { error }))
    process.exit(0)
  }
  process.on('SIGINT', () => void shutdown('SIGINT'))
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
}

try {
  await main(loadConfig())
} catch (error) {
  const message = error instanceof Error ? error.message : String(error)
  process.stderr.write(`${error instanceof ConfigError ? '' : 'Start-up failed: '}${message}\n`)
  process.exit(1)
}
