/**
 * @module bot/rate-limit
 * Fixed-window limits per key (a phone number, an IP), over rate-limiter-flexible: its in-memory
 * counter for one process, or its PostgreSQL store when several instances share one database, so
 * a limit holds whichever instance a request reaches.
 */
import pg from 'pg'
import {
  RateLimiterMemory,
  RateLimiterPostgres,
  type RateLimiterAbstract,
} from 'rate-limiter-flexible'

export type KeyLimit = { allow(key: string): Promise<boolean> }

/** Makes one limiter; `name` keeps its keys apart from the others' in a shared table. */
export type Limiters = ((name: string, points: number, seconds: number) => RateLimiterAbstract) & {
  /**
   * The shared table only: forgets every key of limiter `name` that starts with `prefix` (an
   * admin's unlock clears a name's locks from every address, which cannot be listed otherwise).
   */
  forget?(name: string, prefix: string): Promise<void>
}

/** One process: counts in memory. */
export const memoryLimiters: Limiters = (_name, points, seconds) =>
  new RateLimiterMemory({ points, duration: seconds })

/** Made by bot/store/pg/migrations/002-cluster.sql. */
export const LIMITS_TABLE = 'rate_limits'

/**
 * The connections several instances count on: each count is its own transaction, committed with
 * synchronous_commit off, so an SMS does not wait for a disk sync of its count (under load that
 * sync was most of what the upsert waited for). A database crash forgets at most the counts of
 * its last fraction of a second: a few more texts or login tries let through, nothing else.
 * https://www.postgresql.org/docs/15/wal-async-commit.html
 */
export function limitsPool(url: string, instanceId: string): pg.Pool {
  const pool = new pg.Pool({
    connectionString: url,
    max: 4,
    application_name: `reentry-limits:${instanceId}`,
    options: '-c synchronous_commit=off',
  })
  pool.on('error', () => {})
  return pool
}

/** Several instances: counts in PostgreSQL, one row per key. */
export function postgresLimiters(pool: pg.Pool): Limiters {
  const make = (name: string, points: number, seconds: number) =>
    new RateLimiterPostgres({
      storeClient: pool,
      storeType: 'pool',
      tableName: LIMITS_TABLE,
      tableCreated: true,
      keyPrefix: name,
      points,
      duration: seconds,
      // The database out of reach for a moment: this instance counts on its own meanwhile.
      insuranceLimiter: new RateLimiterMemory({ points, duration: seconds }),
    })
  // rate-limiter-flexible stores a key as `${keyPrefix}:${key}`.
  const forget = async (name: string, prefix: string) =>
    void (await pool.query(`DELETE FROM ${LIMITS_TABLE} WHERE starts_with(key, $1)`, [
      `${name}:${prefix}`,
    ]))
  return Object.assign(make, { forget })
}

/** Allows `points` calls per key every `seconds`. */
export function perKeyLimit(
  points: number,
  seconds: number,
  limiters: Limiters = memoryLimiters,
  name = 'limit'
): KeyLimit {
  const limiter = limiters(name, points, seconds)
  return {
    allow: (key) =>
      limiter.consume(key).then(
        () => true,
        () => false
      ),
  }
}
