/**
 * @module bot/store/pg/listen
 * A LISTEN connection that comes back: when PostgreSQL restarts or cannot be reached, the
 * connection is tried again (1 s, then longer, at most every 10 s) until it is back, for as long
 * as the outage lasts, and `onConnected` runs each time it is (to take in what was committed
 * meanwhile). Without this an instance stops hearing the others for good after one blip.
 */
import pg from 'pg'
import type { Logger } from '../../logger.js'

const FIRST_RETRY_MS = 1_000
const LONGEST_RETRY_MS = 10_000

export type Listening = { close(): Promise<void> }

export async function keepListening(options: {
  url: string
  channel: string
  applicationName?: string
  logger?: Logger
  /** Names the log events: `${name}.listen_lost` and `${name}.listen_restored`. */
  name: string
  onNotify: (payload: string) => void
  onConnected: () => void
}): Promise<Listening> {
  const { logger, name } = options
  let client: pg.Client | null = null
  let closed = false
  let retry: NodeJS.Timeout | undefined

  const connect = async () => {
    const next = new pg.Client({
      connectionString: options.url,
      ...(options.applicationName && { application_name: options.applicationName }),
    })
    next.on('notification', (n) => options.onNotify(n.payload ?? ''))
    const lost = (error?: Error) => {
      if (client !== next) return
      logger?.warn(`${name}.listen_lost`, { error: error ?? 'connection ended' })
      client = null
      void next.end().catch(() => {})
      reconnect(FIRST_RETRY_MS)
    }
    next.on('error', lost)
    next.on('end', () => lost())
    try {
      await next.connect()
      await next.query(`LISTEN ${options.channel}`)
    } catch (error) {
      void next.end().catch(() => {})
      throw error
    }
    if (closed) return void (await next.end().catch(() => {}))
    client = next
    options.onConnected()
  }

  const reconnect = (wait: number) => {
    if (closed) return
    retry = setTimeout(() => {
      connect().then(
        () => logger?.info(`${name}.listen_restored`, {}),
        () => reconnect(Math.min(wait * 2, LONGEST_RETRY_MS))
      )
    }, wait).unref()
  }

  await connect()
  return {
    async close() {
      closed = true
      clearTimeout(retry)
      const last = client
      client = null
      await last?.end().catch(() => {})
    },
  }
}
