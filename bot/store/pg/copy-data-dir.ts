/**
 * @module bot/store/pg/copy-data-dir
 * `npm run store:migrate -- --to "$DATABASE_URL"`: copies a DATA_DIR (the store, transcripts,
 * audit log, insight counts and their pseudonym key) into PostgreSQL, then counts both sides.
 * A target that already holds data is refused unless `replace` says to empty it first.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type pg from 'pg'
import { lockDataDir } from '../instance-lock.js'
import { parseLines } from '../jsonl-file.js'
import { collectionNames, openStore, recordJson } from '../store.js'
import { migrate } from './migrate.js'
import { createPool, openPgStore } from './pg-store.js'
import { tables } from './tables.js'

/** The tables that hold data (not the migrations' own). */
const logTables = ['transcripts', 'audit', 'insight_events', 'insight_texts'] as const
const dataTables = () => [...collectionNames().map((n) => tables[n].table), ...logTables]

export class TargetNotEmptyError extends Error {}
/** Instances are running on the target database: copying under them would lose what they hold. */
export class InstancesRunningError extends Error {}
/** The folder holds no store (a mistyped --from, or run from the wrong directory). */
export class NoStoreError extends Error {}

export type CopyCounts = Record<string, { files: number; database: number }>

/** The lines of every file matching `pattern` in `dir`, oldest file first. */
async function linesOf<T>(dir: string, pattern: RegExp): Promise<T[]> {
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((f) => pattern.test(f))
    .sort()
  const all: T[] = []
  for (const file of files) all.push(...parseLines<T>(await readFile(join(dir, file), 'utf8')))
  return all
}

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/
const MONTH_FILE = /^\d{4}-\d{2}\.jsonl$/

/** Inserts rows in batches of `size`, each `insert` call given one batch. */
async function inBatches<T>(rows: T[], insert: (batch: T[]) => Promise<unknown>, size = 5000) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size))
}

export async function copyDataDir(
  dataDir: string,
  url: string,
  options: { replace?: boolean; log?: (line: string) => void } = {}
): Promise<CopyCounts> {
  const log = options.log ?? (() => {})
  // A mistyped folder must not become an empty store copied as if it were the installation.
  const found = await readdir(join(dataDir, 'store')).catch(() => [] as string[])
  if (found.length === 0) {
    throw new NoStoreError(
      `${dataDir} holds no store (no ${join(dataDir, 'store')} with files); nothing was copied. Give the DATA_DIR the server used with --from.`
    )
  }
  // No server may change the files while they are copied.
  const unlock = await lockDataDir(dataDir)
  const pool = createPool(url, 4)
  try {
    // Each running instance holds a connection named reentry:<instance> (cluster presence).
    const running = await pool.query<{ n: number }>(
      `SELECT count(DISTINCT application_name)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND application_name LIKE 'reentry:%'`
    )
    const instances = running.rows[0]?.n ?? 0
    if (instances > 0) {
      throw new InstancesRunningError(
        `${instances} instance(s) of the service are running on this database; nothing was copied. Stop every instance first.`
      )
    }
    await migrate(pool)
    const held = await countRows(pool)
    const nonEmpty = Object.entries(held).filter(([, n]) => n > 0)
    if (nonEmpty.length && !options.replace) {
      throw new TargetNotEmptyError(
        `The database already holds data (${nonEmpty.map(([t, n]) => `${t}: ${n}`).join(', ')}); nothing was copied. Use --replace to empty it first.`
      )
    }
    if (nonEmpty.length) {
      await pool.query(`TRUNCATE ${[...dataTables(), 'store_changes', 'insight_key'].join(', ')}`)
      log('emptied the database first (--replace)')
    }
    const files = await openStore(dataDir)
    const target = await openPgStore(url, { listen: false, pool })
    const counts: CopyCounts = {}
    for (const name of collectionNames()) {
      const records = Object.entries(files.data[name] as Record<string, unknown>)
      for (const [key, value] of records) target.put(name, key, value as never)
      counts[tables[name].table] = { files: records.length, database: 0 }
    }
    await target.flush()
    log('copied the store')

    const transcripts = await linesOf<{ at: string; participantId: string; direction: string }>(
      join(dataDir, 'transcripts'),
      DAY_FILE
    )
    await inBatches(transcripts, (batch) =>
      pool.query(
        `INSERT INTO transcripts (participant_id, at, direction, entry)
         SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::jsonb[])`,
        [
          batch.map((e) => e.participantId),
          batch.map((e) => e.at),
          batch.map((e) => e.direction),
          batch.map(recordJson),
        ]
      )
    )
    counts.transcripts = { files: transcripts.length, database: 0 }
    log(`copied ${transcripts.length} transcript lines`)

    type Audit = {
      at: string
      actor: string
      action: string
      participantId?: string
      handoffId?: string
      staffId?: string
    }
    const audit = await linesOf<Audit>(join(dataDir, 'audit'), MONTH_FILE)
    await inBatches(audit, (batch) =>
      pool.query(
        `INSERT INTO audit (at, actor, action, participant_id, handoff_id, staff_id, entry)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`,
        [
          batch.map((e) => e.at),
          batch.map((e) => e.actor),
          batch.map((e) => e.action),
          batch.map((e) => e.participantId ?? null),
          batch.map((e) => e.handoffId ?? null),
          batch.map((e) => e.staffId ?? null),
          batch.map(recordJson),
        ]
      )
    )
    counts.audit = { files: audit.length, database: 0 }
    log(`copied ${audit.length} audit entries`)

    const events = await linesOf<{ at: string; k: string }>(
      join(dataDir, 'insight', 'events'),
      DAY_FILE
    )
    await inBatches(events, (batch) =>
      pool.query(
        `INSERT INTO insight_events (at, kind, entry) SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::jsonb[])`,
        [batch.map((e) => e.at), batch.map((e) => e.k), batch.map(recordJson)]
      )
    )
    const texts = await linesOf<{ at: string }>(join(dataDir, 'insight', 'texts'), DAY_FILE)
    await inBatches(texts, (batch) =>
      pool.query(
        `INSERT INTO insight_texts (at, entry) SELECT * FROM unnest($1::timestamptz[], $2::jsonb[])`,
        [batch.map((e) => e.at), batch.map(recordJson)]
      )
    )
    counts.insight_events = { files: events.length, database: 0 }
    counts.insight_texts = { files: texts.length, database: 0 }
    // The same key, so a participant's pseudonym stays the same and weekly counts add up.
    const key = await readFile(join(dataDir, 'insight', 'key')).catch(() => null)
    if (key && key.length >= 32)
      await pool.query(
        'INSERT INTO insight_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET key = excluded.key',
        [key]
      )
    log(`copied ${events.length} insight events and ${texts.length} texts`)

    const copied = await countRows(pool)
    for (const [table, entry] of Object.entries(counts)) entry.database = copied[table] ?? 0
    await target.close()
    return counts
  } finally {
    await pool.end().catch(() => {})
    unlock()
  }
}

async function countRows(pool: pg.Pool): Promise<Record<string, number>> {
  const counts: Record<string, number> = {}
  for (const table of dataTables()) {
    const { rows } = await pool.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${table}`)
    counts[table] = Number(rows[0]!.n)
  }
  return counts
}
