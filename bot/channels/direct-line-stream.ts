/**
 * @module bot/channels/direct-line-stream
 * Direct Line's WebSocket stream: the `streamUrl` a started conversation gets opens a socket that
 * receives every new activity at once, as an ActivitySet `{ activities, watermark }`, as Web Chat
 * and botframework-directlinejs expect with `webSocket: true`. Polling stays for clients that
 * cannot. A stream URL carries a one-time ticket, never the bearer token; a socket only listens
 * (the client's empty keep-alive messages are ignored).
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-receive-activities
 */
import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import type {
  DirectLineConversation,
  DirectLineConversations,
} from './direct-line-conversations.js'

const STREAM_PATH = /^(.*)\/conversations\/([A-Za-z0-9_-]{1,64})\/stream$/
/** A ping keeps proxies from closing a quiet socket, and finds dead ones. */
const PING_MS = 30_000

/** Takes an HTTP upgrade request; false when it is not for this server (someone else's). */
export type UpgradeHandler = (request: IncomingMessage, socket: Duplex, head: Buffer) => boolean

export function directLineStreams(
  conversations: DirectLineConversations,
  mountPath: string,
  /** Several instances: takes in tickets issued on the others. */
  refresh?: () => Promise<void>
) {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 1024 })

  const upgrade: UpgradeHandler = (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://localhost')
    const match = STREAM_PATH.exec(url.pathname)
    if (!match || match[1] !== mountPath) return false
    const open = () => {
      const conversation = conversations.redeemTicket(url.searchParams.get('t') ?? '')
      if (!conversation || conversation.id !== match[2]) return false
      const watermark = /^\d{1,9}$/.test(url.searchParams.get('watermark') ?? '')
        ? Number(url.searchParams.get('watermark'))
        : undefined
      sockets.handleUpgrade(request, socket, head, (ws) =>
        attach(conversations, conversation, ws, watermark)
      )
      return true
    }
    const refuse = () =>
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
    // A ticket another instance issued a moment ago may not be here yet.
    if (!open()) {
      if (refresh) void refresh().then(() => open() || refuse(), refuse)
      else refuse()
    }
    return true
  }

  return {
    upgrade,
    /** Closes every open stream (shutdown). */
    close() {
      for (const ws of sockets.clients) ws.terminate()
      sockets.close()
    },
  }
}

/** The stream of one conversation: what the watermark has not seen, then every new activity. */
function attach(
  conversations: DirectLineConversations,
  conversation: DirectLineConversation,
  ws: WebSocket,
  watermark: number | undefined
) {
  const send = (set: { activities: unknown[]; watermark: string }) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(set))
  }
  const backlog = conversations.since(conversation, watermark)
  if (backlog.activities.length > 0) send(backlog)
  const listeners = (conversation.listeners ??= new Set())
  listeners.add(send)
  let alive = true
  ws.on('pong', () => (alive = true))
  const ping = setInterval(() => {
    if (!alive) return ws.terminate()
    alive = false
    ws.ping()
  }, PING_MS)
  ping.unref()
  ws.on('close', () => {
    listeners.delete(send)
    clearInterval(ping)
  })
  ws.on('error', () => ws.terminate())
}
