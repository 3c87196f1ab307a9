/**
 * Browser tests: Debian's Chromium driven by playwright-core (no browser downloads), and the app
 * on a real loopback port.
 */
import { existsSync } from 'node:fs'
import { serve, type ServerType } from '@hono/node-server'
import type { Hono } from 'hono'
import { chromium, type Browser } from 'playwright-core'
import { afterAll, beforeAll } from 'vitest'
import type { App } from '../../bot/app.js'
import type { StaffRole } from '../../bot/store/schema.js'
import { addStaffMember } from './console.js'
import { makeApp, type TestApp } from './make-app.js'

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Whether a Chromium is installed where the tests look for it. */
export const hasChromium = () => existsSync(CHROMIUM)

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    // This machine has no network but loopback: background calls home only fail slowly.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  })
}

/** Serves the app on 127.0.0.1 with a free port (WebSocket streams too, as main.ts does). */
export function listen(
  app: Hono & Partial<Pick<App, 'upgrade' | 'closeStreams'>>,
  /** A given port: a restart test serves a new app where the old one was. */
  port = 0
): Promise<{ base: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server: ServerType = serve({ fetch: app.fetch, port, hostname: '127.0.0.1' }, (info) =>
      resolve({
        base: `http://127.0.0.1:${info.port}`,
        close: () => {
          app.closeStreams?.()
          const closed = new Promise<void>((done) => server.close(() => done()))
          // A request still open (a browser's poll) would hold the close for minutes: end it,
          // as a stopped server would.
          if ('closeAllConnections' in server) server.closeAllConnections()
          return closed
        },
      })
    )
    server.on('upgrade', (request, socket, head) => {
      if (!app.upgrade?.(request, socket, head)) socket.destroy()
    })
  })
}

/** What a browser test file gets from `browserApp`, filled in before its tests run. */
type MakeAppOptions = Parameters<typeof makeApp>[0]

export type BrowserApp = { t: TestApp; browser: Browser; base: string }

/**
 * The app with these staff accounts on a real port, and Chromium, for one test file: set up
 * before its tests and closed after them (a missing Chromium fails the file, never skips it).
 */
export function browserApp(
  options: MakeAppOptions,
  staff: [username: string, role: StaffRole][] = []
): BrowserApp {
  const suite = {} as BrowserApp
  let close: (() => Promise<void>) | undefined
  beforeAll(async () => {
    if (!hasChromium())
      throw new Error(`Chromium is missing at ${CHROMIUM}: run apt-get install -y chromium`)
    suite.t = await makeApp(options)
    for (const [username, role] of staff) await addStaffMember(suite.t, username, role)
    const server = await listen(suite.t.app)
    suite.base = server.base
    close = server.close
    suite.browser = await launchChromium()
  })
  afterAll(async () => {
    await suite.browser?.close()
    await close?.()
    await suite.t?.runtime.handoffs.settled()
    await suite.t?.cleanup()
  })
  return suite
}

/** A clock that starts at `iso` and moves a second at every reading, so messages keep their order. */
export function tickingClock(iso: string): () => Date {
  let tick = 0
  const start = Date.parse(iso)
  return () => new Date(start + tick++ * 1000)
}
