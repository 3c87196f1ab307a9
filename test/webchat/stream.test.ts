/**
 * Direct Line's WebSocket stream over a real port, as botframework-directlinejs uses it with
 * `webSocket: true`: the streamUrl from starting or resuming, the backlog, every new activity at
 * once, one-time tickets; and the reference's error answers (401, 404 with a JSON body, 200 for
 * a conversation already started).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { listen } from '../helpers/browser.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

type Session = { conversationId: string; token: string; streamUrl?: string }
type ActivitySet = {
  activities: { type: string; text?: string; from: { role?: string } }[]
  watermark: string
}

let t: TestApp
let server: { base: string; close: () => Promise<void> }

beforeAll(async () => {
  t = await makeApp({ now: () => new Date() })
  server = await listen(t.app)
})
afterAll(async () => {
  await server?.close()
  await t?.cleanup()
})

const json = (token?: string) => ({
  'content-type': 'application/json',
  ...(token && { authorization: `Bearer ${token}` }),
})

async function start(): Promise<Session & { status: number }> {
  const generated = (await (
    await fetch(`${server.base}/directline/tokens/generate`, { method: 'POST', headers: json() })
  ).json()) as Session
  const res = await fetch(`${server.base}/directline/conversations`, {
    method: 'POST',
    headers: json(generated.token),
    body: '{}',
  })
  return { ...((await res.json()) as Session), status: res.status }
}

/** Opens the stream and collects what it sends. */
function open(url: string): Promise<{ ws: WebSocket; sets: ActivitySet[] }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url)
    const sets: ActivitySet[] = []
    ws.on('message', (data) => {
      const text = String(data)
      if (text) sets.push(JSON.parse(text) as ActivitySet)
    })
    ws.on('open', () => resolve({ ws, sets }))
    ws.on('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)))
    ws.on('error', reject)
  })
}

const texts = (sets: ActivitySet[]) => sets.flatMap((s) => s.activities.map((a) => a.text ?? ''))

describe('the Direct Line stream', () => {
  it('Should send the greeting and then every new activity at once over the streamUrl', async () => {
    const session = await start()
    expect(session.status).toBe(201)
    expect(session.streamUrl).toMatch(
      new RegExp(
        `^ws://127\\.0\\.0\\.1:\\d+/directline/conversations/${session.conversationId}/stream\\?t=`
      )
    )
    expect(session.streamUrl).not.toContain(session.token.split('.')[1]!)
    const { ws, sets } = await open(session.streamUrl!)
    await expect.poll(() => texts(sets).join('\n')).toContain('Hei! Jeg svarer')
    ws.send('') // directlinejs's keep-alive: ignored
    const posted = await fetch(
      `${server.base}/directline/conversations/${session.conversationId}/activities`,
      {
        method: 'POST',
        headers: json(session.token),
        body: JSON.stringify({ type: 'message', text: 'meny', from: { id: 'x' } }),
      }
    )
    expect(posted.status).toBe(200)
    // The echo and the answer, pushed without polling.
    await expect.poll(() => texts(sets)).toContain('meny')
    await expect.poll(() => texts(sets).join('\n')).toContain('Hva trenger du hjelp med?')
    expect(Number(sets.at(-1)!.watermark)).toBeGreaterThan(1)
    ws.close()

    // A ticket opens one stream, once.
    await expect(open(session.streamUrl!)).rejects.toThrow('HTTP 403')
    await expect(open(session.streamUrl!.replace(/t=[^&]+/, 't=made-up'))).rejects.toThrow(
      'HTTP 403'
    )
  })

  it('Should resume with a watermark: the stream sends only what came after it', async () => {
    const session = await start()
    const resumed = await fetch(
      `${server.base}/directline/conversations/${session.conversationId}?watermark=1`,
      { headers: json(session.token) }
    )
    expect(resumed.status).toBe(200)
    const { streamUrl } = (await resumed.json()) as Session
    expect(streamUrl).toContain('watermark=1')
    const { ws, sets } = await open(streamUrl!)
    await fetch(`${server.base}/directline/conversations/${session.conversationId}/activities`, {
      method: 'POST',
      headers: json(session.token),
      body: JSON.stringify({ type: 'message', text: 'hjelp' }),
    })
    await expect.poll(() => texts(sets)).toContain('hjelp')
    expect(texts(sets).join('\n')).not.toContain('Hei! Jeg svarer') // before the watermark
    ws.close()
  })

  it('Should answer as Direct Line 3.0 does: 401, 404 with a JSON body, 200 when already started', async () => {
    const session = await start()
    const again = await fetch(`${server.base}/directline/conversations`, {
      method: 'POST',
      headers: json(session.token),
      body: '{}',
    })
    expect(again.status).toBe(200)
    expect(((await again.json()) as Session).conversationId).toBe(session.conversationId)

    const anonymous = await fetch(
      `${server.base}/directline/conversations/${session.conversationId}/activities`
    )
    expect(anonymous.status).toBe(401)
    expect(await anonymous.json()).toMatchObject({ error: { code: 'BadArgument' } })

    const missing = await fetch(
      `${server.base}/directline/conversations/${session.conversationId}/nothing`,
      {
        headers: json(session.token),
      }
    )
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toContain('application/json')
    expect(await missing.json()).toMatchObject({ error: { code: 'NotFound' } })
  })
})
