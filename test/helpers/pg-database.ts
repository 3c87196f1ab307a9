/**
 * A database of its own for one test file on the PostgreSQL server of the machine (127.0.0.1:5432,
 * user postgres, trust auth), with a random name; dropped, with whatever still holds it, after.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

export const PG_SERVER = process.env.TEST_PG_SERVER ?? 'postgres://postgres@127.0.0.1:5432'

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: `${PG_SERVER}/postgres` })
  await client.connect()
  try {
    return await work(client)
  } finally {
    await client.end()
  }
}

/** Creates the database; returns its URL and the function that drops it. */
export async function testDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `test_${randomBytes(6).toString('hex')}`
  await admin((c) => c.query(`CREATE DATABASE ${name}`))
  return {
    url: `${PG_SERVER}/${name}`,
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => {}),
  }
}
