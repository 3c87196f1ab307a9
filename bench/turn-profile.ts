/**
 * Drives the app's SMS webhook in-process with `app.request()`, the bench's requests (signed,
 * "meny" then "2" from 1,000 numbers, each with a fresh MessageSid), so a turn's CPU can be
 * profiled without HTTP or autocannon:
 *   node --cpu-prof --import tsx bench/turn-profile.ts [turns] [participants] [memory|durable]
 * Prints the wall time per turn of the measured part (after a warm-up).
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadKnowledge } from '../content/load.js'
import { createApp } from '../bot/app.js'
import { localTransport } from '../bot/channels/sms-transport.js'
import { loadConfig } from '../bot/config.js'
import { createLogger } from '../bot/logger.js'
import { createRuntime, randomId } from '../bot/runtime.js'
import { memoryStore, openStore } from '../bot/store/store.js'
import { TranscriptLog } from '../bot/store/transcripts.js'
import { AUTH_TOKEN, PUBLIC_URL, signedRequests, freshRequest } from './load.js'
import { prefill } from './prefill.js'

const turns = Number(process.argv[2] ?? 4000)
const participants = Number(process.argv[3] ?? 100)
/** `memory`: the in-memory store, so only the turn's own work is measured, without the flush. */
const memory = process.argv[4] === 'memory'
const dir = await mkdtemp(join(tmpdir(), 'reentry-turn-profile-'))
try {
  await prefill(dir, participants, 1_000)
  process.env.DATA_DIR = dir
  process.env.PUBLIC_URL = PUBLIC_URL
  process.env.TWILIO_AUTH_TOKEN = AUTH_TOKEN
  process.env.NODE_ENV = 'development'
  const config = loadConfig()
  const logger = createLogger(config.LOG_LEVEL, () => {})
  const store = memory ? memoryStore() : await openStore(dir)
  const transcripts = await TranscriptLog.open(dir)
  const runtime = createRuntime({
    config,
    store,
    transcripts,
    knowledge: loadKnowledge(config.LOCAL_CONTENT),
    smsTransport: localTransport(() => randomId('local')),
    logger,
  })
  const app = createApp({ config, runtime, store, logger })
  // Signed before the clock starts: signing is the client's cost, not the server's.
  const base = signedRequests(1000)
  const requests = Array.from({ length: 1000 + turns }, (_, i) => freshRequest(base[i % base.length]!))
  const send = async (i: number) => {
    const r = requests[i]!
    const response = await app.request(`${PUBLIC_URL}/sms/twilio`, {
      method: 'POST',
      body: r.body,
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': r.signature },
    })
    if (response.status !== 200) throw new Error(`status ${response.status}`)
    await response.text()
  }
  // Eight at a time, as a few connections would send them.
  const run = async (from: number, count: number) => {
    let next = from
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < from + count) await send(next++)
      })
    )
  }
  await run(0, 1000)
  // The measured part's bounds on the profiler's clock (µs), for tools that cut a --cpu-prof file.
  const mark = () => String(process.hrtime.bigint() / 1000n)
  process.env.TURN_PROFILE_FROM = mark()
  const started = performance.now()
  const cpu = process.cpuUsage()
  await run(1000, turns)
  const used = process.cpuUsage(cpu)
  const wall = performance.now() - started
  process.stderr.write(`measured ${process.env.TURN_PROFILE_FROM} ${mark()}\n`)
  process.stdout.write(
    `${turns} turns: ${((wall * 1000) / turns).toFixed(0)} µs wall, ${((used.user + used.system) / turns).toFixed(0)} µs CPU per turn\n`
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}
