/**
 * @module bot/store/pg/migrate
 * Schema migrations: numbered SQL files in bot/store/pg/migrations (001-initial.sql, ...), applied
 * in order at start-up, each in its own transaction, under an advisory lock so two instances
 * starting together never apply one twice. Applied ones are listed in schema_migrations.
 */
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Pool } from 'pg'
import { projectRoot } from '../../paths.js'

export const migrationsDir = join(projectRoot, 'bot', 'store', 'pg', 'migrations')

/** Held while migrating; any number, the same in every instance. */
const MIGRATION_LOCK = 1731700000

export type Migration = { version: number; name: string; sql: string }

export async function readMigrations(dir = migrationsDir): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => /^\d+-[\w-]+\.sql$/.test(f)).sort()
  const migrations = await Promise.all(
    files.map(async (file) => ({
      version: Number(file.slice(0, file.indexOf('-'))),
      name: file.slice(file.indexOf('-') + 1, -4),
      sql: await readFile(join(dir, file), 'utf8'),
    }))
  )
  const versions = new Set(migrations.map((m) => m.version))
  if (versions.size !== migrations.length)
    throw new Error(`Two migrations share a number in ${dir}`)
  return migrations.sort((a, b) => a.version - b.version)
}

/** Applies the migrations not yet applied; returns the versions applied now. */
export async function migrate(pool: Pool, dir = migrationsDir): Promise<number[]> {
  const migrations = await readMigrations(dir)
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK])
    try {
      await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
        version int PRIMARY KEY,
        name text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`)
      const { rows } = await client.query<{ version: number }>(
        'SELECT version FROM schema_migrations'
      )
      const done = new Set(rows.map((r) => r.version))
      const applied: number[] = []
      for (const m of migrations) {
        if (done.has(m.version)) continue
        await client.query('BEGIN')
        try {
          await client.query(m.sql)
          await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
            m.version,
            m.name,
          ])
          await client.query('COMMIT')
        } catch (error) {
          await client.query('ROLLBACK')
          throw new Error(`Migration ${m.version}-${m.name} failed: ${(error as Error).message}`)
        }
        applied.push(m.version)
      }
      return applied
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK])
    }
  } finally {
    client.release()
  }
}
