import { serve, type ServerType } from '@hono/node-server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { inboundForm, messagesOf, signedPost } from '../helpers/twilio.js'

let t: TestApp
let server: ServerType
let base: string

beforeAll(async () => {
  t = await makeApp()
  await new Promise<void>((resolve) => {
    server = serve({ fetch: t.app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
      base = `http://127.0.0.1:${info.port}`
      resolve()
    })
  })
})
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
  await t.cleanup()
})

describe('a real HTTP port', () => {
  it('Should serve /health as JSON', async () => {
    const res = await fetch(`${base}/health`)
    expect(res.status).toBe(200)
    expect(await res.json()).toMatchObject({ status: 'ok' })
  })

  it('Should answer a signed SMS webhook over the socket', async () => {
    const res = await fetch(
      `${base}/sms/twilio`,
      signedPost('/sms/twilio', inboundForm('+4792222222', 'meny'))
    )
    expect(res.status).toBe(200)
    expect(messagesOf(await res.text())[0]).toContain('Hva trenger du hjelp med?')
  })

  it('Should serve the dev phone and run a text through the SMS adapter with segment counts', async () => {
    const page = await fetch(`${base}/dev/phone`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('Dev phone')
    const res = await fetch(`${base}/dev/phone/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+4793333333', body: 'meny' }),
    })
    const data = (await res.json()) as {
      replies: { text: string; encoding: string; segments: number }[]
    }
    expect(data.replies[0]).toMatchObject({ encoding: 'GSM-7', segments: 2 })
    expect(data.replies[0]!.text).toContain('1 NAV og penger')
    const bad = await fetch(`${base}/dev/phone/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"from":"x"}',
    })
    expect(bad.status).toBe(400)
  })

  it('Should show proactive messages from the outbox on the dev phone', async () => {
    await t.runtime.deliverSms('+4793333334', 'Husk timen hos NAV i morgen kl 10.')
    const res = await fetch(`${base}/dev/phone/outbox?to=${encodeURIComponent('+4793333334')}`)
    const data = (await res.json()) as { messages: { text: string; state: string }[] }
    expect(data.messages).toEqual([
      expect.objectContaining({ text: 'Husk timen hos NAV i morgen kl 10.', state: 'sent' }),
    ])
  })

  it('Should keep the dev phone off when configured so', async () => {
    const off = await makeApp({ devPhone: false })
    expect((await off.app.request('/dev/phone')).status).toBe(404)
    await off.cleanup()
  })
})

describe('security headers', () => {
  it.each(['/health', '/dev/phone', '/chat', '/console/login'])('Should send the hardening headers on %s', async (path) => {
    const res = await fetch(`${base}${path}`)
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/)
    expect(res.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/)
    expect(res.headers.get('x-content-type-options')).toBe('nosniff')
    expect(res.headers.get('referrer-policy')).toBe('no-referrer')
  })
})
