/**
 * @module bot/channels/direct-line-sync
 * Web chat's feeds on several instances: every change to a conversation (created, a token, an
 * activity, a stream ticket) is written to the webchat_feed table and NOTIFYed, and every
 * instance applies the others' changes in the order they were written, so a page may poll or
 * stream from any instance. A turn writes its changes before its lock is let go (cluster.ts),
 * so the next turn, wherever it runs, numbers its activities after them. Rows are ordered by a
 * transaction lock on insert, so a reader never skips one that commits late. After SLETT the
 * conversation's earlier activities are deleted from the table as well.
 */
import pg from 'pg'
import type { Logger } from '../logger.js'
import { keepListening } from '../store/pg/listen.js'
import { coalesced } from '../cluster/coalesce.js'
import type { DirectLineConversations, FeedEvent } from './direct-line-conversations.js'

const CHANNEL = 'reentry_webchat'
/** Serialises inserts, so sequence order is commit order. */
const INSERT_LOCK = '7310598215830417003'
/** A reader that heard nothing still looks this often (a NOTIFY lost with a connection). */
const POLL_MS = 2_000

export type FeedSync = {
  /** Records a change made here (DirectLineConversations' onChange). */
  emit(event: FeedEvent): void
  /** Resolves once every change made here so far is in the table. */
  settle(): Promise<void>
  /** Applies what the other instances wrote up to now. */
  refresh(): Promise<void>
  /** Deletes rows of conversations quiet for longer than `ms`. */
  prune(ms: number): Promise<number>
  close(): Promise<void>
}

const conversationOf = (event: FeedEvent) =>
  event.kind === 'ticket' ? event.conversationId : event.kind === 'redeem' ? '' : event.id

export async function pgFeedSync(options: {
  url: string
  instanceId: string
  logger: Logger
  /** Undefined until the runtime exists: nothing is read before (start.ts's ready reads). */
  conversations: () => DirectLineConversations | undefined
}): Promise<FeedSync> {
  const { instanceId, logger } = options
  const pool = new pg.Pool({
    connectionString: options.url,
    max: 4,
    application_name: `reentry-feed:${instanceId}`,
  })
  pool.on('error', (error) => logger.warn('webchat.feed_pool_error', { error }))

  let queue: FeedEvent[] = []
  let writing: Promise<void> | null = null
  const writeAll = async () => {
    while (queue.length > 0) {
      const batch = queue
      queue = []
      const client = await pool.connect()
      try {
        await client.query('BEGIN')
        await client.query('SELECT pg_advisory_xact_lock($1)', [INSERT_LOCK])
        await client.query(
          `INSERT INTO webchat_feed (instance, conversation_id, event)
           SELECT $1, e->>'c', e->'e' FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY t(e, n)
           ORDER BY n`,
          [instanceId, JSON.stringify(batch.map((e) => ({ c: conversationOf(e), e })))]
        )
        // After SLETT: the texts before it leave the table too, not only the pages.
        const cleared = batch.filter((e) => e.kind === 'clear').map((e) => e.id)
        if (cleared.length > 0)
          await client.query(
            `DELETE FROM webchat_feed WHERE conversation_id = ANY($1) AND event->>'kind' = 'append'
               AND seq < (SELECT max(seq) FROM webchat_feed WHERE conversation_id = ANY($1)
                           AND event->>'kind' = 'clear')`,
            [cleared]
          )
        await client.query(`SELECT pg_notify('${CHANNEL}', '')`)
        await client.query('COMMIT')
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {})
        queue = [...batch, ...queue]
        throw error
      } finally {
        client.release()
      }
    }
  }
  const settle = async () => {
    while (queue.length > 0 || writing) {
      writing ??= writeAll().finally(() => (writing = null))
      await writing
    }
  }

  let last = '0'
  const readNew = async () => {
    if (!options.conversations()) return
    const { rows } = await pool.query<{ seq: string; instance: string; event: FeedEvent }>(
      'SELECT seq, instance, event FROM webchat_feed WHERE seq > $1 ORDER BY seq',
      [last]
    )
    const conversations = options.conversations()!
    for (const row of rows) {
      if (row.instance !== instanceId) conversations.apply(row.event)
      last = row.seq
    }
  }
  /** Each caller sees every row committed before it asked; callers share reads (coalesce.ts). */
  const refresh = coalesced(() =>
    readNew().catch((error: unknown) => logger.warn('webchat.feed_read_failed', { error }))
  )

  // Lost with the database for a moment, it comes back and reads what it missed.
  const listener = await keepListening({
    url: options.url,
    channel: CHANNEL,
    applicationName: `reentry-feed:${instanceId}`,
    name: 'webchat.feed',
    logger,
    onNotify: () => void refresh(),
    onConnected: () => void refresh(),
  })
  const poll = setInterval(() => void refresh(), POLL_MS).unref()
  await refresh()

  return {
    emit(event) {
      queue.push(event)
      void settle().catch((error: unknown) => logger.error('webchat.feed_write_failed', { error }))
    },
    settle,
    refresh,
    async prune(ms) {
      const { rowCount } = await pool.query(
        `DELETE FROM webchat_feed f WHERE f.at < now() - $1 * interval '1 millisecond'
           AND NOT EXISTS (SELECT 1 FROM webchat_feed g WHERE g.conversation_id = f.conversation_id
                           AND g.at >= now() - $1 * interval '1 millisecond')`,
        [ms]
      )
      return rowCount ?? 0
    },
    async close() {
      clearInterval(poll)
      await settle().catch(() => {})
      await listener.close()
      await pool.end().catch(() => {})
    },
  }
}
