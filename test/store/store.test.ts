import { mkdir, readFile, readdir, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { StoreCorruptError } from '../../bot/store/durable-file.js'
import { touchParticipant } from '../../bot/store/participants.js'
import { openStore } from '../../bot/store/store.js'
import { TranscriptLog } from '../../bot/store/transcripts.js'
import { tempDir } from '../helpers/make-app.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function dir() {
  const t = await tempDir()
  cleanups.push(t.remove)
  return t.dir
}

async function shardTimes(d: string): Promise<Record<string, number>> {
  const files = await readdir(join(d, 'store'))
  return Object.fromEntries(
    await Promise.all(
      files.map(async (f) => [f, (await stat(join(d, 'store', f))).mtimeMs] as const)
    )
  )
}

describe('store', () => {
  it('Should keep what was flushed across a restart', async () => {
    const d = await dir()
    const store = await openStore(d)
    const now = new Date('2026-11-23T10:00:00Z')
    const { participant } = touchParticipant(store, 'sms', '+4700000001', now, () => 'p_1')
    await store.flush()
    const reopened = await openStore(d)
    expect(reopened.data.participants['p_1']).toEqual(participant)
    expect(touchParticipant(reopened, 'sms', '+4700000001', now, () => 'p_2').isNew).toBe(false)
  })

  it('Should refuse a damaged file instead of starting empty, and leave it untouched', async () => {
    const d = await dir()
    await mkdir(join(d, 'store'))
    await writeFile(join(d, 'store', 'participants-3.json'), '{"p_1":{"id":', 'utf8')
    await expect(openStore(d)).rejects.toThrow(StoreCorruptError)
    await expect(openStore(d)).rejects.toThrow(/participants-3\.json is damaged/)
    expect(await readFile(join(d, 'store', 'participants-3.json'), 'utf8')).toBe('{"p_1":{"id":')
  })

  it('Should refuse a file that parses but is not our data', async () => {
    const d = await dir()
    await mkdir(join(d, 'store'))
    await writeFile(
      join(d, 'store', 'participants-0.json'),
      JSON.stringify({ p_1: { id: 'p_1' } }),
      'utf8'
    )
    await expect(openStore(d)).rejects.toThrow(/participants\.p_1\.channel/)
  })

  it('Should rewrite only the shard a change falls in', async () => {
    const d = await dir()
    const store = await openStore(d)
    const now = new Date('2026-11-23T10:00:00Z')
    for (let i = 0; i < 100; i++)
      touchParticipant(store, 'sms', `+4740000${String(i).padStart(3, '0')}`, now, () => `p_${i}`)
    await store.flush()
    const before = await shardTimes(d)
    await new Promise((r) => setTimeout(r, 20))
    store.edit('participants', 'p_7', (p) => (p.optedOut = true))
    await store.flush()
    const after = await shardTimes(d)
    const changed = Object.keys(after).filter((f) => after[f] !== before[f])
    expect(changed).toHaveLength(1)
    expect(changed[0]).toMatch(/^participants-\d+\.json$/)
    expect((await openStore(d)).data.participants['p_7']!.optedOut).toBe(true)
  })

  it('Should group many mutations into few writes and lose none', async () => {
    const d = await dir()
    const store = await openStore(d)
    const now = new Date('2026-11-23T10:00:00Z')
    await Promise.all(
      Array.from({ length: 200 }, (_, i) => {
        touchParticipant(store, 'sms', `+47000${String(i).padStart(5, '0')}`, now, () => `p_${i}`)
        return store.flush()
      })
    )
    expect(Object.keys((await openStore(d)).data.participants)).toHaveLength(200)
  })

  it('Should append transcripts to day files, read them back per participant, forget and prune them', async () => {
    const d = await dir()
    const log = await TranscriptLog.open(d)
    log.append({
      at: '2026-08-01T10:00:00.000Z',
      participantId: 'p_1',
      direction: 'in',
      text: 'gammel',
    })
    log.append({
      at: '2026-11-23T10:00:00.000Z',
      participantId: 'p_1',
      direction: 'in',
      text: 'hei',
    })
    log.append({
      at: '2026-11-23T10:00:01.000Z',
      participantId: 'p_2',
      direction: 'in',
      text: 'annen',
    })
    log.append({
      at: '2026-11-23T10:00:02.000Z',
      participantId: 'p_1',
      direction: 'out',
      text: 'svar',
      by: 'bot',
    })
    await log.flush()
    expect((await log.recent('p_1', 10, 1000)).map((e) => e.text)).toEqual([
      'gammel',
      'hei',
      'svar',
    ])
    expect(await log.prune(new Date('2026-11-23T12:00:00Z'), 90)).toEqual(['2026-08-01.jsonl'])
    expect(await log.forget('p_1')).toBe(2)
    expect((await log.recent('p_2')).map((e) => e.text)).toEqual(['annen'])
    expect(await log.recent('p_1')).toEqual([])
  })
})

describe('journaled outbox', () => {
  it('Should replay the journal on open, ignore a line a crash cut short, and compact when long', async () => {
    const d = await dir()
    const store = await openStore(d)
    const at = new Date('2026-11-23T10:00:00Z')
    const base = {
      channel: 'sms' as const,
      to: '+4790000000',
      body: 'x',
      createdAt: at.toISOString(),
      updatedAt: at.toISOString(),
      attempts: 0,
    }
    store.put('outbox', 'm_1', { ...base, id: 'm_1', state: 'pending' })
    store.put('outbox', 'm_2', { ...base, id: 'm_2', state: 'pending' })
    await store.flush()
    store.edit('outbox', 'm_1', (m) => (m.state = 'sent'))
    store.remove('outbox', 'm_2')
    await store.flush()
    await writeFile(join(d, 'store', 'outbox.journal'), '{"k":"m_3","v":{"id":"m_3"', { flag: 'a' })
    const reopened = await openStore(d)
    expect(Object.keys(reopened.data.outbox)).toEqual(['m_1'])
    expect(reopened.data.outbox['m_1']!.state).toBe('sent')
    // A whole-document change writes a snapshot naming a new journal, and the old one goes.
    await reopened.update(() => {})
    expect(await readdir(join(d, 'store'))).not.toContain('outbox.journal')
    expect((await openStore(d)).data.outbox['m_1']!.state).toBe('sent')
  })

  it('Should move dialog state kept in shard files by an older version into its journal', async () => {
    const d = await dir()
    await mkdir(join(d, 'store'), { recursive: true })
    const state = { eTag: '1', value: { dialogState: { dialogStack: [] } } }
    await writeFile(
      join(d, 'store', 'botState-3.json'),
      JSON.stringify({ 'sms/conversations/+4790000000/': state })
    )
    const store = await openStore(d)
    expect(store.data.botState['sms/conversations/+4790000000/']).toEqual(state)
    const files = await readdir(join(d, 'store'))
    expect(files).not.toContain('botState-3.json')
    expect(files).toContain('botState-snapshot.json')
    // A turn after that is one appended line, not a rewritten file.
    store.put('botState', 'sms/conversations/+4790000001/', state)
    await store.flush()
    expect(await readFile(join(d, 'store', 'botState.1.journal'), 'utf8')).toContain('+4790000001')
    expect(Object.keys((await openStore(d)).data.botState)).toHaveLength(2)
  })
})
