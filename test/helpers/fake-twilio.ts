/**
 * A fake Twilio REST API on a loopback port, and an httpClient for the real twilio SDK that
 * points it there. Records every send; can be told to fail the next requests.
 */
import { serve, type ServerType } from '@hono/node-server'
import { Hono } from 'hono'
import twilio from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'

export type FakeSend = { sid: string; to: string; from?: string; messagingServiceSid?: string; body: string; statusCallback?: string; auth: string }
export type Failure = { status: number; code: number; message: string }

export class FakeTwilio {
  readonly sent: FakeSend[] = []
  readonly failures: Failure[] = []
  #server?: ServerType
  #sequence = 0
  baseUrl = ''

  /** Starts the fake on a free loopback port. */
  async start(): Promise<this> {
    const app = new Hono()
    app.post('/2010-04-01/Accounts/:sid/Messages.json', async (c) => {
      const failure = this.failures.shift()
      if (failure) return c.json({ code: failure.code, message: failure.message, status: failure.status }, failure.status as 400)
      const form = Object.fromEntries(new URLSearchParams(await c.req.text()))
      const sid = `SM${(++this.#sequence).toString(16).padStart(32, '0')}`
      this.sent.push({
        sid,
        to: form.To!,
        from: form.From,
        messagingServiceSid: form.MessagingServiceSid,
        body: form.Body!,
        statusCallback: form.StatusCallback,
        auth: c.req.header('authorization') ?? '',
      })
      return c.json({ sid, status: 'queued', to: form.To, body: form.Body, account_sid: c.req.param('sid') }, 201)
    })
    app.get('/_stats', (c) => c.json({ sent: this.sent.length, unique: new Set(this.sent.map((s) => s.body)).size }))
    await new Promise<void>((resolve) => {
      this.#server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
        this.baseUrl = `http://127.0.0.1:${info.port}`
        resolve()
      })
    })
    return this
  }

  async stop(): Promise<void> {
    await new Promise((resolve) => this.#server?.close(resolve))
  }

  /** A twilio SDK httpClient that sends real HTTP to this fake instead of api.twilio.com. */
  httpClient(): RequestClient {
    const real = new twilio.RequestClient({ keepAlive: true, maxSockets: 64 })
    const client = Object.create(real) as RequestClient
    client.request = (options) =>
      real.request({ ...options, uri: options.uri.replace(/^https:\/\/api\.twilio\.com/, this.baseUrl) })
    return client
  }
}
