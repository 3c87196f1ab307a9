/**
 * A PostgreSQL database of its own for one test file: CREATE DATABASE with a random name on the
 * server test/global-setup.ts made sure of (127.0.0.1:5432, trust auth, user postgres), dropped
 * afterwards. Parallel test files never share one.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'
import { migrate } from '../../bot/store/pg/migrate.js'

export const PG_ADMIN_URL =
  process.env.TEST_PG_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'

export type TestDatabase = { url: string; name: string; drop(): Promise<void> }

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(8).toString('hex')}`
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL })
  await admin.connect()
  try {
    await admin.query(`CREATE DATABASE ${name}`)
  } finally {
    await admin.end()
  }
  const url = new URL(PG_ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    name,
    async drop() {
      const client = new pg.Client({ connectionString: PG_ADMIN_URL })
      await client.connect()
      try {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)
      } finally {
        await client.end()
      }
    },
  }
}

/** A test database with the schema in place, from the migrations as at start-up. */
export async function createMigratedTestDatabase(): Promise<TestDatabase> {
  const db = await createTestDatabase()
  const pool = new pg.Pool({ connectionString: db.url })
  try {
    await migrate(pool)
  } finally {
    await pool.end()
  }
  return db
}
