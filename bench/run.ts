/**
 * `npm run bench`: everything in one run on this machine, loopback only, then a markdown table
 * with the targets and PASS/FAIL, printed and written to bench/results/latest.md.
 *   1. Ceilings and the real path: bare Hono, the app on an in-memory store, the app on its
 *      durable store; saturation and p50/p99 at a fixed 200 requests/s; signed SMS from 1,000 numbers.
 *   2. Growth: the same turn with 100 participants vs 10,000 participants and 1,000,000 stored
 *      transcript messages.
 *   3. Campaign: 10,000 reminders to a fake Twilio over HTTP, unthrottled and throttled.
 *   4. Start-up and memory at the large size.
 *   5. PostgreSQL (DATABASE_URL, bench/postgres.ts): one and two instances of the real server on
 *      one database, and the dispatcher on the PostgreSQL store.
 * Every server runs from the production build (dist/), as `npm start` runs it.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { runCampaign } from './campaign.js'
import { AUTH_TOKEN, PUBLIC_URL, fire, signedRequests, type LoadResult } from './load.js'
import { prefill } from './prefill.js'
import { buildServer, serverNodeFlags } from '../bot/build.js'
import { measurePostgres, runPgCampaign, type PgLoad } from './postgres.js'
import { startMain, startServer, type Server } from './processes.js'

const quick = process.argv.includes('--quick')
const seconds = quick ? 3 : 10
const fixedRate = 200
const requests = signedRequests(1000)
const work = await mkdtemp(join(tmpdir(), 'reentry-bench-'))
const env = (dataDir: string) => ({
  DATA_DIR: dataDir,
  PUBLIC_URL,
  TWILIO_AUTH_TOKEN: AUTH_TOKEN,
  NODE_ENV: 'development',
})
let port = 3_400 + Math.floor(Math.random() * 500)

type Measured = { saturation: LoadResult; fixed: LoadResult; cpuPerTurnMs: number; server: Server }

/** Warm up, then saturate, then hold a fixed 200 requests/s while reading the server's CPU time. */
async function measure(mode: string, dataDir: string): Promise<Measured> {
  const server = await startServer(mode, ++port, env(dataDir))
  await fire(server.url, requests, { connections: 10, seconds: 2 })
  const saturation = await fire(server.url, requests, { connections: 50, seconds })
  const cpuBefore = server.cpuMs()
  const fixed = await fire(server.url, requests, { connections: 4, seconds, rate: fixedRate })
  const cpuPerTurnMs = (server.cpuMs() - cpuBefore) / fixed.requests
  return { saturation, fixed, cpuPerTurnMs, server }
}

const log = (line: string) => process.stderr.write(`bench: ${line}\n`)
/** Start-up of the real server (dist/main.js): the median of three starts, since one start on a shared machine can be an outlier. */
async function startupTimes(dataDir: string): Promise<number[]> {
  const times: number[] = []
  for (let i = 0; i < 3; i++) {
    const server = await startMain(++port, { ...env(dataDir), HOST: '127.0.0.1' })
    times.push(server.startupMs)
    await server.stop()
  }
  return times.sort((a, b) => a - b)
}

try {
  log('building the server (dist/)')
  await buildServer({ bench: true })
  log('preparing data (100 participants; 10,000 participants with 1,000,000 transcript messages)')
  const small = join(work, 'small')
  const large = join(work, 'large')
  await prefill(small, 100, 1_000)
  await prefill(large, 10_000, 1_000_000)

  log('part 1: ceilings and the real path')
  const bare = await measure('bare', join(work, 'bare'))
  await bare.server.stop()
  const memory = await measure('memory', join(work, 'memory'))
  await memory.server.stop()
  const durable = await measure('durable', small)
  await durable.server.stop()

  log('part 2 and 4: growth, start-up and memory at the large size')
  const big = await measure('durable', large)
  const rss = big.server.rssMb()
  const heap = (await (
    await fetch(`${big.server.url}/bench/loop-delay?gc`, { method: 'POST' })
  ).json()) as {
    heapUsedMb: number
    heapTotalMb: number
  }
  await big.server.stop()
  const startups = await startupTimes(large)
  const startup = startups[1]!

  log('part 3: campaign')
  const unthrottled = await runCampaign(join(work, 'campaign-1'), 10_000, 0)
  const throttleRate = 100
  const throttled = await runCampaign(join(work, 'campaign-2'), quick ? 500 : 2_000, throttleRate)

  log('part 5: PostgreSQL, one and two instances, and the dispatcher')
  const pgOne = await measurePostgres(1, { seconds, rate: fixedRate, port: (port += 10) })
  const pgTwo = await measurePostgres(2, { seconds, rate: fixedRate, port: (port += 10) })
  const pgLarge = await measurePostgres(1, {
    seconds,
    rate: fixedRate,
    port: (port += 10),
    size: { participants: 10_000, messages: 1_000_000 },
  })
  const pgDispatch = await runPgCampaign(quick ? 2_000 : 10_000)
  const scaling = pgTwo.saturation.rps / pgOne.saturation.rps
  const pgGrowth = pgLarge.cpuPerTurnMs / pgOne.cpuPerTurnMs

  const ratio = durable.saturation.rps / memory.saturation.rps
  const growth = big.cpuPerTurnMs / durable.cpuPerTurnMs
  const throttleError = Math.abs(throttled.perSecond - throttleRate) / throttleRate
  const rows: [string, string, string, boolean][] = [
    ['durable / in-memory throughput', pct(ratio), '≥ 50%', ratio >= 0.5],
    [
      'durable p99 at 200 req/s (100 participants)',
      ms(durable.fixed.p99),
      '≤ 50 ms',
      durable.fixed.p99 <= 50,
    ],
    ['per-turn CPU, large / small', `${growth.toFixed(2)}×`, '≤ 1.5×', growth <= 1.5],
    [
      'durable p99 at 200 req/s (10,000 participants, 1M messages)',
      ms(big.fixed.p99),
      '≤ 50 ms',
      big.fixed.p99 <= 50,
    ],
    [
      'unthrottled dispatch',
      `${unthrottled.perSecond.toFixed(0)} msg/s`,
      '≥ 1,000 msg/s',
      unthrottled.perSecond >= 1000,
    ],
    [
      `throttled dispatch (setting ${throttleRate}/s)`,
      `${throttled.perSecond.toFixed(1)} msg/s (${pct(throttleError)} off)`,
      'within 5%',
      throttleError <= 0.05,
    ],
    ['start-up to /health, large', ms(startup), '≤ 2 s', startup <= 2000],
    ['RSS after the runs, large', `${rss.toFixed(0)} MB`, '≤ 400 MB', rss <= 400],
    ['PostgreSQL: two instances / one (throughput)', `${scaling.toFixed(2)}×`, '≥ 1.5×', scaling >= 1.5],
    [
      'PostgreSQL p99 at 200 req/s, one instance',
      ms(pgOne.fixed.p99),
      '≤ 50 ms',
      pgOne.fixed.p99 <= 50,
    ],
    ['PostgreSQL per-turn CPU, large / small', `${pgGrowth.toFixed(2)}×`, '≤ 1.5×', pgGrowth <= 1.5],
    [
      'PostgreSQL p99 at 200 req/s, 10,000 participants + 1M messages',
      ms(pgLarge.fixed.p99),
      '≤ 50 ms',
      pgLarge.fixed.p99 <= 50,
    ],
    [
      'PostgreSQL p99 at 200 req/s, two instances',
      ms(pgTwo.fixed.p99),
      '≤ 50 ms',
      pgTwo.fixed.p99 <= 50,
    ],
  ]
  const loadRow = (name: string, m: Measured | PgLoad) =>
    `| ${name} | ${m.saturation.rps.toFixed(0)} | ${m.saturation.p50} / ${m.saturation.p99} | ${m.fixed.rps.toFixed(0)} | ${m.fixed.p50} / ${m.fixed.p99} | ${(m.cpuPerTurnMs * 1000).toFixed(0)} | ${m.saturation.errors + m.fixed.errors} |`
  const table = [
    `# Benchmark (${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC${quick ? ', quick' : ''})`,
    '',
    `Node ${process.version}, ${(await import('node:os')).cpus().length} cores, loopback only, autocannon in the same machine. Signed Twilio webhooks from 1,000 numbers ("meny", then "2"). Saturation: 50 connections, ${seconds} s. Fixed load: ${fixedRate} requests/s over 4 connections (autocannon paces each connection, so more connections means synchronised bursts rather than more realistic arrivals), ${seconds} s. Campaign: the dispatcher with 64 sends in flight (the highest SMS_DISPATCH_CONCURRENCY allows).`,
    '',
    '## 1. Ceilings and the real path, 2. growth',
    '',
    '| server | req/s at saturation | p50 / p99 ms | req/s at fixed load | p50 / p99 ms | server CPU µs per request | errors |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    loadRow('bare Hono, constant TwiML (HTTP ceiling)', bare),
    loadRow('app, in-memory store (bot ceiling)', memory),
    loadRow('app, durable store, 100 participants', durable),
    loadRow('app, durable store, 10,000 participants + 1M messages', big),
    loadRow('real server on PostgreSQL, one instance', pgOne),
    loadRow('real server on PostgreSQL, two instances (load split, p99 the worse)', pgTwo),
    loadRow('real server on PostgreSQL, 10,000 participants + 1M messages', pgLarge),
    '',
    '## 3. Campaign to a fake Twilio over HTTP',
    '',
    '| run | messages | seconds | messages/s | received once |',
    '| --- | --- | --- | --- | --- |',
    `| unthrottled | ${unthrottled.messages} | ${unthrottled.seconds.toFixed(2)} | ${unthrottled.perSecond.toFixed(0)} | ${unthrottled.received} |`,
    `| throttled to ${throttleRate}/s | ${throttled.messages} | ${throttled.seconds.toFixed(2)} | ${throttled.perSecond.toFixed(1)} | ${throttled.received} |`,
    `| unthrottled, PostgreSQL store | ${pgDispatch.messages} | ${pgDispatch.seconds.toFixed(2)} | ${pgDispatch.perSecond.toFixed(0)} | ${pgDispatch.received} |`,
    '',
    '## 4. Start-up and memory (large)',
    '',
    `Start-up of \`node dist/main.js\` to /health: ${ms(startup)}, the median of three starts (${startups.map(ms).join(', ')}). RSS after the runs: ${rss.toFixed(0)} MB; live heap after a full garbage collection: ${heap.heapUsedMb} MB of ${heap.heapTotalMb} MB reserved. Servers run with \`${serverNodeFlags.join(' ')}\`, as \`npm start\` runs them: without it V8 lets the heap grow to about four times the live data (RSS 406-423 MB in earlier runs).`,
    '',
    '## Targets',
    '',
    '| target | measured | goal | result |',
    '| --- | --- | --- | --- |',
    ...rows.map(
      ([name, value, goal, ok]) => `| ${name} | ${value} | ${goal} | ${ok ? 'PASS' : 'FAIL'} |`
    ),
    '',
  ].join('\n')
  process.stdout.write(table + '\n')
  await writeFile(join(import.meta.dirname, 'results', quick ? 'quick.md' : 'latest.md'), table)
  process.exitCode = rows.every((r) => r[3]) ? 0 : 1
} finally {
  await rm(work, { recursive: true, force: true })
}

function pct(x: number): string {
  return `${(x * 100).toFixed(0)}%`
}
function ms(x: number): string {
  return x >= 1000 ? `${(x / 1000).toFixed(2)} s` : `${Math.round(x)} ms`
}
