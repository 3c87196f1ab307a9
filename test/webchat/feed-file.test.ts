/**
 * Web chat's feeds on the embedded store are kept in DATA_DIR/webchat-feed.jsonl
 * (bot/channels/direct-line-file.ts): an open page survives kill -9 of the real server, a torn
 * last line costs that line only, and the file keeps only chats a page can still open.
 */
import { appendFile, mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { DirectLineConversations } from '../../bot/channels/direct-line-conversations.js'
import { FEED_FILE, fileFeedSync } from '../../bot/channels/direct-line-file.js'
import { memoryLogger } from '../../bot/logger.js'
import { startServer } from '../helpers/server-process.js'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const undo of cleanups.reverse()) await undo()
})

async function folder(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'reentry-feed-'))
  cleanups.push(() => rm(dir, { recursive: true, force: true }))
  return dir
}

/** A feed on `dir` as main.ts wires it: conversations in memory, changes to the file. */
async function openFeed(dir: string, clock: () => Date) {
  const logger = memoryLogger('debug')
  let conversations: DirectLineConversations | undefined
  const feed = fileFeedSync({ dir, logger, clock, conversations: () => conversations! })
  conversations = new DirectLineConversations({
    tokenLifetimeMs: 30 * 60_000,
    clock,
    onChange: feed.emit,
  })
  await feed.load()
  return { feed, conversations, logger }
}

type Session = { conversationId: string; token: string }
type Feed = { activities: { text?: string; id: string }[]; watermark: string }

describe('web chat feeds kept in a file', () => {
  it('Should let an open page go on after kill -9 of the real server: its token, history and watermark', async () => {
    const dir = await folder()
    const port = 4_300 + Math.floor(Math.random() * 200)
    let server = await startServer(dir, port, cleanups)
    const headers = (token: string) => ({
      authorization: `Bearer ${token}`,
      'content-type': 'application/json',
    })
    const session = (await (
      await fetch(`${server.url}/directline/tokens/generate`, { method: 'POST', body: '{}' })
    ).json()) as Session
    const base = `${server.url}/directline/conversations`
    expect(
      (await fetch(base, { method: 'POST', headers: headers(session.token), body: '{}' })).status
    ).toBe(201)
    const said = await fetch(`${base}/${session.conversationId}/activities`, {
      method: 'POST',
      headers: headers(session.token),
      body: JSON.stringify({ type: 'message', text: 'meny', from: { id: 'x' } }),
    })
    expect(said.status).toBe(200)
    const read = async () => {
      const res = await fetch(
        `${server.url}/directline/conversations/${session.conversationId}/activities`,
        {
          headers: headers(session.token),
        }
      )
      expect(res.status).toBe(200)
      return (await res.json()) as Feed
    }
    const before = await read()
    expect(before.activities.map((a) => a.text)).toContain('meny')

    server.child.kill('SIGKILL') // right after the answers: nothing may be left in memory only
    await new Promise((resolve) => server.child.once('exit', resolve))
    server = await startServer(dir, port, cleanups)
    const after = await read()
    expect(after.watermark).toBe(before.watermark)
    expect(after.activities.map((a) => a.id)).toEqual(before.activities.map((a) => a.id))
  })

  it('Should skip a torn last line, keeping every whole one before it', async () => {
    const dir = await folder()
    const clock = () => new Date('2026-12-02T20:00:00Z')
    const first = await openFeed(dir, clock)
    const { conversation } = first.conversations.create('nb-NO')
    first.conversations.append(conversation, { type: 'message', text: 'hei' })
    first.conversations.append(conversation, { type: 'message', text: 'meny' })
    await first.feed.settle()
    await appendFile(
      join(dir, FEED_FILE),
      '{"kind":"append","id":"' + conversation.id + '","seq":2,"act'
    )

    const second = await openFeed(dir, clock)
    const kept = second.conversations.get(conversation.id)!
    expect(second.conversations.since(kept, 0).activities.map((a) => a.text)).toEqual([
      'hei',
      'meny',
    ])
    expect(second.logger.lines.some((l) => l.includes('webchat.feed_line_skipped'))).toBe(true)
    // The rewrite at start-up leaves a whole file again.
    expect((await readFile(join(dir, FEED_FILE), 'utf8')).endsWith('\n')).toBe(true)
  })

  it('Should keep only chats a page can still open: expired ones leave memory and the file at retention', async () => {
    const dir = await folder()
    let now = new Date('2026-12-02T20:00:00Z').getTime()
    const clock = () => new Date(now)
    const { feed, conversations } = await openFeed(dir, clock)
    const old = conversations.create('nb-NO').conversation
    conversations.append(old, { type: 'message', text: 'gammel-samtale' })
    now += 40 * 60_000 // past the old token's 30 minutes
    const fresh = conversations.create('nb-NO').conversation
    await feed.settle()
    expect(await feed.prune(0)).toBe(1)
    expect(conversations.get(old.id)).toBeUndefined()
    expect(conversations.get(fresh.id)).toBeDefined()
    expect(await readFile(join(dir, FEED_FILE), 'utf8')).not.toContain('gammel-samtale')
  })

  it('Should rebuild a cleared history with its watermark, so an open page misses nothing after it', async () => {
    const dir = await folder()
    const clock = () => new Date('2026-12-02T20:00:00Z')
    const first = await openFeed(dir, clock)
    const { conversation } = first.conversations.create('nb-NO')
    for (const text of ['a', 'b', 'c'])
      first.conversations.append(conversation, { type: 'message', text })
    first.conversations.clearHistory(conversation)
    await first.feed.settle()
    expect(await readFile(join(dir, FEED_FILE), 'utf8')).not.toContain('"text":"b"')

    const second = await openFeed(dir, clock)
    const kept = second.conversations.get(conversation.id)!
    expect(second.conversations.since(kept, 3)).toEqual({ activities: [], watermark: '3' })
    second.conversations.append(kept, { type: 'message', text: 'd' })
    expect(second.conversations.since(kept, 3).activities.map((a) => a.text)).toEqual(['d'])
  })
})
