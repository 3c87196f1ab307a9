/**
 * @module bot/channels/direct-line-file
 * Web chat's feeds on the embedded store: every change to a conversation (created, a token, an
 * activity) is appended to DATA_DIR/webchat-feed.jsonl and synced before the page is answered,
 * so after a restart (or kill -9) an open page goes on with the same conversation, its history
 * and watermark, and a volunteer's reply sent meanwhile still reaches it. Stream tickets are not
 * kept (they live a minute; a page asks for a new stream). The file is rewritten from what is in
 * memory when it grows long, at start-up, at retention and after SLETT, so the deleted texts
 * leave the disk at once; a rewrite keeps only conversations a page can still open.
 */
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger.js'
import { appendSynced, parseLines, replaceFile } from '../store/jsonl-file.js'
import type { DirectLineConversations, FeedEvent } from './direct-line-conversations.js'
import type { FeedSync } from './direct-line-sync.js'

export const FEED_FILE = 'webchat-feed.jsonl'
/** A file this many lines longer than what it rebuilds is rewritten. */
const SLACK_LINES = 20_000

export function fileFeedSync(options: {
  dir: string
  logger: Logger
  /** Set before `load` (start.ts's ready). */
  conversations: () => DirectLineConversations | undefined
  clock?: () => Date
}): FeedSync & { load(): Promise<void> } {
  const { logger } = options
  const path = join(options.dir, FEED_FILE)
  const now = () => (options.clock?.() ?? new Date()).getTime()
  let queue: FeedEvent[] = []
  let rewrite = false
  let lines = 0
  let live = 0
  let writing: Promise<void> | null = null

  /** Everything in memory, without the conversations nobody can open. */
  const snapshot = () => {
    const conversations = options.conversations()!
    conversations.dropExpired(now())
    const events = [...conversations.events()]
    live = events.length
    return events.map((e) => JSON.stringify(e) + '\n').join('')
  }

  const writeAll = async () => {
    while (queue.length > 0 || rewrite) {
      if (rewrite || lines > live + SLACK_LINES) {
        // What is in memory already holds every queued change (each is told after it is made).
        rewrite = false
        queue = []
        const text = snapshot()
        try {
          await replaceFile(path, text)
        } catch (error) {
          rewrite = true
          throw error
        }
        lines = live
        continue
      }
      const batch = queue
      queue = []
      // After SLETT the texts before it must leave the disk: the rewrite above holds the batch.
      if (batch.some((e) => e.kind === 'clear')) {
        rewrite = true
        continue
      }
      try {
        await appendSynced(path, batch.map((e) => JSON.stringify(e) + '\n').join(''), (bytes) =>
          logger.warn('webchat.feed_torn_line_cut', { bytes })
        )
        lines += batch.length
      } catch (error) {
        queue = [...batch, ...queue]
        throw error
      }
    }
  }
  const settle = async () => {
    while (queue.length > 0 || rewrite || writing) {
      writing ??= writeAll().finally(() => (writing = null))
      await writing
    }
  }

  return {
    /** Takes in the file a stopped process left (a torn last line is skipped), then rewrites it. */
    async load() {
      const text = await readFile(path, 'utf8').catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT') return ''
        throw error
      })
      const conversations = options.conversations()!
      for (const event of parseLines<FeedEvent>(text, () =>
        logger.warn('webchat.feed_line_skipped', {})
      ))
        conversations.apply(event)
      // Rewritten without what a page can no longer open (nothing to write on a first start).
      rewrite = text.length > 0
      await settle()
      logger.info('webchat.feed_loaded', { conversations: conversations.size })
    },
    emit(event) {
      if (event.kind === 'ticket' || event.kind === 'redeem') return
      queue.push(event)
      void settle().catch((error: unknown) => logger.error('webchat.feed_write_failed', { error }))
    },
    settle,
    refresh: async () => {},
    async prune() {
      const before = options.conversations()!.size
      rewrite = true
      await settle()
      return before - options.conversations()!.size
    },
    async close() {
      await settle().catch(() => {})
    },
  }
}
