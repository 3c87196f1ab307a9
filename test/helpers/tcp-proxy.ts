/**
 * A TCP proxy to the test PostgreSQL server (127.0.0.1:5432) that a test stops and starts again:
 * a database outage for the instance behind it, while the server itself is never stopped.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { TestDatabase } from './pg.js'

/**
 * Forwards a local port to PostgreSQL until stopped; stopping cuts every connection. Freezing
 * keeps the connections open but forwards nothing, as a lost network path does; a side closed
 * is still passed on (the test's stand-in for PostgreSQL's TCP keepalive ending a dead session).
 */
export function tcpProxy(port: number) {
  let server: Server | undefined
  const sockets = new Set<Socket>()
  const pairs = new Set<readonly [Socket, Socket]>()
  return {
    url: (db: TestDatabase) => {
      const url = new URL(db.url)
      url.port = String(port)
      return url.toString()
    },
    start: () =>
      new Promise<void>((resolve) => {
        server = createServer((inbound) => {
          const outbound = connect(5432, '127.0.0.1')
          pairs.add([inbound, outbound])
          for (const [s, other] of [
            [inbound, outbound],
            [outbound, inbound],
          ] as const) {
            sockets.add(s)
            s.on('close', () => {
              sockets.delete(s)
              other.destroy()
            })
            s.on('error', () => {})
          }
          inbound.pipe(outbound).pipe(inbound)
        })
        server.listen(port, '127.0.0.1', resolve)
      }),
    /** Bytes go nowhere from now on, both ways, and new connections hang. */
    freeze() {
      for (const [inbound, outbound] of pairs) {
        inbound.unpipe(outbound)
        outbound.unpipe(inbound)
        // Still read (and drop), so a side's close is seen and passed on.
        inbound.on('data', () => {}).resume()
        outbound.on('data', () => {}).resume()
      }
      server?.removeAllListeners('connection')
      server?.on('connection', (socket: Socket) => socket.on('error', () => {}).resume())
    },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        if (!server?.listening) return resolve()
        server.close(() => resolve())
      }),
  }
}
