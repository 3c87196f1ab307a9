import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { createPgCluster } from '../../bot/cluster/pg-cluster.js'
import { createLogger } from '../../bot/logger.js'
import { openPgStore } from '../../bot/store/pg/pg-store.js'
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/pg.js'
import { sampleRecords } from '../helpers/store-samples.js'

let db: TestDatabase
const open: { close(): Promise<void> }[] = []
beforeAll(async () => {
  // The tables come from the migrations, as at start-up (002-cluster.sql).
  db = await createMigratedTestDatabase()
})
afterAll(async () => {
  for (const c of open) await c.close()
  await db.drop()
})

const logger = createLogger('error')
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function instance(name: string, catchUp: () => Promise<void> = async () => {}) {
  const cluster = await createPgCluster({ url: db.url, logger, instanceId: name, catchUp })
  open.push(cluster)
  return cluster
}

describe('two instances on one PostgreSQL database', () => {
  it("Should run one participant's turns one at a time across instances, taking in the other's writes first", async () => {
    let caughtUp = 0
    const a = await instance('a', async () => void caughtUp++)
    const b = await instance('b', async () => void caughtUp++)
    let running = 0
    let most = 0
    const order: string[] = []
    const turn = (who: string) => async () => {
      running++
      most = Math.max(most, running)
      await sleep(30)
      order.push(who)
      running--
      return who
    }
    const results = await Promise.all([
      a.exclusive('sms:+4791000001', turn('a1')),
      b.exclusive('sms:+4791000001', turn('b1')),
      a.exclusive('sms:+4791000001', turn('a2')),
      b.exclusive('sms:+4791000001', turn('b2')),
    ])
    expect(results).toEqual(['a1', 'b1', 'a2', 'b2'])
    expect(most).toBe(1)
    expect(caughtUp).toBe(4)
    // Different people do not wait for each other.
    const started = Date.now()
    running = 0
    most = 0
    await Promise.all([
      a.exclusive('sms:+4791000002', turn('x')),
      b.exclusive('sms:+4791000003', turn('y')),
    ])
    expect(most).toBe(2)
    expect(Date.now() - started).toBeLessThan(1000)
    // A nested call for a key already held does not wait on itself.
    await expect(a.exclusive('k', () => a.exclusive('k', async () => 'inner'))).resolves.toBe(
      'inner'
    )
  })

  it("Should let one instance claim each try at a message, and call a stopped instance's sends orphaned", async () => {
    const a = await instance('c')
    const b = await instance('d')
    const claims = await Promise.all([a.claimSend('m_1', 1), b.claimSend('m_1', 1)])
    expect(claims.filter(Boolean)).toHaveLength(1)
    expect(await b.claimSend('m_1', 2)).toBe(true)
    expect(await a.claimSend('m_2', 1)).toBe(true)
    expect(await b.orphaned(['m_1', 'm_2', 'm_none'])).toEqual(['m_none'])
    await a.close()
    expect(await b.orphaned(['m_1', 'm_2', 'm_none'])).toEqual(['m_2', 'm_none'])
    // A try claimed by an instance that stopped before writing anything is taken over.
    expect(await b.claimSend('m_2', 1)).toBe(true)
    expect(await b.orphaned(['m_2'])).toEqual([])
  })

  it('Should have one leader, and hand the lead to another when the leader stops', async () => {
    const first = await instance('e')
    const second = await instance('f')
    const leaders = [first, second].filter((c) => c.isLeader())
    // Instances of the earlier tests may lead; at most one of all does.
    expect(leaders.length).toBeLessThanOrEqual(1)
    const all = open as unknown as { isLeader(): boolean; close(): Promise<void> }[]
    for (let i = 0; i < 40 && !all.some((c) => c.isLeader()); i++) await sleep(100)
    const lead = all.filter((c) => c.isLeader())
    expect(lead).toHaveLength(1)
    let tookOver = false
    const other = lead[0] === first ? second : first
    ;(other as { onLeader(l: () => void): void }).onLeader(() => (tookOver = true))
    for (const c of all) if (c !== other) await c.close()
    for (let i = 0; i < 40 && !tookOver; i++) await sleep(100)
    expect(tookOver).toBe(true)
    expect(other.isLeader()).toBe(true)
  })

  it('Should tell the other instances what one publishes, never itself', async () => {
    const a = await instance('g')
    const b = await instance('h')
    const heard: string[] = []
    a.subscribe('desk', (p) => heard.push(`a:${p}`))
    b.subscribe('desk', (p) => heard.push(`b:${p}`))
    await a.publish('desk', 'h_1')
    for (let i = 0; i < 40 && heard.length === 0; i++) await sleep(25)
    await sleep(50)
    expect(heard).toEqual(['b:h_1'])
  })

  it("Should take a turn's lock and read what the others committed before it in one round trip", async () => {
    const a = await openPgStore(db.url, { listen: false })
    const b = await openPgStore(db.url, { listen: false })
    open.push(a, b)
    const cluster = await createPgCluster({
      url: db.url,
      logger,
      instanceId: 'e',
      catchUp: () => b.catchUp(),
      catchUpWith: (read) => b.catchUpWith(read),
    })
    open.push(cluster)
    const [key, participant] = sampleRecords('31').participants
    a.put('participants', key, participant)
    await a.flush()
    const queries = vi.spyOn(pg.Client.prototype, 'query')
    try {
      const seen = await cluster.exclusive('sms:+4791000031', async () => b.data.participants[key])
      expect(seen).toEqual(participant)
      // The lock with the catch-up, then the unlock: nothing else.
      expect(queries).toHaveBeenCalledTimes(2)
    } finally {
      queries.mockRestore()
    }
  })

  it('Should never let an older catch-up overwrite what a newer one applied', async () => {
    const a = await openPgStore(db.url, { listen: false })
    const b = await openPgStore(db.url, { listen: false })
    open.push(a, b)
    const [key, participant] = sampleRecords('32').participants
    a.put('participants', key, { ...participant, language: 'nb' })
    await a.flush()
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      // Read now (language nb), handed back only after a newer catch-up has run.
      let handBack!: () => void
      const late = b.catchUpWith(async (statement) => {
        const { rows } = await client.query(statement)
        await new Promise<void>((r) => (handBack = r))
        return rows
      })
      await vi.waitFor(() => expect(handBack).toBeDefined())
      a.edit('participants', key, (p) => (p.language = 'en'))
      await a.flush()
      await b.catchUp()
      expect(b.data.participants[key]?.language).toBe('en')
      handBack()
      await late
      expect(b.data.participants[key]?.language).toBe('en')
    } finally {
      await client.end()
    }
  })
})
