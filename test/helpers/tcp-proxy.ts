/**
 * A TCP proxy to the test PostgreSQL server (127.0.0.1:5432) that a test stops and starts again:
 * a database outage for the instance behind it, while the server itself is never stopped.
 */
import { connect, createServer, type Server, type Socket } from 'node:net'
import type { TestDatabase } from './pg.js'

/** Forwards a local port to PostgreSQL until stopped; stopping cuts every connection. */
export function tcpProxy(port: number) {
  let server: Server | undefined
  const sockets = new Set<Socket>()
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
          for (const s of [inbound, outbound]) {
            sockets.add(s)
            s.on('close', () => sockets.delete(s))
            s.on('error', () => {})
          }
          inbound.pipe(outbound).pipe(inbound)
        })
        server.listen(port, '127.0.0.1', resolve)
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy()
        if (!server?.listening) return resolve()
        server.close(() => resolve())
      }),
  }
}
