/**
 * @module bot/cluster/start
 * main.ts's part of running several instances: with DATABASE_URL, the cluster (turn locks, the
 * leader, send claims, change notices) and web chat's shared feeds; without it, this process
 * alone, exactly as before.
 */
import type { DirectLineConversations } from '../channels/direct-line-conversations.js'
import { fileFeedSync } from '../channels/direct-line-file.js'
import { pgFeedSync, type FeedSync } from '../channels/direct-line-sync.js'
import type { Logger } from '../logger.js'
import { singleInstance, type Cluster } from './cluster.js'
import { postgresLimiters, type Limiters } from '../rate-limit.js'
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

export async function startInstances(
  url: string | undefined,
  /** The store: its instance id names this instance; catchUp takes in what the others wrote. */
  store: { readonly instanceId: string; catchUp(): Promise<void> },
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
    afterAcquire: webchatFeed.refresh,
    beforeRelease: webchatFeed.settle,
  })
  logger.info('cluster.joined', { instance: instanceId, leader: cluster.isLeader() })
  return {
    cluster,
    webchatFeed,
    limiters: postgresLimiters(cluster.pool),
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
    },
  }
}
