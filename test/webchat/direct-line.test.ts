import { readFile, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { FEED_FILE } from '../../bot/channels/direct-line-file.js'
import { DirectLineConversations } from '../../bot/channels/direct-line-conversations.js'
import { findParticipant } from '../../bot/store/participants.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

type Session = { conversationId: string; token: string; expires_in: number; userId: string }
type Feed = { activities: Record<string, any>[]; watermark: string }

let t: TestApp
afterEach(async () => t?.cleanup())

/** A client address for app.request(), as @hono/node-server's socket would give it. */
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } })

const bearer = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': 'application/json',
})

async function generate(address = '192.0.2.1', body: unknown = {}) {
  return t.app.request(
    '/directline/tokens/generate',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
    from(address)
  )
}

/** What Web Chat does: get a token, start the conversation. */
async function startChat(address = '192.0.2.1', locale = 'nb-NO'): Promise<Session> {
  const session = (await (await generate(address, { locale })).json()) as Session
  const started = await t.app.request(
    '/directline/conversations',
    { method: 'POST', headers: bearer(session.token), body: JSON.stringify({ locale }) },
    from(address)
  )
  expect(started.status).toBe(201)
  return session
}

function post(
  session: Session,
  activity: unknown,
  address = '192.0.2.1',
  id = session.conversationId
) {
  return t.app.request(
    `/directline/conversations/${id}/activities`,
    { method: 'POST', headers: bearer(session.token), body: JSON.stringify(activity) },
    from(address)
  )
}

const say = (session: Session, text: string, clientActivityID = `c-${text}`) =>
  post(session, {
    type: 'message',
    text,
    from: { id: 'someone-else' },
    channelData: { clientActivityID },
  })

async function feed(session: Session, watermark?: string): Promise<Feed> {
  const query = watermark === undefined ? '' : `?watermark=${watermark}`
  const res = await t.app.request(
    `/directline/conversations/${session.conversationId}/activities${query}`,
    {
      headers: bearer(session.token),
    }
  )
  expect(res.status).toBe(200)
  return (await res.json()) as Feed
}

describe('Direct Line: tokens', () => {
  it('Should hand out a random token bound to a new conversation and greet when it starts', async () => {
    t = await makeApp()
    const a = (await (await generate()).json()) as Session
    const b = (await (await generate()).json()) as Session
    expect(a.token).not.toBe(b.token)
    expect(a.conversationId).not.toBe(b.conversationId)
    expect(a.token).toMatch(/^dl_[\w-]+\.[\w-]{43}$/)
    expect(a.expires_in).toBe(30 * 60)

    const session = await startChat()
    const { activities } = await feed(session)
    expect(activities).toHaveLength(1)
    expect(activities[0]).toMatchObject({ type: 'message', from: { role: 'bot' } })
    expect(activities[0]!.text).toContain('Hei!')
    // Starting again (Web Chat reconnecting) does not greet twice.
    await t.app.request('/directline/conversations', {
      method: 'POST',
      headers: bearer(session.token),
    })
    expect((await feed(session)).activities).toHaveLength(1)
  })

  it('Should greet in English when the browser asks for English', async () => {
    t = await makeApp()
    const session = await startChat('192.0.2.1', 'en-US')
    expect((await feed(session)).activities[0]!.text).toMatch(/^Hi! I answer/)
  })

  it('Should answer 401 without a usable Authorization header and 403 to a wrong token, on every call', async () => {
    t = await makeApp()
    const session = await startChat()
    const wrong = { ...session, token: `${session.conversationId}.${'A'.repeat(43)}` }
    const paths: [string, string][] = [
      ['POST', '/directline/conversations'],
      ['GET', `/directline/conversations/${session.conversationId}`],
      ['GET', `/directline/conversations/${session.conversationId}/activities`],
      ['POST', `/directline/conversations/${session.conversationId}/activities`],
      ['POST', '/directline/tokens/refresh'],
    ]
    for (const [method, path] of paths) {
      // Direct Line 3.0: 401 when the header is missing or malformed, 403 for a bad token.
      const attempts: [Record<string, string>, number][] = [
        [{}, 401],
        [{ authorization: session.token }, 401],
        [bearer(wrong.token), 403],
        [bearer('garbage'), 403],
      ]
      for (const [headers, status] of attempts) {
        const res = await t.app.request(path, {
          method,
          headers,
          body: method === 'POST' ? JSON.stringify({ type: 'message', text: 'hei' }) : undefined,
        })
        expect(res.status, `${method} ${path} ${JSON.stringify(headers)}`).toBe(status)
        expect(((await res.json()) as { error: { code: string } }).error.code).toBeTruthy()
      }
    }
    expect((await feed(session)).activities).toHaveLength(1)
  })

  it('Should refuse an expired token with 403, and keep an open chat alive by refreshing', async () => {
    let now = new Date('2026-11-23T12:00:00+01:00')
    t = await makeApp({ now: () => now })
    const session = await startChat()
    now = new Date(now.getTime() + 15 * 60_000)
    const refreshed = await t.app.request('/directline/tokens/refresh', {
      method: 'POST',
      headers: bearer(session.token),
    })
    expect(refreshed.status).toBe(200)
    const fresh = (await refreshed.json()) as Session
    expect(fresh.conversationId).toBe(session.conversationId)
    expect(fresh.token).not.toBe(session.token)
    expect(fresh.expires_in).toBe(30 * 60)

    // 31 minutes after the start: the first token is dead, the refreshed one still works.
    now = new Date(now.getTime() + 16 * 60_000)
    const expired = await t.app.request(
      `/directline/conversations/${session.conversationId}/activities`,
      {
        headers: bearer(session.token),
      }
    )
    expect(expired.status).toBe(403)
    expect(await expired.json()).toMatchObject({ error: { code: 'TokenExpired' } })
    expect((await feed({ ...session, token: fresh.token })).activities).toHaveLength(1)

    now = new Date(now.getTime() + 30 * 60_000)
    const late = await t.app.request('/directline/tokens/refresh', {
      method: 'POST',
      headers: bearer(fresh.token),
    })
    expect(late.status).toBe(403)
  })

  it("Should not let one conversation's token read or write another conversation", async () => {
    t = await makeApp()
    const mine = await startChat()
    const theirs = await startChat('192.0.2.2')
    await say(theirs, 'namsmannen tar lønna mi')
    const read = await t.app.request(
      `/directline/conversations/${theirs.conversationId}/activities`,
      {
        headers: bearer(mine.token),
      }
    )
    expect(read.status).toBe(403)
    const resume = await t.app.request(`/directline/conversations/${theirs.conversationId}`, {
      headers: bearer(mine.token),
    })
    expect(resume.status).toBe(403)
    expect(
      (await post(mine, { type: 'message', text: 'hei' }, '192.0.2.1', theirs.conversationId))
        .status
    ).toBe(403)
    const unknown = await t.app.request(
      '/directline/conversations/dl_nosuchconversation/activities',
      {
        headers: bearer(mine.token),
      }
    )
    expect(unknown.status).toBe(403)
    expect((await feed(theirs)).activities.map((a) => a.text)).not.toContain('hei')
  })
})

describe('Direct Line: activities', () => {
  it('Should echo the message with an id and the clientActivityID, from the user the token is bound to', async () => {
    t = await makeApp()
    const session = await startChat()
    const res = await say(session, 'meny', 'wc-client-42')
    expect(res.status).toBe(200)
    const { id } = (await res.json()) as { id: string }
    const { activities } = await feed(session)
    const echo = activities.find((a) => a.id === id)!
    expect(echo).toMatchObject({
      type: 'message',
      text: 'meny',
      channelData: { clientActivityID: 'wc-client-42' },
      from: { id: session.userId, role: 'user' },
      conversation: { id: session.conversationId },
    })
    const reply = activities[activities.indexOf(echo) + 1]!
    expect(reply).toMatchObject({ type: 'message', from: { role: 'bot' }, replyToId: id })
    expect(reply.suggestedActions.actions[0]).toMatchObject({
      type: 'imBack',
      title: '1 NAV og penger',
      value: '1',
    })
    // The participant is the Direct Line conversation, on the webchat channel.
    expect(findParticipant(t.store, 'webchat', session.conversationId)).toBeTruthy()
  })

  it.each([
    ['empty text', { type: 'message', text: '' }, /text: a message needs text/],
    ['no text', { type: 'message' }, /text: a message needs text/],
    [
      'an unknown type',
      { type: 'invoke', text: 'hei' },
      /type: type must be "message" or "typing"/,
    ],
    [
      'too long a text',
      { type: 'message', text: 'x'.repeat(2001) },
      /text: text is longer than 2000/,
    ],
    [
      'a bad locale',
      { type: 'message', text: 'hei', locale: 'nb NO<b>' },
      /locale: locale must be/,
    ],
    [
      'an attachment',
      { type: 'message', text: 'hei', attachments: [{}] },
      /attachments are not supported/,
    ],
    ['a body that is not JSON', 'not json at all', /body: /],
  ])('Should refuse %s with 400 and the reason', async (_label, activity, reason) => {
    t = await makeApp()
    const session = await startChat()
    const res = await t.app.request(
      `/directline/conversations/${session.conversationId}/activities`,
      {
        method: 'POST',
        headers: bearer(session.token),
        body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      }
    )
    expect(res.status).toBe(400)
    const body = (await res.json()) as { error: { code: string; message: string } }
    expect(body.error.code).toBe('BadArgument')
    expect(body.error.message).toMatch(reason)
    expect((await feed(session)).activities).toHaveLength(1)
  })

  it('Should page by watermark: only what is new, and nothing twice', async () => {
    t = await makeApp()
    const session = await startChat()
    const first = await feed(session)
    expect(first.watermark).toBe('1')
    await say(session, 'meny')
    const second = await feed(session, first.watermark)
    expect(second.activities.map((a) => a.from.role)).toEqual(['user', 'bot'])
    expect(second.watermark).toBe('3')
    expect((await feed(session, second.watermark)).activities).toEqual([])
    expect((await feed(session, '999')).activities).toEqual([])
    const bad = await t.app.request(
      `/directline/conversations/${session.conversationId}/activities?watermark=x`,
      {
        headers: bearer(session.token),
      }
    )
    expect(bad.status).toBe(400)
  })

  it('Should keep only the last activities of a long conversation while watermarks keep counting', () => {
    const conversations = new DirectLineConversations({
      tokenLifetimeMs: 60_000,
      clock: () => new Date(),
      historyCap: 5,
    })
    const { conversation } = conversations.create('nb-NO')
    for (let i = 0; i < 8; i++)
      conversations.append(conversation, { type: 'message', text: `m${i}` })
    const all = conversations.since(conversation, undefined)
    expect(all.activities.map((a) => a.text)).toEqual(['m3', 'm4', 'm5', 'm6', 'm7'])
    expect(all.watermark).toBe('8')
    expect(conversations.since(conversation, 6).activities.map((a) => a.text)).toEqual(['m6', 'm7'])
    expect(conversations.since(conversation, 1).activities).toHaveLength(5)
  })

  it('Should forget the least recently used conversations past the cap', () => {
    const conversations = new DirectLineConversations({
      tokenLifetimeMs: 60_000,
      clock: () => new Date(),
      conversationCap: 3,
    })
    const made = [1, 2, 3].map(() => conversations.create('nb-NO'))
    expect(conversations.check(`Bearer ${made[0]!.token.token}`).ok).toBe(true)
    conversations.create('nb-NO')
    expect(conversations.size).toBe(3)
    expect(conversations.get(made[0]!.conversation.id)).toBeDefined()
    expect(conversations.get(made[1]!.conversation.id)).toBeUndefined()
  })

  it('Should resume a conversation with its token: the same id and the whole history', async () => {
    t = await makeApp()
    const session = await startChat()
    await say(session, 'meny')
    const resumed = await t.app.request(
      `/directline/conversations/${session.conversationId}?watermark=`,
      {
        headers: bearer(session.token),
      }
    )
    expect(resumed.status).toBe(200)
    expect(await resumed.json()).toMatchObject({
      conversationId: session.conversationId,
      token: session.token,
    })
    const { activities } = await feed(session)
    expect(activities.map((a) => a.text?.slice(0, 4))).toEqual(['Hei!', 'meny', 'Hva '])
    // The dialog state lives in the store under the conversation id: a number still answers the menu.
    await say(session, '2')
    expect((await feed(session, '3')).activities[1]!.text).toMatch(/^Bolig/)
  })

  it('Should show a proactive message in the open chat', async () => {
    t = await makeApp()
    const session = await startChat()
    const participant = findParticipant(t.store, 'webchat', session.conversationId)!
    const { watermark } = await feed(session)
    expect(
      await t.runtime.sendProactive(
        participant.id,
        'Hei, dette er Kari fra Røde Kors.',
        'volunteer'
      )
    ).toBe(true)
    const { activities } = await feed(session, watermark)
    expect(activities).toEqual([
      expect.objectContaining({
        type: 'message',
        text: 'Hei, dette er Kari fra Røde Kors.',
        from: expect.objectContaining({ role: 'bot' }),
        recipient: expect.objectContaining({ id: session.userId }),
      }),
    ])
  })

  it('Should keep an open web chat across a restart: the same token, its history and watermark, and a volunteer reply sent after it', async () => {
    t = await makeApp()
    const first = t
    const session = await startChat()
    await say(session, 'meny')
    const before = await feed(session)
    const participant = findParticipant(t.store, 'webchat', session.conversationId)!
    await t.runtime.flush()
    // The same data folder, a new process; the first one never closed (as after kill -9).
    t = await makeApp({ dir: first.dir })
    const after = await feed(session)
    expect(after).toEqual(before)
    expect(await t.runtime.sendProactive(participant.id, 'Husk timen i morgen.', 'bot')).toBe(true)
    const next = await feed(session, after.watermark)
    expect(next.activities.map((a) => a.text)).toEqual(['Husk timen i morgen.'])
    // The page goes on numbering after what it has seen.
    expect(Number(next.watermark)).toBe(Number(after.watermark) + 1)
    expect((await say(session, '2')).status).toBe(200)
    expect((await feed(session, next.watermark)).activities.length).toBeGreaterThan(1)
    await first.cleanup()
  })

  it('Should report a proactive message to a web chat no page can open any more (its feed file gone) as not delivered', async () => {
    t = await makeApp()
    const first = t
    const session = await startChat()
    const participant = findParticipant(t.store, 'webchat', session.conversationId)!
    await t.runtime.flush()
    await rm(join(t.dir, FEED_FILE))
    t = await makeApp({ dir: first.dir })
    expect(await t.runtime.sendProactive(participant.id, 'Husk timen i morgen.')).toBe(false)
    const stale = await t.app.request(
      `/directline/conversations/${session.conversationId}/activities`,
      { headers: bearer(session.token) }
    )
    expect(stale.status).toBe(403)
    await first.cleanup()
  })
})

describe('Direct Line: SLETT', () => {
  it('Should drop what came before from the feed, keeping the confirmation, so a reload shows nothing of it', async () => {
    t = await makeApp()
    const session = await startChat()
    // Finding 7 of the outside review of issue 16.
    for (const text of ['meny', 'webchat-hemmelig2', 'SLETT']) await say(session, text)
    const before = await feed(session)
    expect(JSON.stringify(before.activities)).toContain('webchat-hemmelig2')
    await say(session, '1')
    const after = await feed(session)
    // Nor is it left in the file the feeds are kept in across a restart.
    await t.runtime.webchatFeed!.settle()
    const file = await readFile(join(t.dir, FEED_FILE), 'utf8')
    expect(file).not.toContain('webchat-hemmelig2')
    expect(file).toContain('Vi har slettet alt')
    expect(after.activities.map((a) => a.text)).toEqual([
      expect.stringContaining('Vi har slettet alt'),
    ])
    // An open page, asking from its watermark, gets the confirmation and what follows.
    const since = await feed(session, before.watermark)
    expect(since.activities.map((a) => a.text)).toEqual(after.activities.map((a) => a.text))
    await say(session, 'hei igjen')
    const later = JSON.stringify((await feed(session)).activities)
    expect(later).toContain('hei igjen')
    expect(later).not.toContain('webchat-hemmelig2')
    expect(later).not.toContain('SLETT')
  })
})

describe('Direct Line: logs', () => {
  it('Should log neither successful polls nor conversation ids nor message bodies', async () => {
    t = await makeApp()
    t.logger.lines.length = 0
    const session = await startChat()
    await say(session, 'namsmannen tar lønna mi')
    for (let i = 0; i < 3; i++) await feed(session)
    const log = t.logger.lines.filter((l) => !l.includes('"level":"debug"')).join('\n')
    expect(log).toContain('/directline/conversations/:id/activities')
    expect(log).not.toContain(session.conversationId)
    expect(log).not.toContain(session.token)
    expect(log.match(/"method":"GET"/g) ?? []).toHaveLength(0)
  })
})

describe('Direct Line: rate limits per client address', () => {
  it('Should answer 429 with Retry-After when one address starts too many conversations', async () => {
    t = await makeApp({ config: { WEBCHAT_CONVERSATIONS_PER_HOUR: 2 } })
    expect((await generate('198.51.100.7')).status).toBe(200)
    expect((await generate('198.51.100.7')).status).toBe(200)
    const refused = await generate('198.51.100.7')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
    expect(await refused.json()).toMatchObject({ error: { code: 'TooManyRequests' } })
    // Another address is not affected.
    expect((await generate('198.51.100.8')).status).toBe(200)
  })

  it('Should answer 429 when one address sends too many messages, without running them', async () => {
    t = await makeApp({ config: { WEBCHAT_MESSAGES_PER_MINUTE: 3 } })
    const session = await startChat('198.51.100.9')
    for (const text of ['meny', '1', '0'])
      expect((await post(session, { type: 'message', text }, '198.51.100.9')).status).toBe(200)
    const before = (await feed(session)).activities.length
    const refused = await post(session, { type: 'message', text: 'meny' }, '198.51.100.9')
    expect(refused.status).toBe(429)
    expect((await feed(session)).activities).toHaveLength(before)
  })

  it('Should count behind a trusted proxy by the address the proxy saw', async () => {
    t = await makeApp({ config: { WEBCHAT_CONVERSATIONS_PER_HOUR: 1, TRUST_PROXY: true } })
    const viaProxy = (client: string) =>
      t.app.request(
        '/directline/tokens/generate',
        { method: 'POST', headers: { 'x-forwarded-for': `10.9.9.9, ${client}` } },
        from('127.0.0.1')
      )
    expect((await viaProxy('203.0.113.1')).status).toBe(200)
    expect((await viaProxy('203.0.113.2')).status).toBe(200)
    expect((await viaProxy('203.0.113.1')).status).toBe(429)
    // One IPv6 /64 is one place; IPv4-mapped IPv6 is the IPv4 address.
    expect((await viaProxy('2001:db8:1:2::a')).status).toBe(200)
    expect((await viaProxy('2001:db8:1:2::b')).status).toBe(429)
    expect((await viaProxy('2001:db8:1:3::a')).status).toBe(200)
    expect((await viaProxy('::ffff:203.0.113.2')).status).toBe(429)
  })
})
