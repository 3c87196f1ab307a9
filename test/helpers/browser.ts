/**
 * Browser tests: Debian's Chromium driven by playwright-core (no browser downloads), and the app
 * on a real loopback port.
 */
import { existsSync } from 'node:fs'
import { serve, type ServerType } from '@hono/node-server'
import type { Hono } from 'hono'
import { chromium, type Browser } from 'playwright-core'
import type { App } from '../../bot/app.js'

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
          return new Promise<void>((done) => server.close(() => done()))
        },
      })
    )
    server.on('upgrade', (request, socket, head) => {
      if (!app.upgrade?.(request, socket, head)) socket.destroy()
    })
  })
}
