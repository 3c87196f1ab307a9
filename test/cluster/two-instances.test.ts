/**
 * Two real server processes (bot/main.ts) on one PostgreSQL database, as behind one address:
 * texts from one number to either give one conversation; a chat claimed on one shows on the
 * other's console at once; a campaign of 2,000 to a fake Twilio goes out once even when the
 * instance sending it is killed with SIGKILL part-way (only the messages in flight twice).
 */
import { once } from 'node:events'
import type { Hono } from 'hono'
import pg from 'pg'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashPassword } from '../../bot/console/staff/passwords.js'
import { createI18n } from '../../bot/i18n.js'
import { CampaignInput, createCampaign } from '../../bot/reminders/campaigns.js'
import { PersonInput, savePerson } from '../../bot/reminders/people.js'
import { reminderSettings } from '../../bot/reminders/settings.js'
import { openPgStore } from '../../bot/store/pg/pg-store.js'
import { addStaff } from '../../bot/store/staff.js'
import { ConsoleClient, PASSWORD } from '../helpers/console.js'
import { FakeTwilio } from '../helpers/fake-twilio.js'
import { makeApp, tempDir } from '../helpers/make-app.js'
import { createTestDatabase } from '../helpers/pg.js'
import { startServer } from '../helpers/server-process.js'
import { inboundForm, messagesOf, signedPost } from '../helpers/twilio.js'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

type Server = Awaited<ReturnType<typeof startServer>>
let url = ''
let fake: FakeTwilio
let servers: Server[] = []
/** In-flight sends at once (SMS_DISPATCH_CONCURRENCY): the most a SIGKILL may send twice. */
const IN_FLIGHT = 4

beforeAll(async () => {
  const db = await createTestDatabase()
  cleanups.push(db.drop)
  url = db.url
  fake = await new FakeTwilio().start()
  cleanups.push(() => fake.stop())
  // Staff, as an admin would add them: straight into the database before the servers start.
  const store = await openPgStore(url)
  const passwordHash = await hashPassword(PASSWORD)
  addStaff(store, { id: 's_anne', username: 'anne', role: 'volunteer', passwordHash }, new Date())
  addStaff(store, { id: 's_kari', username: 'kari', role: 'coordinator', passwordHash }, new Date())
  await store.close()
  const settings = {
    DATABASE_URL: url,
    TWILIO_ACCOUNT_SID: 'AC' + '6'.repeat(32),
    TWILIO_FROM: '+4759440000',
    FAKE_TWILIO: fake.baseUrl,
    SCHEDULER_INTERVAL_SECONDS: '1',
    SMS_RATE_PER_SECOND: '300',
    SMS_DISPATCH_CONCURRENCY: String(IN_FLIGHT),
    QUIET_HOURS: 'none',
  }
  const base = 6_100 + Math.floor(Math.random() * 800)
  for (const port of [base, base + 1]) {
    const temp = await tempDir()
    cleanups.push(temp.remove)
    servers.push(
      await startServer(temp.dir, port, cleanups, settings, ['test/fixtures/twilio-redirect.ts'])
    )
  }
}, 120_000)

async function text(server: Server, from: string, body: string): Promise<string[]> {
  const res = await fetch(
    `${server.url}/sms/twilio`,
    signedPost('/sms/twilio', inboundForm(from, body))
  )
  expect(res.status).toBe(200)
  return messagesOf(await res.text())
}

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: url })
  await client.connect()
  try {
    return (await client.query<T>(sql, values)).rows
  } finally {
    await client.end()
  }
}

/** A console client over real HTTP to one server. */
function consoleOf(server: Server): ConsoleClient {
  const app = {
    request: (path: string, init: RequestInit = {}) =>
      fetch(`${server.url}${path}`, { ...init, redirect: 'manual' }),
  }
  return new ConsoleClient(app as unknown as Hono)
}

describe('two instances on one database', { timeout: 400_000 }, () => {
  it('Should give one coherent conversation when texts from one number reach both', async () => {
    const phone = '+4791100001'
    const bodies = ['hei', 'meny', '1', '2', 'english', 'menu', '1', 'norsk', 'meny', '3']
    // What one instance on the embedded store answers to the same texts.
    const single = await makeApp()
    cleanups.push(single.cleanup)
    const expected: string[][] = []
    for (const body of bodies) {
      const res = await single.app.request(
        '/sms/twilio',
        signedPost('/sms/twilio', inboundForm(phone, body))
      )
      expected.push(messagesOf(await res.text()))
    }
    const answers: string[][] = []
    for (const [i, body] of bodies.entries()) answers.push(await text(servers[i % 2]!, phone, body))
    expect(answers).toEqual(expected)
    // Texts at the same moment to both: answered one after the other, all of them.
    const other = '+4791100002'
    const burst = await Promise.all(
      Array.from({ length: 8 }, (_, i) => text(servers[i % 2]!, other, 'meny'))
    )
    for (const reply of burst) expect(reply).toEqual(expected[1])
    const rows = await query<{ n: string }>(
      "SELECT count(*) AS n FROM participants WHERE address = ANY($1)",
      [[phone, other]]
    )
    expect(Number(rows[0]!.n)).toBe(2)
  })

  it("Should show a chat claimed on one instance on the other's console at once", async () => {
    const [a, b] = servers as [Server, Server]
    const phone = '+4791100003'
    await text(a, phone, 'menneske')
    await text(b, phone, 'ja')
    const anne = consoleOf(a)
    expect((await anne.login('anne')).status).toBe(303)
    // A login made on A is good on B at once (sessions are store records).
    const anneOnB = consoleOf(b)
    anneOnB.cookies = new Map(anne.cookies)
    expect((await anneOnB.page('/console')).status).toBe(200)
    const kari = consoleOf(b)
    expect((await kari.login('kari')).status).toBe(303)
    const queue = await kari.page('/console')
    const id = /\/console\/chats\/([A-Za-z0-9_-]+)/.exec(queue.html)?.[1]
    expect(id).toBeTruthy()
    const stream = await kari.get('/console/events')
    expect(stream.status).toBe(200)
    const reader = stream.body!.getReader()
    const decoder = new TextDecoder()
    await reader.read() // the first render
    await anne.page('/console')
    const asked = performance.now()
    expect((await anne.post(`/console/chats/${id}/claim`)).status).toBe(303)
    const claimedAt = performance.now()
    let seen = ''
    while (!seen.includes('Tatt av')) {
      const next = await Promise.race([
        reader.read(),
        new Promise<'late'>((r) => setTimeout(() => r('late'), 3_000)),
      ])
      if (next === 'late' || next.done) break
      seen += decoder.decode(next.value)
    }
    const ms = performance.now() - claimedAt
    console.info(
      `claim on A answered in ${Math.round(claimedAt - asked)} ms; shown on B's queue ${Math.round(ms)} ms after`
    )
    await reader.cancel()
    expect(seen).toContain('Tatt av')
    expect(ms).toBeLessThan(1_000)
  })

  it('Should show a web chat turn run on one instance to a page streaming and polling from the other', async () => {
    const [a, b] = servers as [Server, Server]
    const json = { 'content-type': 'application/json' }
    // The page gets its token from A and starts the conversation there.
    const issued = (await (
      await fetch(`${a.url}/directline/tokens/generate`, { method: 'POST', headers: json, body: '{}' })
    ).json()) as { conversationId: string; token: string }
    const auth = { ...json, authorization: `Bearer ${issued.token}` }
    const started = await fetch(`${a.url}/directline/conversations`, { method: 'POST', headers: auth, body: '{}' })
    expect(started.status).toBe(201)
    const { streamUrl } = (await started.json()) as { streamUrl: string }
    // Its stream is opened on B (the ticket was issued by A).
    const sets: { activities: { text?: string; from: { role?: string } }[] }[] = []
    const ws = new WebSocket(streamUrl.replace(/^wss?:\/\/[^/]+/, b.url.replace('http', 'ws')))
    ws.on('message', (data) => sets.push(JSON.parse(String(data))))
    await once(ws, 'open')
    const path = `/directline/conversations/${issued.conversationId}/activities`
    // A message posted to A: its echo and the bot's answer reach B's stream and B's polls.
    const posted = await fetch(`${a.url}${path}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'message', text: 'meny', from: { id: 'x' } }),
    })
    expect(posted.status).toBe(200)
    const sentAt = performance.now()
    const texts = () => sets.flatMap((set) => set.activities.map((x) => x.text))
    while (!texts().includes('meny') || texts().filter(Boolean).length < 3) {
      if (performance.now() - sentAt > 3_000) break
      await new Promise((r) => setTimeout(r, 10))
    }
    console.info(`web chat turn on A streamed from B within ${Math.round(performance.now() - sentAt)} ms of its answer`)
    ws.close()
    const polledOnB = (await (await fetch(`${b.url}${path}`, { headers: auth })).json()) as {
      activities: { text?: string }[]
      watermark: string
    }
    const polledOnA = (await (await fetch(`${a.url}${path}`, { headers: auth })).json()) as typeof polledOnB
    expect(polledOnB).toEqual(polledOnA)
    expect(polledOnB.activities.map((x) => x.text)).toContain('meny')
    expect(texts()).toEqual(polledOnB.activities.map((x) => x.text))
    // The next message goes to B: it follows on, numbered after A's, on both.
    const again = await fetch(`${b.url}${path}`, {
      method: 'POST',
      headers: auth,
      body: JSON.stringify({ type: 'message', text: '1' }),
    })
    expect(again.status).toBe(200)
    const after = (await (
      await fetch(`${a.url}${path}?watermark=${polledOnB.watermark}`, { headers: auth })
    ).json()) as typeof polledOnB
    expect(after.activities[0]?.text).toBe('1')
    expect(after.activities.length).toBeGreaterThan(1)
  })

  it('Should send a campaign of 2,000 once, though the instance sending it is killed part-way', async () => {
    fake.sent.length = 0
    const count = 2_000
    // A coordinator's campaign, written as a third instance would: both servers take it in.
    const store = await openPgStore(url)
    const now = new Date()
    for (let i = 0; i < count; i++) {
      const input = PersonInput.parse({
        name: `Person ${i}`,
        phone: `+4792${String(i).padStart(6, '0')}`,
        language: 'nb',
        groups: 'alle',
        consent: 'given',
      })
      savePerson(store, input, { now, id: `per_${i}` })
    }
    const deps = {
      store,
      settings: reminderSettings({ QUIET_HOURS: 'none' }),
      texts: createI18n().reminders,
    }
    const input = CampaignInput.parse({ name: 'To', textNb: 'Hei fra oss.', groups: ['alle'] })
    expect(createCampaign(deps, input, { now, id: 'two' }).ok).toBe(true)
    await store.close()

    // Kill whichever instance is sending once a good part has gone.
    while (fake.sent.length < 600) await new Promise((r) => setTimeout(r, 20))
    const roles = await Promise.all(
      servers.map((s) => fetch(`${s.url}/health`).then((r) => r.json() as Promise<{ role: string }>))
    )
    const leader = roles.findIndex((r) => r.role === 'leader')
    expect(leader).toBeGreaterThanOrEqual(0)
    servers[leader]!.child.kill('SIGKILL')
    await once(servers[leader]!.child, 'exit')
    const killedAt = fake.sent.length
    const survivor = servers[1 - leader]!
    servers = [survivor]

    const numbers = () => new Set(fake.sent.map((s) => s.to)).size
    const until = Date.now() + 300_000
    while (numbers() < count && Date.now() < until) await new Promise((r) => setTimeout(r, 100))
    await new Promise((r) => setTimeout(r, 1_500))
    const duplicates = fake.sent.length - numbers()
    const report = `killed after ${killedAt} sends; ${fake.sent.length} sends to ${numbers()} numbers, ${duplicates} twice`
    console.info(report)
    expect(numbers(), report).toBe(count)
    expect(duplicates, report).toBeLessThanOrEqual(IN_FLIGHT)
    expect(killedAt, report).toBeLessThan(count)
    const health = (await fetch(`${survivor.url}/health`).then((r) => r.json())) as { role: string }
    expect(health.role).toBe('leader')
    const states = await query<{ state: string; n: string }>(
      "SELECT record->>'state' AS state, count(*) AS n FROM outbox GROUP BY 1"
    )
    expect(Object.fromEntries(states.map((r) => [r.state, Number(r.n)]))).toMatchObject({
      sent: count,
    })
  })
})
