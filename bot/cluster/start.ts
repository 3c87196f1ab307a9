/**
 * @module bot/cluster/start
 * main.ts's part of running several instances: with DATABASE_URL, the cluster (turn locks, the
 * leader, send claims, change notices) and web chat's shared feeds; without it, this process
 * alone, exactly as before.
 */
import type { DirectLineConversations } from '../channels/direct-line-conversations.js'
import { fileFeedSync } from '../channels/direct-line-file.js'
import { pgFeedSync, type FeedSync } from '../channels/direct-line-sync.js'
import pg from 'pg'
import type { Logger } from '../logger.js'
import type { CatchUpStatement } from '../store/store.js'
import { singleInstance, type Cluster } from './cluster.js'
import { limitsPool, postgresLimiters, type Limiters } from '../rate-limit.js'
import { createPgCluster } from './pg-cluster.js'

export type Instances = {
  cluster: Cluster
  webchatFeed?: FeedSync
  /** Several instances: rate limits counted in PostgreSQL. */
  limiters?: Limiters
  /** Once the runtime exists: takes in the web chat feeds the other instances hold. */
  ready(webchat: DirectLineConversations): Promise<void>
  /** Called each time this instance becomes the one that runs the scheduler. */
  onLeader(listener: () => void): void
  /**
   * The leader's retention: send claims and quiet web chat feeds older than a day (one instance:
   * the feeds' file rewritten without the chats no page can open).
   */
  prune(): Promise<void>
  close(): Promise<void>
}

const DAY = 86_400_000

/**
 * PostgreSQL connections one instance may hold when busy: the store's pool (10), turn locks (20),
 * the cluster's, web chat's and the rate limits' small pools (4 + 4 + 4) and three LISTEN or
 * leader connections.
 */
export const CONNECTIONS_PER_INSTANCE = 45
/** Fewer free than this (beyond what the store already holds) and turns cannot run at all. */
const FEWEST_CONNECTIONS = 8

/**
 * Stops start-up with one line when PostgreSQL (its max_connections, or the role's CONNECTION
 * LIMIT) leaves too few connections for an instance to answer anyone, rather than starting
 * healthy-looking and failing every text; warns when it leaves fewer than a busy instance uses.
 */
async function checkConnections(url: string, logger: Logger): Promise<void> {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    const { rows } = await client.query<{ server: number; role: number | null }>(
      `SELECT current_setting('max_connections')::int
              - current_setting('superuser_reserved_connections')::int
              - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')::int
              + 1 AS server,
              (SELECT CASE WHEN r.rolconnlimit < 0 THEN NULL
                           ELSE r.rolconnlimit - (SELECT count(*) FROM pg_stat_activity a
                                                   WHERE a.usename = current_user)::int + 1 END
                 FROM pg_roles r WHERE r.rolname = current_user) AS role`
    )
    const { server, role } = rows[0]!
    const free = Math.min(server, role ?? Infinity)
    if (free < FEWEST_CONNECTIONS) {
      throw new Error(
        `DATABASE_URL: PostgreSQL has ${free} connections left for this role; an instance needs at least ${FEWEST_CONNECTIONS} more (up to ${CONNECTIONS_PER_INSTANCE} in all when busy). Raise max_connections or the role's CONNECTION LIMIT (docs/instances.md).`
      )
    }
    if (free < CONNECTIONS_PER_INSTANCE)
      logger.warn('cluster.connections_few', { free, busy: CONNECTIONS_PER_INSTANCE })
  } finally {
    await client.end()
  }
}

export async function startInstances(
  url: string | undefined,
  /** The store: its instance id names this instance; catchUp takes in what the others wrote. */
  store: {
    readonly instanceId: string
    catchUp(): Promise<void>
    /** The lock's round trip reads the catch-up too (the PostgreSQL store). */
    catchUpWith?(read: (statement: CatchUpStatement) => Promise<unknown[]>): Promise<void>
  },
  logger: Logger,
  /** One instance: web chat's feeds are kept in a file in `dataDir`, so a restart keeps them. */
  local: { dataDir?: string; clock?: () => Date } = {}
): Promise<Instances> {
  let webchat: DirectLineConversations | undefined
  const conversations = () => webchat
  if (!url) {
    const { dataDir, clock } = local
    const webchatFeed = dataDir
      ? fileFeedSync({ dir: dataDir, logger, conversations, ...(clock && { clock }) })
      : undefined
    return {
      cluster: singleInstance,
      webchatFeed,
      async ready(loaded) {
        webchat = loaded
        await webchatFeed?.load()
      },
      onLeader: () => {},
      async prune() {
        if (webchatFeed)
          logger.info('webchat.feed_pruned', { dropped: await webchatFeed.prune(DAY) })
      },
      close: async () => webchatFeed?.close(),
    }
  }
  await checkConnections(url, logger)
  const { instanceId } = store
  const webchatFeed = await pgFeedSync({
    url,
    instanceId,
    logger,
    conversations,
  })
  const cluster = await createPgCluster({
    url,
    logger,
    instanceId,
    catchUp: () => store.catchUp(),
    ...(store.catchUpWith && { catchUpWith: (read) => store.catchUpWith!(read) }),
    afterAcquire: webchatFeed.refresh,
    beforeRelease: webchatFeed.settle,
  })
  logger.info('cluster.joined', { instance: instanceId, leader: cluster.isLeader() })
  const limits = limitsPool(url, instanceId)
  return {
    cluster,
    webchatFeed,
    limiters: postgresLimiters(limits),
    async ready(conversations) {
      webchat = conversations
      await webchatFeed.refresh()
    },
    onLeader: cluster.onLeader,
    async prune() {
      const feed = await webchatFeed.prune(DAY)
      const claims = await cluster.pruneClaims(DAY)
      logger.info('cluster.pruned', { feed, claims })
    },
    async close() {
      await webchatFeed.close()
      await cluster.close()
      await limits.end().catch(() => {})
    },
  }
}
