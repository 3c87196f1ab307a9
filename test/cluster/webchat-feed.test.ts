import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  DirectLineConversations,
  type FeedEvent,
} from '../../bot/channels/direct-line-conversations.js'
import { pgFeedSync, type FeedSync } from '../../bot/channels/direct-line-sync.js'
import { createLogger, memoryLogger } from '../../bot/logger.js'
import { createMigratedTestDatabase, type TestDatabase } from '../helpers/pg.js'

let db: TestDatabase
const syncs: FeedSync[] = []
beforeAll(async () => {
  // The tables come from the migrations, as at start-up (002-cluster.sql).
  db = await createMigratedTestDatabase()
})
afterAll(async () => {
  for (const s of syncs) await s.close()
  await db.drop()
})

/** One instance's feeds, shared through the database. */
async function instance(id: string) {
  let sync: FeedSync | undefined
  const conversations = new DirectLineConversations({
    tokenLifetimeMs: 60_000,
    clock: () => new Date(),
    onChange: (event: FeedEvent) => sync!.emit(event),
  })
  sync = await pgFeedSync({
    url: db.url,
    instanceId: id,
    logger: createLogger('error'),
    conversations: () => conversations,
  })
  syncs.push(sync)
  return { conversations, sync }
}

const message = (text: string) => ({ type: 'message', text })

describe("web chat's feeds on two instances", () => {
  it('Should let a page use its token, read, stream and resume on either instance', async () => {
    const a = await instance('a')
    const b = await instance('b')
    const { conversation, token } = a.conversations.create('nb-NO', '203.0.113.9')
    await a.sync.settle()
    await b.sync.refresh()
    const checked = b.conversations.check(`Bearer ${token.token}`)
    expect(checked.ok).toBe(true)
    const there = b.conversations.get(conversation.id)!
    expect(there).toMatchObject({ userId: conversation.userId, origin: '203.0.113.9' })

    // A stream open on B hears what a turn on A appends.
    const streamed: string[] = []
    there.listeners = new Set([(set) => streamed.push(...set.activities.map((x) => x.text!))])
    a.conversations.update(conversation, { started: true })
    a.conversations.append(conversation, message('hei'))
    a.conversations.append(conversation, message('Hei! Hva trenger du hjelp med?'))
    await a.sync.settle()
    await b.sync.refresh()
    expect(streamed).toEqual(['hei', 'Hei! Hva trenger du hjelp med?'])
    expect(there.started).toBe(true)
    // The next turn runs on B: its activities follow A's, with the same watermarks everywhere.
    b.conversations.append(there, message('meny'))
    await b.sync.settle()
    await a.sync.refresh()
    const fromA = a.conversations.since(conversation, 2)
    const fromB = b.conversations.since(there, 2)
    expect(fromA).toEqual(fromB)
    expect(fromA.watermark).toBe('3')
    expect(fromA.activities.map((x) => x.text)).toEqual(['meny'])

    // A refreshed token and a stream ticket from A work on B.
    const fresh = a.conversations.issueToken(conversation)
    const ticket = a.conversations.streamTicket(conversation)
    await a.sync.settle()
    await b.sync.refresh()
    expect(b.conversations.check(`Bearer ${fresh.token}`).ok).toBe(true)
    expect(b.conversations.redeemTicket(ticket)?.id).toBe(conversation.id)
    await b.sync.settle()
    await a.sync.refresh()
    expect(a.conversations.redeemTicket(ticket)).toBeUndefined()
  })

  it('Should drop the texts before SLETT from every instance and from the table', async () => {
    const a = await instance('c')
    const b = await instance('d')
    const { conversation } = a.conversations.create('nb-NO')
    a.conversations.append(conversation, message('mitt navn er Ola'))
    await a.sync.settle()
    await b.sync.refresh()
    expect(b.conversations.since(b.conversations.get(conversation.id)!, 0).activities).toHaveLength(
      1
    )
    a.conversations.clearHistory(conversation)
    a.conversations.append(conversation, message('Alt er slettet.'))
    await a.sync.settle()
    await b.sync.refresh()
    const there = b.conversations.since(b.conversations.get(conversation.id)!, undefined)
    expect(there.activities.map((x) => x.text)).toEqual(['Alt er slettet.'])
    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    const { rows } = await client.query(
      "SELECT event->'activity'->>'text' AS text FROM webchat_feed WHERE conversation_id = $1 AND event->>'kind' = 'append'",
      [conversation.id]
    )
    await client.end()
    expect(rows.map((r) => r.text)).toEqual(['Alt er slettet.'])
    // A third instance starting now has the conversation as it is.
    const c = await instance('e')
    await c.sync.refresh()
    expect(
      c.conversations
        .since(c.conversations.get(conversation.id)!, undefined)
        .activities.map((x) => x.text)
    ).toEqual(['Alt er slettet.'])
  })

  it('Should start quietly before the runtime exists, and take in what others wrote once it does', async () => {
    // Outside review of issue 17, finding 9: every start logged a warning with a stack.
    const a = await instance('quiet-a')
    const { conversation } = a.conversations.create('nb-NO')
    await a.sync.settle()
    const logger = memoryLogger('debug')
    let ready: DirectLineConversations | undefined
    const sync = await pgFeedSync({
      url: db.url,
      instanceId: 'quiet-b',
      logger,
      conversations: () => ready,
    })
    syncs.push(sync)
    await sync.refresh()
    expect(logger.lines.filter((l) => l.includes('"warn"') || l.includes('"error"'))).toEqual([])
    ready = new DirectLineConversations({ tokenLifetimeMs: 60_000, clock: () => new Date() })
    await sync.refresh()
    expect(ready.get(conversation.id)).toBeDefined()
  })
})
