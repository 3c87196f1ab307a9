/**
 * A question the bot asked is answered wherever the answer lands: two instances (two runtimes,
 * as main.ts wires them) on one PostgreSQL database, the answer on the instance that did not ask.
 * Finding 6 of the outside review of issue 17: SLETT during a chat with a person, then "1" on
 * the other instance, was silence, deleted nothing and went to the volunteers.
 */
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { text } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/pg.js'

let db: TestDatabase
let a: TestApp
let b: TestApp
beforeAll(async () => {
  db = await createMigratedTestDatabase()
  // A low limit per number, counted in the database across both (the SLETT flows stay under it).
  const config = { SMS_LIMIT_PER_NUMBER: 8 }
  a = await makeApp({ databaseUrl: db.url, config })
  b = await makeApp({ databaseUrl: db.url, config })
}, 60_000)
afterAll(async () => {
  for (const t of [a, b]) {
    await t?.runtime.handoffs.settled()
    await t?.cleanup()
  }
  await db?.drop()
})

async function query<T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) {
  const client = new pg.Client({ connectionString: db.url })
  await client.connect()
  try {
    return (await client.query<T>(sql, values)).rows
  } finally {
    await client.end()
  }
}

const said = async (t: TestApp, phone: string, body: string) =>
  (await text(t, phone, body)).join('\n')

/** A chat with a person open for this number (asked for and agreed to on A). */
async function inChat(phone: string): Promise<string> {
  await said(a, phone, 'menneske')
  await said(a, phone, 'ja')
  expect(await said(a, phone, 'hei der')).toBe('')
  const rows = await query<{ id: string }>(
    'SELECT h.key AS id FROM handoffs h JOIN participants p ON p.key = h.participant_id WHERE p.address = $1',
    [phone]
  )
  expect(rows).toHaveLength(1)
  return rows[0]!.id
}

const rowsAbout = async (phone: string) =>
  Number(
    (
      await query<{ n: string }>('SELECT count(*) AS n FROM participants WHERE address = $1', [
        phone,
      ])
    )[0]!.n
  )

describe(
  "SLETT's question during a chat with a person, on two instances",
  { timeout: 60_000 },
  () => {
    it('Should delete everything when the yes reaches the instance that did not ask (SMS)', async () => {
      const phone = '+4791300001'
      await inChat(phone)
      expect(await said(a, phone, 'SLETT')).toContain('Vil du slette alt')
      expect(await said(b, phone, '1')).toContain('Vi har slettet alt')
      expect(await rowsAbout(phone)).toBe(0)
      // The next message, on either instance, starts a new conversation with the bot.
      expect(await said(a, phone, 'meny')).toContain('Hva trenger du hjelp med?')
    })

    it('Should keep the chat when the no reaches the other instance, and ask only once', async () => {
      const phone = '+4791300002'
      const id = await inChat(phone)
      expect(await said(b, phone, 'slett')).toContain('Vil du slette alt')
      expect(await said(a, phone, 'nei')).toContain('ingenting er slettet')
      // The question was answered: a later "1" is a message to the person, not a yes.
      expect(await said(b, phone, '1')).toBe('')
      expect(await said(a, phone, '1')).toBe('')
      expect(await rowsAbout(phone)).toBe(1)
      expect((await query('SELECT 1 FROM handoffs WHERE key = $1', [id])).length).toBe(1)
    })

    it('Should drop the question when the next message is something else, wherever it lands', async () => {
      const phone = '+4791300003'
      await inChat(phone)
      expect(await said(a, phone, 'slett')).toContain('Vil du slette alt')
      expect(await said(b, phone, 'er du der?')).toBe('')
      expect(await said(a, phone, '1')).toBe('')
      expect(await rowsAbout(phone)).toBe(1)
    })

    it('Should delete everything when the yes reaches the other instance (web chat)', async () => {
      const chat = await startChat(a)
      for (const body of ['menneske', 'ja', 'hei der', 'SLETT']) await say(a, chat, body)
      expect(await lastTexts(a, chat)).toEqual([expect.stringContaining('Vil du slette alt')])
      const participant = await participantOf(chat)
      await say(b, chat, '1')
      expect(await lastTexts(b, chat)).toEqual([expect.stringContaining('Vi har slettet alt')])
      expect(await query('SELECT 1 FROM participants WHERE key = $1', [participant])).toEqual([])
      expect(
        await query('SELECT 1 FROM handoffs WHERE participant_id = $1', [participant])
      ).toEqual([])
    })
  }
)

describe(
  'Other questions the bot asks, answered on the other instance',
  { timeout: 60_000 },
  () => {
    it('Should answer every question the same as one instance does, the answers alternating', async () => {
      // The consent question, a 'did you mean', the needs checklist, a crisis check, SLETT's no.
      const script = [
        ['permis', '1', 'meny', '2', '1'],
        ['kartlegg', '3', '2', '2', '4', '3', '1'],
        ['alt er så håpløst', 'nei', 'slett', 'nei', 'menneske', 'ja', 'hei der'],
      ]
      const single = await makeApp()
      try {
        for (const [i, bodies] of script.entries()) {
          const phone = `+479130002${i}`
          const expected: string[] = []
          for (const body of bodies) expected.push(await said(single, phone, body))
          const answers: string[] = []
          for (const [j, body] of bodies.entries())
            answers.push(await said(j % 2 ? b : a, phone, body))
          expect(answers).toEqual(expected)
        }
      } finally {
        await single.runtime.handoffs.settled()
        await single.cleanup()
      }
    })

    it('Should answer the JA to a crisis check past the rate limit, wherever it lands', async () => {
      const phone = '+4791300010'
      for (let i = 0; i < 7; i++) await said(i % 2 ? b : a, phone, 'meny')
      expect(await said(a, phone, 'alt er så håpløst')).toContain('svar JA')
      const reply = await said(b, phone, 'ja')
      expect(reply).toContain('113')
      expect(reply).toContain('En av oss')
    })

    it("Should give the volunteer today's texts from both instances once they agree", async () => {
      const phone = '+4791300030'
      // Written before any consent: held in memory only, on whichever instance they reached.
      await said(a, phone, 'hvor kan jeg sove i natt')
      await said(b, phone, 'har ikke penger til mat')
      await said(a, phone, 'menneske')
      await said(b, phone, 'ja')
      const texts = async () =>
        (
          await query<{ text: string }>(
            `SELECT t.entry->>'text' AS text FROM transcripts t JOIN participants p
             ON p.key = t.participant_id WHERE p.address = $1 AND t.direction = 'in' ORDER BY t.at, t.id`,
            [phone]
          )
        ).map((r) => r.text)
      const all = ['hvor kan jeg sove i natt', 'har ikke penger til mat', 'menneske', 'ja']
      for (let i = 0; i < 40 && (await texts()).length < all.length; i++) await sleep(50)
      expect(new Set(await texts())).toEqual(new Set(all))
    })

    it('Should let the texts go on every instance when a chat opens without consent', async () => {
      const phone = '+4791300031'
      await said(a, phone, 'hemmelig tekst')
      // A crisis opens an urgent chat unasked: what came before is never shown, so it goes.
      expect(await said(b, phone, 'vil ikke leve mer')).toContain('113')
      expect(await said(b, phone, 'avslutt')).not.toBe('')
      await said(b, phone, 'menneske')
      await said(b, phone, 'ja')
      await sleep(500)
      const rows = await query<{ text: string }>(
        `SELECT t.entry->>'text' AS text FROM transcripts t JOIN participants p
         ON p.key = t.participant_id WHERE p.address = $1`,
        [phone]
      )
      expect(rows.map((r) => r.text)).toContain('ja')
      expect(rows.map((r) => r.text)).not.toContain('hemmelig tekst')
    })
  }
)

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

type Chat = { conversationId: string; token: string }
/** A client address for app.request(), as @hono/node-server's socket would give it. */
const from = { incoming: { socket: { remoteAddress: '192.0.2.7' } } }
const json = (token?: string) => ({
  'content-type': 'application/json',
  ...(token && { authorization: `Bearer ${token}` }),
})

/** What Web Chat does: a token, then the conversation started (on the instance given). */
async function startChat(t: TestApp): Promise<Chat> {
  const body = JSON.stringify({ locale: 'nb-NO' })
  const generated = await t.app.request(
    '/directline/tokens/generate',
    { method: 'POST', headers: json(), body },
    from
  )
  const chat = (await generated.json()) as Chat
  const started = await t.app.request(
    '/directline/conversations',
    { method: 'POST', headers: json(chat.token), body },
    from
  )
  expect(started.status).toBe(201)
  return chat
}

async function say(t: TestApp, chat: Chat, body: string): Promise<void> {
  const activity = { type: 'message', text: body, from: { id: 'someone' } }
  const res = await t.app.request(
    `/directline/conversations/${chat.conversationId}/activities`,
    { method: 'POST', headers: json(chat.token), body: JSON.stringify(activity) },
    from
  )
  expect(res.status).toBe(200)
}

/** The bot's messages after the participant's last one, as the feed on that instance shows them. */
async function lastTexts(t: TestApp, chat: Chat): Promise<string[]> {
  const res = await t.app.request(`/directline/conversations/${chat.conversationId}/activities`, {
    headers: json(chat.token),
  })
  const { activities } = (await res.json()) as {
    activities: { type: string; text?: string; from: { role?: string } }[]
  }
  const messages = activities.filter((x) => x.type === 'message')
  const bot = messages.map((x) => (x.from.role === 'user' ? undefined : (x.text ?? '')))
  return bot.slice(bot.lastIndexOf(undefined) + 1) as string[]
}

async function participantOf(chat: Chat): Promise<string> {
  const rows = await query<{ key: string }>(
    "SELECT key FROM participants WHERE channel = 'webchat' AND address = $1",
    [chat.conversationId]
  )
  expect(rows).toHaveLength(1)
  return rows[0]!.key
}
