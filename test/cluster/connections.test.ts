/**
 * A database that leaves an instance too few connections (outside review of issue 17, finding 5):
 * start-up stops with one line naming DATABASE_URL and what to raise, instead of starting healthy
 * and answering every text with 500.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { startInstances } from '../../bot/cluster/start.js'
import { memoryLogger } from '../../bot/logger.js'
import { createMigratedTestDatabase, PG_ADMIN_URL, type TestDatabase } from '../helpers/pg.js'

const role = `t_lim_${randomBytes(4).toString('hex')}`
let db: TestDatabase | undefined
const held: pg.Client[] = []
const admin = async (sql: string) => {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL })
  await client.connect()
  await client.query(sql).finally(() => client.end())
}
afterAll(async () => {
  for (const client of held) await client.end().catch(() => {})
  await db?.drop()
  await admin(`DROP ROLE IF EXISTS ${role}`)
})

describe('connections PostgreSQL leaves an instance', () => {
  it("Should stop start-up with one line when the role's connection limit leaves too few", async () => {
    db = await createMigratedTestDatabase()
    await admin(`CREATE ROLE ${role} LOGIN CONNECTION LIMIT 8`)
    const url = new URL(db.url)
    url.username = role
    // What the store already holds when the cluster starts (its pool and its LISTEN).
    for (let i = 0; i < 3; i++) {
      const client = new pg.Client({ connectionString: url.toString() })
      await client.connect()
      held.push(client)
    }
    const store = { instanceId: 'i_short', catchUp: async () => {} }
    await expect(startInstances(url.toString(), store, memoryLogger('error'))).rejects.toThrow(
      /^DATABASE_URL: PostgreSQL has 5 connections left for this role; an instance needs at least 8 more \(up to 45 in all when busy\)\. Raise max_connections or the role's CONNECTION LIMIT/
    )
  })
})
