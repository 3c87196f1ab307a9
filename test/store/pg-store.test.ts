/**
 * What only the PostgreSQL store does: migrations applied once under a lock, a damaged row
 * refused at open, and two instances on one database seeing each other's changes (catchUp,
 * LISTEN/NOTIFY, onRemoteChange). The two-process tests are in pgmulti's files.
 */
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { migrate, readMigrations } from '../../bot/store/pg/migrate.js'
import { createPool, openPgStore, PgStoreError } from '../../bot/store/pg/pg-store.js'
import { emptyStore } from '../../bot/store/schema.js'
import { memoryStore, Store, type RemoteChange, type StoreBackend } from '../../bot/store/store.js'
import { createTestDatabase } from '../helpers/pg.js'
import { sampleRecords } from '../helpers/store-samples.js'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function database() {
  const db = await createTestDatabase()
  cleanups.push(db.drop)
  return db
}

async function store(url: string, listen = true): Promise<Store> {
  const s = await openPgStore(url, { listen })
  cleanups.push(() => s.close())
  return s
}

const waitFor = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 20))
  }
}

describe('PostgreSQL store', () => {
  it('Should apply each migration once, even with two instances starting together', async () => {
    const db = await database()
    const pools = [createPool(db.url), createPool(db.url)]
    const applied = await Promise.all(pools.map((p) => migrate(p)))
    const all = (await readMigrations()).map((m) => m.version)
    expect(applied.flat().sort()).toEqual(all)
    const { rows } = await pools[0]!.query(
      'SELECT version, name FROM schema_migrations ORDER BY version'
    )
    expect(rows[0]).toEqual({ version: 1, name: 'initial' })
    expect(await migrate(pools[0]!)).toEqual([])
    await Promise.all(pools.map((p) => p.end()))
  })

  it('Should refuse a row that is not our data, naming the table and key', async () => {
    const db = await database()
    const first = await store(db.url, false)
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    await client.query(
      `INSERT INTO participants (key, record, channel, address, created_at, last_seen_at, opted_out)
       VALUES ('p_bad', '{"id": "p_bad"}', 'sms', '+47', now(), now(), false)`
    )
    await client.end()
    expect(first.data.participants).toEqual({})
    await expect(openPgStore(db.url, { listen: false })).rejects.toThrow(PgStoreError)
    await expect(openPgStore(db.url, { listen: false })).rejects.toThrow(
      /table participants, key "p_bad"/
    )
  })

  it('Should bring a second instance up to date with what the first commits, and say what changed', async () => {
    const db = await database()
    const a = await store(db.url)
    const b = await store(db.url)
    expect(a.instanceId).not.toBe(b.instanceId)
    expect(a.pg).toBeDefined()
    const heard: RemoteChange[] = []
    b.onRemoteChange((changes) => heard.push(...changes))
    const samples = sampleRecords('9')
    a.put('outbox', ...samples.outbox)
    a.put('participants', ...samples.participants)
    await a.flush()
    // NOTIFY drives b's catch-up by itself.
    await waitFor(() => b.data.outbox['m_9'] !== undefined)
    expect(b.data.participants['p_9']).toEqual(samples.participants[1])
    await waitFor(() => heard.length === 2)
    expect(heard).toEqual(
      expect.arrayContaining([
        { collection: 'outbox', key: 'm_9', deleted: false },
        { collection: 'participants', key: 'p_9', deleted: false },
      ])
    )
    a.edit('outbox', 'm_9', (m) => (m.state = 'sending'))
    a.remove('participants', 'p_9')
    await a.flush()
    // Called directly, catchUp resolves once everything committed before it is applied.
    await b.catchUp()
    expect(b.data.outbox['m_9']?.state).toBe('sending')
    expect(b.data.participants['p_9']).toBeUndefined()
    // An instance never hears its own changes as remote ones.
    const own: RemoteChange[] = []
    a.onRemoteChange((c) => own.push(...c))
    await a.catchUp()
    expect(own).toEqual([])
  })

  it('Should lose no change when two instances commit at once and a third follows', async () => {
    const db = await database()
    const a = await store(db.url, false)
    const b = await store(db.url, false)
    const c = await store(db.url)
    const [, participant] = sampleRecords('6').participants
    const burst = async (s: Store, prefix: string) => {
      for (let i = 0; i < 40; i++) {
        s.put('participants', `${prefix}_${i}`, { ...participant, id: `${prefix}_${i}` })
        if (i % 5 === 4) s.remove('participants', `${prefix}_${i - 2}`)
        await s.flush()
      }
    }
    await Promise.all([burst(a, 'a'), burst(b, 'b'), c.catchUp()])
    await c.catchUp()
    const fresh = await store(db.url, false)
    expect(Object.keys(fresh.data.participants)).toHaveLength(64)
    expect(c.data.participants).toEqual(fresh.data.participants)
  })

  it('Should keep an unflushed local change until its write, then give way to the newer record it was made over', async () => {
    const db = await database()
    const a = await store(db.url, false)
    const b = await store(db.url, false)
    const [key, record] = sampleRecords('8').participants
    a.put('participants', key, record)
    await a.flush()
    await b.catchUp()
    b.edit('participants', key, (p) => (p.language = 'en'))
    a.edit('participants', key, (p) => (p.optedOut = true))
    await a.flush()
    await b.catchUp()
    expect(b.data.participants[key]).toMatchObject({ language: 'en', optedOut: false })
    // b's change was made on the copy a has since written over: a's record stands (finding 12).
    await b.flush()
    expect(b.data.participants[key]).toMatchObject({ language: 'nb', optedOut: true })
    await a.catchUp()
    expect(a.data.participants[key]).toMatchObject({ language: 'nb', optedOut: true })
    // Made on the current version, b's next change is written.
    b.edit('participants', key, (p) => (p.language = 'en'))
    await b.flush()
    await a.catchUp()
    expect(a.data.participants[key]).toMatchObject({ language: 'en', optedOut: true })
  })

  it('Should catch up in one statement, whether or not anything changed', async () => {
    const db = await database()
    const a = await store(db.url, false)
    const pool = createPool(db.url)
    // What the store asks of its pool: statements, and connections taken for a transaction.
    let statements = 0
    let transactions = 0
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown
    pool.query = ((...args: unknown[]) => (statements++, query(...args))) as typeof pool.query
    const connect = pool.connect.bind(pool) as (...args: unknown[]) => unknown
    pool.connect = ((...args: unknown[]) => {
      if (args.length === 0) transactions++
      return connect(...args)
    }) as typeof pool.connect
    const b = await openPgStore(db.url, { listen: false, pool })
    cleanups.push(() => b.close())
    const samples = sampleRecords('5')
    a.put('participants', ...samples.participants)
    a.put('outbox', ...samples.outbox)
    await a.flush()
    a.remove('outbox', samples.outbox[0])
    await a.flush()
    statements = transactions = 0
    await b.catchUp()
    expect(b.data.participants[samples.participants[0]]).toEqual(samples.participants[1])
    expect(b.data.outbox[samples.outbox[0]]).toBeUndefined()
    expect({ statements, transactions }).toEqual({ statements: 1, transactions: 0 })
    await b.catchUp()
    expect({ statements, transactions }).toEqual({ statements: 2, transactions: 0 })
  })

  it('Should take in a burst of commits by another instance with one catch-up, not one each', async () => {
    const db = await database()
    const a = await store(db.url, false)
    const pool = createPool(db.url)
    let statements = 0
    const query = pool.query.bind(pool) as (...args: unknown[]) => unknown
    pool.query = ((...args: unknown[]) => (statements++, query(...args))) as typeof pool.query
    const b = await openPgStore(db.url, { pool, noticeGatherMs: 300 })
    cleanups.push(() => b.close())
    await b.catchUp()
    const [, participant] = sampleRecords('4').participants
    statements = 0
    for (let i = 0; i < 30; i++) {
      a.put('participants', `p_burst_${i}`, { ...participant, id: `p_burst_${i}` })
      await a.flush()
    }
    await waitFor(() => b.data.participants['p_burst_29'] !== undefined)
    expect(Object.keys(b.data.participants)).toHaveLength(30)
    // However slow the machine, far fewer than the 30 commits.
    expect(statements).toBeLessThanOrEqual(10)
  })

  it('Should prepare one statement per shape of write, whatever order the records changed in', async () => {
    const db = await database()
    // One connection, so its prepared statements are the store's.
    const pool = createPool(db.url, 1)
    const s = await openPgStore(db.url, { listen: false, pool })
    cleanups.push(() => s.close())
    const samples = sampleRecords('3')
    for (let i = 0; i < 4; i++) {
      const participant = () =>
        s.put('participants', `p_${i}`, { ...samples.participants[1], id: `p_${i}` })
      const state = () => s.put('botState', `state_${i}`, samples.botState[1])
      if (i % 2) (participant(), state())
      else (state(), participant())
      await s.flush()
    }
    const { rows } = await pool.query<{ name: string }>(
      "SELECT name FROM pg_prepared_statements WHERE name LIKE 'store-write-%'"
    )
    expect(rows).toHaveLength(1)
    const fresh = await store(db.url, false)
    expect(Object.keys(fresh.data.participants)).toHaveLength(4)
  })

  it('Should finish a catch-up within two runs, however many keep asking for one', async () => {
    let runs = 0
    const backend: StoreBackend = {
      write: async () => {},
      catchUp: async () => {
        runs++
        await new Promise((r) => setTimeout(r, 10))
        return []
      },
      close: async () => {},
    }
    const s = new Store(emptyStore(), null, {}, { backend })
    // Someone asks every 2 ms (turns, notices) for the whole test.
    let asking = true
    const others = (async () => {
      while (asking) {
        void s.catchUp()
        await new Promise((r) => setTimeout(r, 2))
      }
    })()
    try {
      await new Promise((r) => setTimeout(r, 25))
      const before = runs
      await s.catchUp()
      expect(runs - before).toBeLessThanOrEqual(2)
    } finally {
      asking = false
      await others
    }
  }, 5_000)

  it('Should have no pool and catch up at once on the file store', async () => {
    const s = memoryStore()
    expect(s.pg).toBeUndefined()
    await s.catchUp()
    expect(s.instanceId).toMatch(/^i_/)
  })
})

describe('PostgreSQL backups and migrations', () => {
  it('Should come back whole from pg_dump and pg_restore into an empty database', async () => {
    const { execFileSync } = await import('node:child_process')
    const source = await database()
    const a = await store(source.url, false)
    const samples = sampleRecords('7')
    for (const name of Object.keys(samples) as (keyof typeof samples)[])
      a.put(name, samples[name][0], samples[name][1] as never)
    await a.flush()
    const dump = execFileSync('pg_dump', ['--format=custom', source.url], { maxBuffer: 64 << 20 })
    const target = await database()
    execFileSync('pg_restore', ['--no-owner', '--dbname', target.url], { input: dump })
    const b = await store(target.url, false)
    // Less the NUL character of the sample's dialog state, which jsonb cannot hold.
    expect(b.data).toEqual(JSON.parse(JSON.stringify(a.data).replaceAll('\\u0000', '')))
  })

  it('Should roll back a migration that fails, record nothing, and say which one', async () => {
    const { mkdtemp, writeFile, rm } = await import('node:fs/promises')
    const dir = await mkdtemp('/tmp/pgcore-migrations-')
    cleanups.push(() => rm(dir, { recursive: true }))
    await writeFile(join(dir, '001-first.sql'), 'CREATE TABLE one (id int);')
    await writeFile(
      join(dir, '002-broken.sql'),
      'CREATE TABLE two (id int); SELECT no_such_function();'
    )
    const db = await database()
    const pool = createPool(db.url)
    cleanups.push(() => pool.end())
    await expect(migrate(pool, dir)).rejects.toThrow(/Migration 2-broken failed/)
    const { rows } = await pool.query('SELECT version FROM schema_migrations')
    expect(rows).toEqual([{ version: 1 }])
    const two = await pool.query("SELECT to_regclass('two') AS t")
    expect(two.rows[0].t).toBeNull()
  })
})
