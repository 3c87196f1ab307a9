/**
 * A write that failed during a database outage must not later overwrite what another instance
 * wrote meanwhile (outside review of issue 17, finding 12: an old leader wrote its stale copy of
 * an outbox message over "sent", and the SMS went out twice). The outage is a TCP proxy the test
 * stops; the other instance reaches PostgreSQL directly.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../bot/logger.js'
import { openPgStore } from '../../bot/store/pg/pg-store.js'
import type { RemoteChange, Store } from '../../bot/store/store.js'
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/pg.js'
import { sampleRecords } from '../helpers/store-samples.js'
import { tcpProxy } from '../helpers/tcp-proxy.js'

let db: TestDatabase
const closing: (() => Promise<unknown>)[] = []
beforeAll(async () => {
  db = await createMigratedTestDatabase()
})
afterAll(async () => {
  for (const close of closing.reverse()) await close().catch(() => {})
  await db.drop()
})

async function open(url: string, logger = memoryLogger('error')): Promise<Store> {
  const store = await openPgStore(url, { listen: false, logger })
  closing.push(() => store.close())
  return store
}

describe('A stale copy after a database outage', { timeout: 30_000 }, () => {
  it('Should keep what another instance wrote meanwhile, and take it in', async () => {
    const cut = tcpProxy(6_000 + Math.floor(Math.random() * 100))
    await cut.start()
    closing.push(cut.stop)
    const logger = memoryLogger('debug')
    const a = await open(cut.url(db), logger)
    const b = await open(db.url)
    const [messageKey, message] = sampleRecords('s1').outbox
    const [personKey, person] = sampleRecords('s2').participants
    const [ownKey, own] = sampleRecords('s3').participants
    a.put('outbox', messageKey, message)
    a.put('participants', personKey, person)
    a.put('participants', ownKey, own)
    await a.flush()
    await b.catchUp()

    // A claims the message and changes two more records; the database goes away before it writes.
    a.edit('outbox', messageKey, (m) => Object.assign(m, { state: 'sending', attempts: 1 }))
    a.edit('participants', personKey, (p) => (p.language = 'en'))
    a.edit('participants', ownKey, (p) => (p.language = 'en'))
    await cut.stop()
    await expect(a.flush()).rejects.toThrow()

    // Meanwhile B sends the message and deletes the person.
    b.edit('outbox', messageKey, (m) =>
      Object.assign(m, { state: 'sent', attempts: 1, sentAt: '2026-11-23T10:00:05.000Z' })
    )
    b.remove('participants', personKey)
    await b.flush()

    await cut.start()
    const heard: RemoteChange[] = []
    a.onRemoteChange((changes) => heard.push(...changes))
    await a.catchUp()
    await a.flush()

    // B's versions stand, in the database and now in A; A's change nobody else made is written.
    const fresh = await open(db.url)
    expect(fresh.data.outbox[messageKey]?.state).toBe('sent')
    expect(fresh.data.participants[personKey]).toBeUndefined()
    expect(fresh.data.participants[ownKey]?.language).toBe('en')
    expect(a.data.outbox[messageKey]).toEqual(fresh.data.outbox[messageKey])
    expect(a.data.participants[personKey]).toBeUndefined()
    expect(heard).toEqual(
      expect.arrayContaining([
        { collection: 'outbox', key: messageKey, deleted: false },
        { collection: 'participants', key: personKey, deleted: true },
      ])
    )
    const conflicts = logger.lines.filter((l) => l.includes('store.write_conflict'))
    expect(conflicts).toHaveLength(2)
    expect(conflicts.join('\n')).toContain(messageKey)
    expect(conflicts.join('\n')).not.toContain(ownKey)

    // A's next change to the message is made on B's version and written.
    a.edit('outbox', messageKey, (m) => (m.state = 'delivered'))
    await a.flush()
    await b.catchUp()
    expect(b.data.outbox[messageKey]?.state).toBe('delivered')
  })

  it('Should not write a whole-store change (mutate) over a record another instance changed', async () => {
    const a = await open(db.url)
    const b = await open(db.url)
    const [key, record] = sampleRecords('s5').participants
    const [gone, other] = sampleRecords('s6').participants
    a.put('participants', key, record)
    a.put('participants', gone, other)
    await a.flush()
    await b.catchUp()
    a.mutate(() => {}) // rewrites every record, as retention and SLETT may
    b.edit('participants', key, (p) => (p.optedOut = true))
    b.remove('participants', gone)
    await b.flush()
    await a.flush()
    const fresh = await open(db.url)
    expect(fresh.data.participants[key]?.optedOut).toBe(true)
    expect(fresh.data.participants[gone]).toBeUndefined()
    expect(a.data.participants).toEqual(fresh.data.participants)
  })

  it('Should not let two instances that both create one key overwrite each other', async () => {
    const a = await open(db.url)
    const b = await open(db.url)
    const [key, record] = sampleRecords('s4').participants
    a.put('participants', key, { ...record, language: 'nb' })
    b.put('participants', key, { ...record, language: 'en' })
    await a.flush()
    await b.flush()
    expect(b.data.participants[key]?.language).toBe('nb')
    const fresh = await open(db.url)
    expect(fresh.data.participants[key]?.language).toBe('nb')
  })
})
