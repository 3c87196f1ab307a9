/**
 * @module bot/cluster/pg-cluster
 * The cluster over PostgreSQL. Turns hold a session advisory lock per participant on a pool of
 * their own (never the store's, whose flush the turn waits for). One control connection per
 * instance, named `reentry:<id>` in pg_stat_activity (how the others know it is alive), LISTENs
 * for what the others publish and tries the leader lock every few seconds: the instance holding
 * it runs the scheduler until its connection ends, a SIGKILL included, and another takes over.
 * Each try at sending an outbox message is a row in outbox_claims that only one instance can add.
 * https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS
 */
import { createHash, randomBytes } from 'node:crypto'
import pg from 'pg'
import type { Logger } from '../logger.js'
import type { CatchUpStatement } from '../store/store.js'
import { heldKeys, type Cluster } from './cluster.js'
import { coalesced } from './coalesce.js'

/** The leader lock's key: a constant no participant key hashes to in practice. */
const LEADER_KEY = '7310598215830417001'
const CHANNEL = 'reentry_cluster'
/** How often a follower tries to become the leader (and a lost control connection is retried). */
const LEADER_TRY_MS = 1_000

/** A string as an SQL literal (standard_conforming_strings, on since PostgreSQL 9.1). */
const literal = (value: string) => `'${value.replaceAll("'", "''")}'`

/** A signed 64-bit advisory lock key for a participant's key. */
export function lockKey(key: string): string {
  return createHash('sha256').update(key).digest().readBigInt64BE(0).toString()
}

export type PgClusterOptions = {
  url: string
  logger: Logger
  /** Takes in what the other instances wrote (store.catchUp), after a lock is taken. */
  catchUp: () => Promise<void>
  /**
   * The same, its statement sent with the lock's in one round trip (store.catchUpWith): `read`
   * takes the lock, then reads with a snapshot taken once it is held.
   */
  catchUpWith?: (read: (statement: CatchUpStatement) => Promise<unknown[]>) => Promise<void>
  /** Awaited before a web chat turn's lock is let go, and after it is taken (its feed). */
  beforeRelease?: () => Promise<void>
  afterAcquire?: () => Promise<void>
  instanceId?: string
  /** Connections for turn locks: at most this many turns of different people hold one at once. */
  lockConnections?: number
  /** The leader gives up leading when the database has not answered its check for this long. */
  silentAfterMs?: number
  /**
   * How soon PostgreSQL ends a leader's session whose machine went silent (TCP keepalive, in
   * seconds), so the lock goes to another instance; its own default would be two hours.
   */
  keepalive?: { idle: number; interval: number; count: number }
}

/** The leader's check of its connection: a lost network path is silence, not an error. */
const SILENT_AFTER_MS = 5_000
const KEEPALIVE = { idle: 10, interval: 5, count: 3 }

export async function createPgCluster(options: PgClusterOptions): Promise<
  Cluster & {
    /** Called each time this instance becomes the leader (at once if it is now). */
    onLeader(listener: () => void): void
    /** Deletes send claims older than `ms` (a message still "sending" then counts as stopped). */
    pruneClaims(ms: number): Promise<number>
    /** For the cluster's own small queries (rate limits too), never a turn's lock. */
    readonly pool: pg.Pool
  }
> {
  const instanceId = options.instanceId ?? `i_${randomBytes(6).toString('base64url')}`
  const { logger } = options
  const pool = new pg.Pool({
    connectionString: options.url,
    max: options.lockConnections ?? 20,
    application_name: `reentry-locks:${instanceId}`,
  })
  pool.on('error', (error) => logger.warn('cluster.pool_error', { error }))
  // Claims and notices have connections of their own: a turn holding a lock connection may need
  // one, and with every lock connection taken it would wait forever.
  const queries = new pg.Pool({
    connectionString: options.url,
    max: 4,
    application_name: `reentry-cluster:${instanceId}`,
  })
  queries.on('error', (error) => logger.warn('cluster.pool_error', { error }))

  const listeners = new Map<string, Set<(payload: string) => void>>()
  const leaderListeners: (() => void)[] = []
  let control: pg.Client | null = null
  let leader = false
  let closed = false
  let timer: NodeJS.Timeout | undefined

  const keepalive = options.keepalive ?? KEEPALIVE
  /** Drops the control connection: its session, and the leader lock with it, ends. */
  const dropControl = (client: pg.Client) => {
    if (control === client) {
      control = null
      leader = false
    }
    client.end().catch(() => {})
    // A silent network path never delivers the goodbye: close the socket too.
    ;(
      client as unknown as { connection?: { stream?: { destroy(): void } } }
    ).connection?.stream?.destroy()
  }

  const connectControl = async () => {
    const client = new pg.Client({
      connectionString: options.url,
      application_name: `reentry:${instanceId}`,
      keepAlive: true,
      connectionTimeoutMillis: options.silentAfterMs ?? SILENT_AFTER_MS,
      options: `-c tcp_keepalives_idle=${keepalive.idle} -c tcp_keepalives_interval=${keepalive.interval} -c tcp_keepalives_count=${keepalive.count}`,
    })
    client.on('error', (error) => {
      logger.warn('cluster.control_lost', { error })
      dropControl(client)
    })
    client.on('notification', (message) => {
      if (message.channel !== CHANNEL || !message.payload) return
      const { from, topic, payload } = JSON.parse(message.payload) as {
        from: string
        topic: string
        payload: string
      }
      if (from === instanceId) return
      for (const listener of listeners.get(topic) ?? []) listener(payload)
    })
    await client.connect()
    await client.query(`LISTEN ${CHANNEL}`)
    control = client
  }

  /** Whether the control connection still answers, within `silentAfterMs`. */
  const answers = async (client: pg.Client) => {
    let timer: NodeJS.Timeout | undefined
    const silent = new Promise<false>((resolve) => {
      timer = setTimeout(resolve, options.silentAfterMs ?? SILENT_AFTER_MS, false)
    })
    const answered = client.query('SELECT 1').then(
      () => true,
      () => false
    )
    return Promise.race([answered, silent]).finally(() => clearTimeout(timer))
  }

  const tryLead = async () => {
    if (closed) return
    try {
      // A leader cut off from the database (a lost machine or network path) stops leading, so
      // it does not run the scheduler on a stale view; the database ends its session and lock.
      if (leader && control && !(await answers(control))) {
        logger.warn('cluster.leader_lost', { instance: instanceId, reason: 'database silent' })
        dropControl(control)
      }
      if (!control) await connectControl()
      if (!leader && control) {
        const { rows } = await control.query<{ ok: boolean }>(
          'SELECT pg_try_advisory_lock($1) AS ok',
          [LEADER_KEY]
        )
        if (rows[0]?.ok) {
          leader = true
          logger.info('cluster.leader', { instance: instanceId })
          for (const listener of leaderListeners) listener()
        }
      }
    } catch (error) {
      logger.warn('cluster.leader_try_failed', { error })
    }
    if (!closed) timer = setTimeout(tryLead, LEADER_TRY_MS).unref()
  }
  await connectControl()
  await tryLead()

  const catchUp = coalesced(options.catchUp)
  const refresh = async (key?: string) => {
    await catchUp()
    // Web chat's feeds matter to web chat turns (and to live views, which refresh without a key).
    if (key === undefined || key.startsWith('webchat:')) await options.afterAcquire?.()
  }

  /** Lock connections with the catch-up statement prepared. */
  const prepared = new WeakSet<pg.PoolClient>()
  const exclusive = async <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const held = heldKeys.getStore()
    if (held?.has(key)) return task()
    const client = await pool.connect()
    const id = lockKey(key)
    let broken: Error | undefined
    try {
      if (options.catchUpWith) {
        // One simple query: under READ COMMITTED each statement takes its snapshot when it
        // starts, so the catch-up sees every commit made before the lock was ours.
        await options.catchUpWith(async ({ name, text, values }) => {
          const prepare = prepared.has(client) ? '' : `PREPARE ${name} AS ${text}; `
          const results = (await client.query(
            `${prepare}SELECT pg_advisory_lock(${id}); EXECUTE ${name}(${values.map(literal).join(', ')})`
          )) as unknown as pg.QueryResult[]
          prepared.add(client)
          return results[results.length - 1]!.rows
        })
      } else await client.query('SELECT pg_advisory_lock($1)', [id])
      try {
        if (!options.catchUpWith) await catchUp()
        if (key.startsWith('webchat:')) await options.afterAcquire?.()
        return await heldKeys.run(new Set([...(held ?? []), key]), task)
      } finally {
        if (key.startsWith('webchat:')) await options.beforeRelease?.()
        await client.query('SELECT pg_advisory_unlock($1)', [id]).catch((error: Error) => {
          broken = error
        })
      }
    } catch (error) {
      broken ??= error as Error
      throw error
    } finally {
      // A connection whose unlock failed is closed: that lets the lock go as well.
      client.release(broken)
    }
  }

  return {
    instanceId,
    shared: true,
    pool: queries,
    exclusive,
    refresh: () => refresh(),
    isLeader: () => leader && control !== null,
    onLeader(listener) {
      leaderListeners.push(listener)
      if (leader) listener()
    },
    async claimSend(messageId, attempt) {
      const { rowCount } = await queries.query(
        // A claim of an instance that has stopped (between its claim and its first write) is
        // taken over; a live instance's never is.
        `INSERT INTO outbox_claims (message_id, attempt, instance) VALUES ($1, $2, $3)
         ON CONFLICT (message_id, attempt) DO UPDATE
           SET instance = excluded.instance, claimed_at = now()
           WHERE NOT EXISTS (SELECT 1 FROM pg_stat_activity a
                             WHERE a.application_name = 'reentry:' || outbox_claims.instance)`,
        [messageId, attempt, instanceId]
      )
      return rowCount === 1
    },
    async orphaned(messageIds) {
      if (messageIds.length === 0) return []
      const { rows } = await queries.query<{ message_id: string; alive: boolean }>(
        `SELECT c.message_id,
                EXISTS (SELECT 1 FROM pg_stat_activity a
                        WHERE a.application_name = 'reentry:' || c.instance) AS alive
           FROM (SELECT DISTINCT ON (message_id) message_id, instance FROM outbox_claims
                  WHERE message_id = ANY($1) ORDER BY message_id, attempt DESC) c`,
        [messageIds]
      )
      const alive = new Set(rows.filter((r) => r.alive).map((r) => r.message_id))
      return messageIds.filter((id) => !alive.has(id))
    },
    async pruneClaims(ms: number) {
      const { rowCount } = await queries.query(
        "DELETE FROM outbox_claims WHERE claimed_at < now() - $1 * interval '1 millisecond'",
        [ms]
      )
      return rowCount ?? 0
    },
    async publish(topic, payload) {
      await queries.query('SELECT pg_notify($1, $2)', [
        CHANNEL,
        JSON.stringify({ from: instanceId, topic, payload }),
      ])
    },
    async reachable() {
      let timer: NodeJS.Timeout | undefined
      const late = new Promise<false>((resolve) => (timer = setTimeout(resolve, 2_000, false)))
      const asked = queries.query('SELECT 1').then(
        () => true,
        () => false
      )
      return Promise.race([asked, late]).finally(() => clearTimeout(timer))
    },
    subscribe(topic, listener) {
      let set = listeners.get(topic)
      if (!set) listeners.set(topic, (set = new Set()))
      set.add(listener)
      return () => void set.delete(listener)
    },
    async close() {
      closed = true
      clearTimeout(timer)
      leader = false
      await control?.end().catch(() => {})
      control = null
      await pool.end().catch(() => {})
      await queries.end().catch(() => {})
    },
  }
}
