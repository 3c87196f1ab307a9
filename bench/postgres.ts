/**
 * Part 5 of `npm run bench`: the service on PostgreSQL (DATABASE_URL), each run on a database of
 * its own on BENCH_PG_SERVER (default the machine's, postgres://postgres@127.0.0.1:5432), dropped
 * after. The real server (dist/main.js) as `npm start` runs it: one instance, then two on one
 * database with the load split between them; and the outbox dispatcher on the PostgreSQL store.
 * Runs alone too: `npx tsx bench/postgres.ts [--quick]` (builds dist/ first).
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'
import { buildServer } from '../bot/build.js'
import { AUTH_TOKEN, PUBLIC_URL, fire, signedRequests, type LoadResult } from './load.js'
import { openPgStore } from '../bot/store/pg/pg-store.js'
import { runCampaign, type CampaignResult } from './campaign.js'
import { prefillPostgres } from './prefill.js'
import { startMain, type Server } from './processes.js'

const PG_SERVER = process.env.BENCH_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432'

/** A fresh database; returns its URL and the function that drops it. */
export async function benchDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `bench_${randomBytes(5).toString('hex')}`
  const admin = async (sql: string) => {
    const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` })
    await client.connect()
    await client.query(sql).finally(() => client.end())
  }
  await admin(`CREATE DATABASE ${name}`)
  return { url: `${PG_SERVER}/${name}`, drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) }
}

export type PgLoad = { saturation: LoadResult; fixed: LoadResult; cpuPerTurnMs: number }

/** Load split evenly over `servers`: the sum of their throughput, the worst of their p99s. */
async function split(
  servers: Server[],
  requests: ReturnType<typeof signedRequests>,
  options: { connections: number; seconds: number; rate?: number }
): Promise<LoadResult> {
  const parts = await Promise.all(
    servers.map((s, i) =>
      fire(s.url, requests.slice(i * (requests.length / servers.length)), {
        connections: Math.max(1, Math.round(options.connections / servers.length)),
        seconds: options.seconds,
        ...(options.rate && { rate: options.rate / servers.length }),
      })
    )
  )
  return {
    rps: parts.reduce((sum, p) => sum + p.rps, 0),
    p50: Math.max(...parts.map((p) => p.p50)),
    p99: Math.max(...parts.map((p) => p.p99)),
    requests: parts.reduce((sum, p) => sum + p.requests, 0),
    errors: parts.reduce((sum, p) => sum + p.errors, 0),
  }
}

/** `instances` real servers on one fresh database: warm up, saturate, then a fixed `rate`. */
export async function measurePostgres(
  instances: number,
  options: {
    seconds: number
    rate: number
    port: number
    /** Stored before the servers start (bench/prefill.ts); default 100 and 1,000. */
    size?: { participants: number; messages: number }
  }
): Promise<PgLoad> {
  const db = await benchDatabase()
  const work = await mkdtemp(join(tmpdir(), 'reentry-bench-pg-'))
  const servers: Server[] = []
  try {
    const size = options.size ?? { participants: 100, messages: 1_000 }
    await prefillPostgres(db.url, size.participants, size.messages)
    for (let i = 0; i < instances; i++) {
      servers.push(
        await startMain(options.port + i, {
          DATA_DIR: join(work, `instance-${i}`),
          DATABASE_URL: db.url,
          PUBLIC_URL,
          TWILIO_AUTH_TOKEN: AUTH_TOKEN,
          NODE_ENV: 'development',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
        })
      )
    }
    // 1,000 numbers, split between the instances, so each number's texts reach both of them.
    const requests = signedRequests(1000)
    await split(servers, requests, { connections: 10, seconds: 2 })
    const saturation = await split(servers, requests, { connections: 50, seconds: options.seconds })
    const cpuBefore = servers.reduce((sum, s) => sum + s.cpuMs(), 0)
    const fixed = await split(servers, requests, {
      connections: 4,
      seconds: options.seconds,
      rate: options.rate,
    })
    const cpuPerTurnMs =
      (servers.reduce((sum, s) => sum + s.cpuMs(), 0) - cpuBefore) / fixed.requests
    return { saturation, fixed, cpuPerTurnMs }
  } finally {
    for (const s of servers) await s.stop()
    await db.drop()
    await rm(work, { recursive: true, force: true })
  }
}

/** The outbox dispatcher on the PostgreSQL store: `count` reminders to a fake Twilio over HTTP. */
export async function runPgCampaign(count: number): Promise<CampaignResult> {
  const db = await benchDatabase()
  try {
    return await runCampaign('', count, 0, () => openPgStore(db.url, { listen: false }))
  } finally {
    await db.drop()
  }
}

if (process.argv[1] === import.meta.filename) {
  const quick = process.argv.includes('--quick')
  const seconds = quick ? 3 : 10
  await buildServer()
  const port = 4_100 + Math.floor(Math.random() * 500)
  const one = await measurePostgres(1, { seconds, rate: 200, port })
  const two = await measurePostgres(2, { seconds, rate: 200, port: port + 10 })
  const large = process.argv.includes('--large')
    ? await measurePostgres(1, {
        seconds,
        rate: 200,
        port: port + 20,
        size: { participants: 10_000, messages: 1_000_000 },
      })
    : undefined
  const dispatch = await runPgCampaign(quick ? 2_000 : 10_000)
  const row = (name: string, m: PgLoad) =>
    `| ${name} | ${m.saturation.rps.toFixed(0)} | ${m.saturation.p50} / ${m.saturation.p99} | ${m.fixed.rps.toFixed(0)} | ${m.fixed.p50} / ${m.fixed.p99} | ${(m.cpuPerTurnMs * 1000).toFixed(0)} | ${m.saturation.errors + m.fixed.errors} |`
  process.stdout.write(
    [
      '| server | req/s at saturation | p50 / p99 ms | req/s at fixed load | p50 / p99 ms | server CPU µs per request | errors |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      row('PostgreSQL, one instance', one),
      row('PostgreSQL, two instances', two),
      ...(large ? [row('PostgreSQL, one instance, 10,000 participants + 1M messages', large)] : []),
      `two / one: ${(two.saturation.rps / one.saturation.rps).toFixed(2)}×;${large ? ` per-turn CPU large / small ${(large.cpuPerTurnMs / one.cpuPerTurnMs).toFixed(2)}×;` : ''} dispatch ${dispatch.perSecond.toFixed(0)} msg/s (${dispatch.messages} in ${dispatch.seconds.toFixed(2)} s)`,
      '',
    ].join('\n')
  )
}
