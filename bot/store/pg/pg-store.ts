/**
 * @module bot/store/pg/pg-store
 * The store on PostgreSQL (DATABASE_URL). The database is the source of truth; `store.data` is
 * this instance's in-memory copy, loaded at open, so every reader stays synchronous. A flush
 * writes the changed records in one transaction, and in the same transaction lists them in
 * store_changes and notifies the other instances, which re-read those rows (catchUp). Writers
 * take one transaction-scoped advisory lock, so the order of store_changes is commit order.
 */
import { createHash } from 'node:crypto'
import pg from 'pg'
import type { Logger } from '../../logger.js'
import { StoreData } from '../schema.js'
import {
  collectionNames,
  Store,
  type CatchUpStatement,
  type CollectionName,
  type RemoteChange,
  type StoreBackend,
  type StoreChange,
} from '../store.js'
import { keepListening, type Listening } from './listen.js'
import { migrate } from './migrate.js'
import { tables } from './tables.js'

/** Held by every store write for its transaction: commits, and so seqs, in one order. */
const COMMIT_LOCK = 1731700001
const CHANNEL = 'store_changes'
/** store_changes' seqs, which are also the records' versions. */
const SEQ = 'store_changes_seq_seq'
/** Change rows older than this are pruned; an instance further behind reloads everything. */
const KEEP_CHANGES = '10 minutes'
const PRUNE_EVERY_MS = 60_000
/** Notices of other instances' commits within this long share one catch-up. */
const NOTICE_GATHER_MS = 50

/** A record in the database that does not pass the schema: start-up stops and names it. */
export class PgStoreError extends Error {}

/** A pool for DATABASE_URL; every session in UTC, so dates cast from text mean UTC days. */
export function createPool(url: string, max = 10): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, max, options: '-c TimeZone=UTC' })
  // An idle client losing its connection (a database restart) must not end the process.
  pool.on('error', () => {})
  return pool
}

const schemas = StoreData.shape

/** Statements the store prepares, by their text (a few dozen shapes of write in practice). */
const statementNames = new Map<string, string>()
const MOST_STATEMENTS = 200
/** A name to prepare `text` under; undefined (not prepared) past the most there may be. */
function statementName(prefix: string, text: string): string | undefined {
  let name = statementNames.get(text)
  if (!name) {
    if (statementNames.size >= MOST_STATEMENTS) return undefined
    name = `${prefix}-${createHash('sha256').update(text).digest('base64url').slice(0, 16)}`
    statementNames.set(text, name)
  }
  return name
}

/**
 * catchUp's one statement ($1 the last seq applied, $2 this instance): a head row always, then
 * one row per record another instance changed since, read by its table's key.
 */
const catchUpSql = `
  WITH head AS (
    SELECT (SELECT through FROM store_changes_pruned)::text AS through,
           (SELECT max(seq) FROM store_changes WHERE seq > $1::bigint)::text AS last
  ), changed AS (
    SELECT collection, key, max(seq) AS seq FROM store_changes
    WHERE seq > $1::bigint AND origin <> $2
      AND collection IN (${Object.keys(tables)
        .map((name) => `'${name}'`)
        .join(', ')})
    GROUP BY collection, key
  )
  SELECT head.through, head.last, changed.collection, changed.key, changed.seq::text AS seq,
         CASE changed.collection
           ${Object.entries(tables)
             .map(
               ([name, { table }]) =>
                 `WHEN '${name}' THEN (SELECT record FROM ${table} t WHERE t.key = changed.key)`
             )
             .join('\n           ')}
         END AS record
  FROM head LEFT JOIN changed ON true`

/** A record as read from the database; `version` null when it has no row. */
type Fetched = { name: CollectionName; key: string; record: unknown; version: string | null }

type CatchUpRow = {
  through: string
  last: string | null
  collection: CollectionName | null
  key: string | null
  /** The last change of this record in the read. */
  seq: string | null
  record: unknown
}

function parseRecord(name: CollectionName, key: string, record: unknown): unknown {
  const schema = schemas[name] as unknown as {
    safeParse(v: unknown): {
      success: boolean
      data?: Record<string, unknown>
      error?: { issues: { path: PropertyKey[]; message: string }[] }
    }
  }
  const parsed = schema.safeParse({ [key]: record })
  if (!parsed.success) {
    const issue = parsed.error!.issues[0]!
    throw new PgStoreError(
      `Store table ${tables[name].table}, key ${JSON.stringify(key)}: ${issue.path.slice(1).join('.') || 'record'}: ${issue.message}`
    )
  }
  return parsed.data![key]
}

/** Each record's version as this instance last read or wrote it; a key not here has no row. */
export type RecordVersions = Map<CollectionName, Map<string, string>>

/** How one flush writes each change, by what this instance knows of the record's version. */
type WritePlan = {
  update: { change: StoreChange; version: string }[]
  insert: StoreChange[]
  remove: { key: string; version: string }[]
  absent: string[]
}

export class PgBackend implements StoreBackend {
  #lastSeq: string
  readonly #versions: RecordVersions
  #lastPrune = Date.now()
  #listener: Listening | null = null
  #gathering: NodeJS.Timeout | undefined
  #closed = false

  constructor(
    readonly pool: pg.Pool,
    lastSeq: string,
    private readonly logger?: Logger,
    versions: RecordVersions = new Map()
  ) {
    this.#lastSeq = lastSeq
    this.#versions = versions
  }

  #version(name: CollectionName, key: string): string | undefined {
    return this.#versions.get(name)?.get(key)
  }

  /** Remembers a record's version as read or written here (null: it has no row). */
  #know(name: CollectionName, key: string, version: string | null): void {
    let known = this.#versions.get(name)
    if (!known) this.#versions.set(name, (known = new Map()))
    if (version === null) known.delete(key)
    else known.set(key, version)
  }

  #plan(changes: StoreChange[]): Map<CollectionName, WritePlan> {
    const plans = new Map<CollectionName, WritePlan>()
    for (const change of changes) {
      let plan = plans.get(change.collection)
      if (!plan)
        plans.set(change.collection, (plan = { update: [], insert: [], remove: [], absent: [] }))
      const version = this.#version(change.collection, change.key)
      if (change.json !== null) {
        if (version === undefined) plan.insert.push(change)
        else plan.update.push({ change, version })
      } else if (version === undefined) plan.absent.push(change.key)
      else plan.remove.push({ key: change.key, version })
    }
    return plans
  }

  /**
   * The records a write left alone because another instance wrote them since this one read
   * them: read as they are now and handed to `replace`, which drops the stale local copy.
   */
  async #takeCurrent(
    stale: StoreChange[],
    replace?: (collection: CollectionName, key: string, record: unknown) => void
  ): Promise<void> {
    const values: string[][] = []
    const selects: string[] = []
    for (const name of new Set(stale.map((c) => c.collection))) {
      values.push(stale.filter((c) => c.collection === name).map((c) => c.key))
      selects.push(
        `SELECT '${name}'::text AS collection, key, record, version::text AS version
         FROM ${tables[name].table} WHERE key = ANY($${values.length}::text[])`
      )
    }
    const { rows } = await this.pool.query<{
      collection: CollectionName
      key: string
      record: unknown
      version: string
    }>(selects.join('\nUNION ALL\n'), values)
    const current = new Map(rows.map((r) => [`${r.collection}\0${r.key}`, r]))
    for (const { collection, key } of stale) {
      const row = current.get(`${collection}\0${key}`)
      // The collection and key only, never the record (the logger masks a number in a key).
      this.logger?.warn('store.write_conflict', { collection, key })
      const record = row ? parseRecord(collection, key, row.record) : undefined
      this.#know(collection, key, row?.version ?? null)
      replace?.(collection, key, record)
    }
  }

  /**
   * Writes the changes in one statement, each record only if its version there is still the one
   * this instance last read or wrote. A record another instance has written since (this one's
   * copy is stale: a write that failed during an outage, retried later) is left as it is, and
   * its current version is handed to `replace` instead.
   */
  async write(
    changes: StoreChange[],
    origin: string,
    replace?: (collection: CollectionName, key: string, record: unknown) => void
  ): Promise<void> {
    const statement = this.#writeStatement(changes, origin)
    // Prepared once per connection for each shape of write (which tables, which kinds of write):
    // planning it anew cost PostgreSQL more than running it.
    const name = statementName('store-write', statement.text)
    const { rows } = await this.pool.query<{
      collection: CollectionName | null
      key: string
      version: string | null
    }>({ ...(name && { name }), ...statement })
    const done = new Set<string>()
    for (const row of rows) {
      if (row.collection === null) continue
      done.add(`${row.collection}\0${row.key}`)
      this.#know(row.collection, row.key, row.version)
    }
    const stale = changes.filter((c) => !done.has(`${c.collection}\0${c.key}`))
    if (stale.length) await this.#takeCurrent(stale, replace)
    if (Date.now() - this.#lastPrune > PRUNE_EVERY_MS) {
      this.#lastPrune = Date.now()
      void this.#prune().catch((error: unknown) =>
        this.logger?.error('store.prune_changes_failed', { error })
      )
    }
  }

  /**
   * The flush's one statement (one round trip, one implicit transaction): the commit lock first
   * (every part reads it), then each record updated, inserted or deleted only if its version is
   * the one known here (no row, for one not known), their change rows (each seq the record's new
   * version) and the notification. Its rows: the records written, with their new versions.
   */
  #writeStatement(changes: StoreChange[], origin: string): { text: string; values: unknown[] } {
    const values: unknown[] = []
    const param = (value: unknown, type: string) => {
      values.push(value)
      return `$${values.length}::${type}`
    }
    const parts = [`lock AS (SELECT pg_advisory_xact_lock(${COMMIT_LOCK}) AS held)`]
    const written: string[] = []
    // In one order whatever order the records changed in: one statement text per shape.
    const plans = [...this.#plan(changes)].sort(([a], [b]) => (a < b ? -1 : 1))
    for (const [name, plan] of plans) {
      const { table, columns } = tables[name]
      const label = `'${name}'::text AS collection`
      const names = ['key', 'record', ...columns.map((c) => c.name)].map((n) => `"${n}"`)
      const records = (list: StoreChange[]) => {
        const parsed = columns.length
          ? list.map((c) => JSON.parse(c.json!) as Record<string, unknown>)
          : []
        return [
          param(
            list.map((c) => c.key),
            'text[]'
          ),
          param(
            list.map((c) => c.json),
            'jsonb[]'
          ),
          ...columns.map((column) =>
            param(
              parsed.map((r) => column.of(r)),
              `${column.type}[]`
            )
          ),
        ]
      }
      if (plan.update.length) {
        const [keys, ...rest] = records(plan.update.map((u) => u.change))
        const expected = param(
          plan.update.map((u) => u.version),
          'bigint[]'
        )
        parts.push(
          `update_${table} AS (UPDATE ${table} t SET ${names
            .slice(1)
            .map((n) => `${n} = rows.${n}`)
            .join(', ')}, version = nextval('${SEQ}')
           FROM unnest(${keys}, ${expected}, ${rest.join(', ')})
             AS rows("key", "expected", ${names.slice(1).join(', ')}), lock
           WHERE t.key = rows.key AND t.version = rows.expected
           RETURNING ${label}, t.key, t.version, t.version AS seq)`
        )
        written.push(`SELECT * FROM update_${table}`)
      }
      if (plan.insert.length) {
        parts.push(
          `insert_${table} AS (INSERT INTO ${table} (${names.join(', ')}, version)
           SELECT rows.*, nextval('${SEQ}') FROM unnest(${records(plan.insert).join(', ')}) AS rows, lock
           ON CONFLICT (key) DO NOTHING
           RETURNING ${label}, key, version, version AS seq)`
        )
        written.push(`SELECT * FROM insert_${table}`)
      }
      if (plan.remove.length) {
        parts.push(
          `remove_${table} AS (DELETE FROM ${table} t
           USING unnest(${param(
             plan.remove.map((r) => r.key),
             'text[]'
           )}, ${param(
             plan.remove.map((r) => r.version),
             'bigint[]'
           )}) AS rows("key", "expected"), lock
           WHERE t.key = rows.key AND t.version = rows.expected
           RETURNING ${label}, t.key, NULL::bigint AS version, nextval('${SEQ}') AS seq)`
        )
        written.push(`SELECT * FROM remove_${table}`)
      }
      // Removed here but never in the database as far as this instance knows: nothing to write,
      // unless another instance has made the record meanwhile.
      if (plan.absent.length)
        written.push(
          `SELECT ${label}, k AS key, NULL::bigint AS version, NULL::bigint AS seq
           FROM unnest(${param(plan.absent, 'text[]')}) AS k
           WHERE NOT EXISTS (SELECT 1 FROM ${table} t WHERE t.key = k)`
        )
    }
    const from = param(origin, 'text')
    parts.push(
      `written AS (${written.join('\n UNION ALL ')})`,
      `changes AS (INSERT INTO store_changes (seq, origin, collection, key)
       SELECT seq, ${from}, collection, key FROM written WHERE seq IS NOT NULL)`
    )
    return {
      text: `WITH ${parts.join(',\n')}
        SELECT written.collection, written.key, written.version::text AS version
        FROM (SELECT pg_notify('${CHANNEL}', ${from}) FROM lock) AS notice LEFT JOIN written ON true`,
      values,
    }
  }

  /** Drops change rows every instance has long applied (they name keys of deleted records). */
  async #prune(): Promise<void> {
    await this.pool.query(
      `WITH gone AS (DELETE FROM store_changes WHERE at < now() - interval '${KEEP_CHANGES}' RETURNING seq)
       UPDATE store_changes_pruned SET through = greatest(through, (SELECT max(seq) FROM gone))
       WHERE EXISTS (SELECT 1 FROM gone)`
    )
  }

  async catchUp(
    origin: string,
    apply: (collection: CollectionName, key: string, record: unknown) => boolean,
    localKeys: (collection: CollectionName) => string[]
  ): Promise<RemoteChange[]> {
    const base = this.#lastSeq
    const { rows } = await this.pool.query<CatchUpRow>({
      name: 'store-catch-up',
      text: catchUpSql,
      values: [base, origin],
    })
    return this.#caughtUp(rows, base, apply, localKeys)
  }

  /**
   * The same catch-up read by `read`, which sends it after statements of its own in one round
   * trip (a turn's lock), as a statement prepared on its connection.
   */
  async catchUpWith(
    origin: string,
    read: (statement: CatchUpStatement) => Promise<unknown[]>,
    apply: (collection: CollectionName, key: string, record: unknown) => boolean,
    localKeys: (collection: CollectionName) => string[]
  ): Promise<RemoteChange[]> {
    const base = this.#lastSeq
    const rows = await read({ name: 'store_catch_up', text: catchUpSql, values: [base, origin] })
    return this.#caughtUp(rows as CatchUpRow[], base, apply, localKeys)
  }

  /**
   * Applies what a catch-up read since `base`. Several may be under way at once (turn locks, and
   * notices): one whose snapshot is older than what is already applied is dropped, as everything
   * it saw is in memory already, and its older records must not overwrite newer ones.
   */
  #caughtUp(
    rows: CatchUpRow[],
    base: string,
    apply: (collection: CollectionName, key: string, record: unknown) => boolean,
    localKeys: (collection: CollectionName) => string[]
  ): RemoteChange[] | Promise<RemoteChange[]> {
    const head = rows[0]!
    if (BigInt(head.through) > BigInt(base)) return this.#reload(apply, localKeys)
    const seen = head.last ?? base
    if (BigInt(seen) < BigInt(this.#lastSeq)) return []
    // A record last changed at or before what is applied is in memory as this read has it.
    const applied = BigInt(this.#lastSeq)
    const fetched: Fetched[] = []
    for (const row of rows)
      if (row.collection !== null && row.key !== null && BigInt(row.seq!) > applied)
        fetched.push({
          name: row.collection,
          key: row.key,
          record: row.record ?? undefined,
          // The seq of a record's last change is its version.
          version: row.record === null ? null : row.seq,
        })
    this.#lastSeq = seen
    return this.#apply(fetched, apply)
  }

  /** Too far behind to follow the change rows (pruned): compares every record instead. */
  async #reload(
    apply: (collection: CollectionName, key: string, record: unknown) => boolean,
    localKeys: (collection: CollectionName) => string[]
  ): Promise<RemoteChange[]> {
    const client = await this.pool.connect()
    const fetched: Fetched[] = []
    let last: string
    try {
      // One snapshot: the last change and the records agree.
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const max = await client.query<{ seq: string }>(
        'SELECT greatest(coalesce(max(seq), 0), (SELECT through FROM store_changes_pruned))::text AS seq FROM store_changes'
      )
      last = max.rows[0]!.seq
      for (const name of collectionNames()) {
        const { rows } = await client.query<{ key: string; record: unknown; version: string }>(
          `SELECT key, record, version::text AS version FROM ${tables[name].table}`
        )
        for (const row of rows) fetched.push({ name, ...row })
        const present = new Set(rows.map((r) => r.key))
        for (const key of localKeys(name))
          if (!present.has(key)) fetched.push({ name, key, record: undefined, version: null })
      }
      await client.query('COMMIT')
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {})
      throw error
    } finally {
      client.release()
    }
    if (BigInt(last) < BigInt(this.#lastSeq)) return []
    this.#lastSeq = last
    return this.#apply(fetched, apply)
  }

  /**
   * Applies records read from the database, each but one older than the version known here
   * (taken in since, by a write that met it). A record `apply` refuses (changed here, unflushed)
   * keeps the version it was changed on, so its write meets the newer one.
   */
  #apply(
    fetched: Fetched[],
    apply: (collection: CollectionName, key: string, record: unknown) => boolean
  ): RemoteChange[] {
    const applied: RemoteChange[] = []
    for (const { name, key, record, version } of fetched) {
      const known = this.#version(name, key)
      if (version !== null && known !== undefined && BigInt(known) > BigInt(version)) continue
      const value = record === undefined ? undefined : parseRecord(name, key, record)
      if (!apply(name, key, value)) continue
      this.#know(name, key, value === undefined ? null : version)
      applied.push({ collection: name, key, deleted: value === undefined })
    }
    return applied
  }

  /**
   * Hears other instances' commits: `onChange` once within `gatherMs` of the first notice, for
   * every notice meanwhile. A turn catches up itself under its lock; notices only keep what
   * others see between turns fresh (the console, the scheduler), so one catch-up for a burst of
   * commits is enough, not one per commit on every instance. After the connection is lost it is
   * tried again until it is back, and catches up on what it missed.
   */
  async listen(
    url: string,
    origin: string,
    onChange: () => void,
    gatherMs = NOTICE_GATHER_MS
  ): Promise<void> {
    const notice = (from: string) => {
      if (from === origin || this.#gathering || this.#closed) return
      this.#gathering = setTimeout(() => {
        this.#gathering = undefined
        if (!this.#closed) onChange()
      }, gatherMs).unref()
    }
    this.#listener = await keepListening({
      url,
      channel: CHANNEL,
      name: 'store',
      ...(this.logger && { logger: this.logger }),
      onNotify: notice,
      // Anything committed while not listening.
      onConnected: () => notice(''),
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    clearTimeout(this.#gathering)
    await this.#listener?.close()
    await this.pool.end()
  }
}

/**
 * Opens the store on the database at `url`: migrations first, then every record into memory,
 * checked with the same schema as the files. `listen: false` skips LISTEN (a one-off tool).
 */
export async function openPgStore(
  url: string,
  options: {
    logger?: Logger
    listen?: boolean
    pool?: pg.Pool
    /** How long notices of others' commits are gathered before one catch-up (default 50 ms). */
    noticeGatherMs?: number
  } = {}
): Promise<Store> {
  const pool = options.pool ?? createPool(url)
  try {
    await migrate(pool)
    const raw: Record<string, Record<string, unknown>> = {}
    const versions: RecordVersions = new Map()
    const client = await pool.connect()
    let seq: string
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
      const max = await client.query<{ seq: string }>(
        'SELECT greatest(coalesce(max(seq), 0), (SELECT through FROM store_changes_pruned))::text AS seq FROM store_changes'
      )
      seq = max.rows[0]!.seq
      for (const name of collectionNames()) {
        const { rows } = await client.query<{ key: string; record: unknown; version: string }>(
          `SELECT key, record, version::text AS version FROM ${tables[name].table}`
        )
        const collection: Record<string, unknown> = Object.create(null)
        for (const row of rows) collection[row.key] = row.record
        raw[name] = collection
        versions.set(name, new Map(rows.map((r) => [r.key, r.version])))
      }
      await client.query('COMMIT')
    } finally {
      client.release()
    }
    const parsed = StoreData.safeParse({ version: 1, ...raw })
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!
      const [name, key, ...rest] = issue.path.map(String)
      const table = tables[name as CollectionName]?.table ?? name
      throw new PgStoreError(
        `Store table ${table}, key ${JSON.stringify(key)}: ${rest.join('.') || 'record'}: ${issue.message}`
      )
    }
    const backend = new PgBackend(pool, seq, options.logger, versions)
    const store = new Store(parsed.data, null, {}, { backend })
    if (options.listen !== false) {
      await backend.listen(
        url,
        store.instanceId,
        () =>
          void store
            .catchUp()
            .catch((error: unknown) => options.logger?.error('store.catch_up_failed', { error })),
        options.noticeGatherMs
      )
    }
    return store
  } catch (error) {
    await pool.end().catch(() => {})
    throw error
  }
}
