/**
 * CPU profiles of the real server on PostgreSQL under the bench's load:
 *   npx tsx bench/pg-profile.ts [instances] [seconds] [rate] [dir]
 * Starts `instances` servers (dist/main.js, built first) on one fresh database with --cpu-prof,
 * warms up, sends `rate` requests/s (0: saturation, 50 connections) split between them, stops
 * them (profiles are written on exit) and prints the CPU per request. Read a profile with
 * bench/profile-top.ts.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import pg from 'pg'
import { buildServer } from '../bot/build.js'
import { AUTH_TOKEN, PUBLIC_URL, fire, signedRequests } from './load.js'
import { benchDatabase } from './postgres.js'
import { prefillPostgres } from './prefill.js'
import { cpuMs, startMain, type Server } from './processes.js'

const instances = Number(process.argv[2] ?? 1)
const seconds = Number(process.argv[3] ?? 10)
const rate = Number(process.argv[4] ?? 200)
/** `-`: no profile, only the figures. */
const profile = process.argv[5] !== '-'
const profiles = resolve(process.argv[5] ?? 'profiles')
await buildServer()
const db = await benchDatabase()
const work = await mkdtemp(join(tmpdir(), 'reentry-pg-profile-'))
const servers: Server[] = []
try {
  await prefillPostgres(db.url, 100, 1_000)
  const port = 4_700 + Math.floor(Math.random() * 200)
  for (let i = 0; i < instances; i++)
    servers.push(
      await startMain(
        port + i,
        {
          DATA_DIR: join(work, `instance-${i}`),
          DATABASE_URL: db.url,
          PUBLIC_URL,
          TWILIO_AUTH_TOKEN: AUTH_TOKEN,
          NODE_ENV: 'development',
          HOST: '127.0.0.1',
          LOG_LEVEL: 'warn',
        },
        profile ? ['--cpu-prof', `--cpu-prof-dir=${profiles}`] : []
      )
    )
  const requests = signedRequests(1000)
  // BENCH_FOLLOW=1: all the load on the first instance, the others only follow its changes.
  const loaded = process.env.BENCH_FOLLOW ? servers.slice(0, 1) : servers
  const load = (connections: number, s: number, r?: number) =>
    Promise.all(
      loaded.map((server, i) =>
        fire(server.url, requests.slice(i * (requests.length / loaded.length)), {
          connections: Math.max(1, Math.round(connections / loaded.length)),
          seconds: s,
          ...(r && { rate: r / loaded.length }),
        })
      )
    )
  await load(10, 2)
  // The database's own CPU for this database: the backends serving it (the same two cores).
  const admin = new pg.Client({ connectionString: db.url })
  await admin.connect()
  const backends = async () =>
    (
      await admin.query<{ pid: number }>(
        'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()'
      )
    ).rows.map((r) => r.pid)
  const pgCpu = (pids: number[]) =>
    pids.reduce((sum, pid) => {
      try {
        return sum + cpuMs(pid)
      } catch {
        return sum // gone meanwhile
      }
    }, 0)
  const pids = await backends()
  const pgBefore = pgCpu(pids)
  const before = servers.map((s) => s.cpuMs())
  const parts = await load(rate ? 4 : 50, seconds, rate || undefined)
  const requestsDone = parts.reduce((sum, p) => sum + p.requests, 0)
  const cpu = servers.map((s, i) => s.cpuMs() - before[i]!)
  const pgUsed = pgCpu(pids) - pgBefore
  await admin.end()
  process.stdout.write(
    `${instances} instance(s): ${parts.map((p) => `${p.rps.toFixed(0)} req/s p50 ${p.p50} p99 ${p.p99}`).join('; ')}; ` +
      `CPU µs per request ${cpu.map((c) => ((c * 1000) / requestsDone).toFixed(0)).join(' + ')}, ` +
      `PostgreSQL ${((pgUsed * 1000) / requestsDone).toFixed(0)}\n`
  )
} finally {
  for (const s of servers) await s.stop()
  await db.drop()
  await rm(work, { recursive: true, force: true })
}
