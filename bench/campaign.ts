/** Part 3: reminders dispatched from the outbox to a fake Twilio over HTTP on loopback. */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createInterface } from 'node:readline'
import twilio from 'twilio'
import { twilioTransport } from '../bot/channels/sms-transport.js'
import { createLogger } from '../bot/logger.js'
import { Dispatcher } from '../bot/scheduler/dispatcher.js'
import { enqueueMessage } from '../bot/store/outbox.js'
import { openStore, type Store } from '../bot/store/store.js'
import { tsxArgs } from './processes.js'

export type CampaignResult = { messages: number; seconds: number; perSecond: number; received: number }

/**
 * Enqueues `count` reminders in a fresh store in `dir` (or the one `open` gives: PostgreSQL) and
 * times the dispatcher sending them all.
 */
export async function runCampaign(
  dir: string,
  count: number,
  ratePerSecond: number,
  open: () => Promise<Store> = () => openStore(dir)
): Promise<CampaignResult> {
  const fake = spawn(process.execPath, tsxArgs('bench/fake-twilio.ts'), { stdio: ['ignore', 'pipe', 'inherit'] })
  const [baseUrl] = (await once(createInterface({ input: fake.stdout! }), 'line')) as [string]
  try {
    const real = new twilio.RequestClient({ keepAlive: true, maxSockets: 64 })
    const httpClient = Object.create(real) as typeof real
    httpClient.request = (o) => real.request({ ...o, uri: o.uri.replace(/^https:\/\/api\.twilio\.com/, baseUrl) })
    const transport = twilioTransport({ accountSid: 'AC' + '3'.repeat(32), authToken: 'bench'.repeat(8), from: '+4759440000' }, 'https://bench.example.org/sms/twilio/status', httpClient)
    const store = await open()
    const created = new Date()
    for (let i = 0; i < count; i++) {
      enqueueMessage(store, { id: `m_${i}`, channel: 'sms', to: `+4790${String(i).padStart(6, '0')}`, body: `Husk timen hos NAV i morgen kl. 10. (${i})` }, created)
    }
    await store.flush()
    const dispatcher = new Dispatcher({ store, transport, clock: () => new Date(), logger: createLogger('error'), ratePerSecond, concurrency: Number(process.env.BENCH_CONCURRENCY ?? 64), maxAttempts: 5 })
    const started = performance.now()
    const result = await dispatcher.tick()
    const seconds = (performance.now() - started) / 1000
    const stats = (await (await fetch(`${baseUrl}/_stats`)).json()) as { sent: number; unique: number }
    if (result.sent !== count || stats.unique !== count) {
      throw new Error(`campaign sent ${result.sent}, fake received ${stats.sent} (${stats.unique} unique) of ${count}`)
    }
    return { messages: count, seconds, perSecond: count / seconds, received: stats.unique }
  } finally {
    fake.kill('SIGTERM')
  }
}
