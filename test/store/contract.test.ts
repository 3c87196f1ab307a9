/**
 * One contract for both stores: the files in DATA_DIR and PostgreSQL (DATABASE_URL) keep, return,
 * change and forget records, transcripts and audit entries alike. Each PostgreSQL case runs in a
 * database of its own (test/helpers/pg.ts).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest'
import pg from 'pg'
import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { AuditLog } from '../../bot/store/audit.js'
import { InsightLog } from '../../bot/store/insight-log.js'
import { openStorage, type Storage } from '../../bot/store/open.js'
import { emptyStore } from '../../bot/store/schema.js'
import { collectionNames, type CollectionName } from '../../bot/store/store.js'
import { TranscriptLog } from '../../bot/store/transcripts.js'
import { tempDir } from '../helpers/make-app.js'
import { createTestDatabase } from '../helpers/pg.js'
import { at, sampleRecords } from '../helpers/store-samples.js'

type Kind = 'files' | 'postgresql'
const opened: Storage[] = []
const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  while (opened.length) await opened.pop()!.close()
})
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** A place for one test's data: a folder, and for PostgreSQL a database of its own. */
async function place(kind: Kind) {
  const dir = await tempDir()
  cleanups.push(dir.remove)
  if (kind === 'files') return { DATA_DIR: dir.dir }
  const db = await createTestDatabase()
  cleanups.push(db.drop)
  return { DATA_DIR: dir.dir, DATABASE_URL: db.url }
}

async function open(settings: { DATA_DIR: string; DATABASE_URL?: string }) {
  const storage = await openStorage(settings)
  opened.push(storage)
  return storage
}

/** Closes a storage opened with `open` (a restart); the files' instance lock goes with it. */
async function close(storage: Storage) {
  opened.splice(opened.indexOf(storage), 1)
  await storage.close()
}

/** Every place a key or text could still be: the store files, or every table's rows. */
async function traces(
  settings: { DATA_DIR: string; DATABASE_URL?: string },
  text: string
): Promise<string[]> {
  if (!settings.DATABASE_URL) {
    const found: string[] = []
    for (const sub of ['store', 'transcripts', 'audit']) {
      const files = await readdir(join(settings.DATA_DIR, sub)).catch(() => [] as string[])
      for (const f of files)
        if ((await readFile(join(settings.DATA_DIR, sub, f), 'utf8')).includes(text))
          found.push(`${sub}/${f}`)
    }
    return found
  }
  const client = new pg.Client({ connectionString: settings.DATABASE_URL })
  await client.connect()
  try {
    const { rows: tables } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'store_changes'"
    )
    const found: string[] = []
    for (const { table_name } of tables) {
      const { rows } = await client.query(
        `SELECT 1 FROM ${table_name} t WHERE strpos(t::text, $1) > 0 LIMIT 1`,
        [text]
      )
      if (rows.length) found.push(table_name)
    }
    return found
  } finally {
    await client.end()
  }
}

describe.each<Kind>(['files', 'postgresql'])('store contract: %s', (kind) => {
  it('Should keep what was put, edited and removed across a restart', async () => {
    const settings = await place(kind)
    const first = await open(settings)
    expect(first.kind).toBe(kind)
    const [key, participant] = sampleRecords('1').participants
    first.store.put('participants', key, participant)
    first.store.put('participants', 'p_gone', { ...participant, id: 'p_gone' })
    await first.store.flush()
    first.store.edit('participants', key, (p) => (p.optedOut = true))
    first.store.remove('participants', 'p_gone')
    expect(first.store.edit('participants', 'p_none', () => 1)).toBeUndefined()
    await first.store.flush()
    await close(first)

    const second = await open(settings)
    expect(second.store.data.participants[key]).toEqual({ ...participant, optedOut: true })
    expect(second.store.data.participants['p_gone']).toBeUndefined()
    expect(Object.keys(second.store.data.participants)).toEqual([key])
  })

  it('Should round-trip a record of every collection, and a key like "constructor"', async () => {
    const settings = await place(kind)
    const first = await open(settings)
    const samples = sampleRecords('2')
    for (const name of collectionNames()) {
      const [key, record] = samples[name]
      first.store.put(name, key, record as never)
    }
    first.store.put('contacts', 'constructor', 'p_2')
    await first.store.flush()
    await close(first)

    const second = await open(settings)
    for (const name of collectionNames()) {
      const [key, record] = samples[name]
      // A NUL character cannot be kept in PostgreSQL's jsonb: it is dropped on both stores' way.
      const expected =
        name === 'botState' && kind === 'postgresql'
          ? JSON.parse(JSON.stringify(record).replace('\\u0000', ''))
          : record
      expect(second.store.data[name][key], name).toEqual(expected)
    }
    expect(second.store.data.contacts['constructor']).toBe('p_2')
    expect(Object.keys(second.store.data).sort()).toEqual(Object.keys(emptyStore()).sort())
  })

  it('Should group many changes into few writes and lose none', async () => {
    const settings = await place(kind)
    const first = await open(settings)
    const [, participant] = sampleRecords('3').participants
    const flushes: Promise<void>[] = []
    for (let i = 0; i < 300; i++) {
      first.store.put('participants', `p_${i}`, { ...participant, id: `p_${i}` })
      if (i % 7 === 0) flushes.push(first.store.flush())
    }
    flushes.push(first.store.flush())
    await Promise.all(flushes)
    await close(first)
    const second = await open(settings)
    expect(Object.keys(second.store.data.participants)).toHaveLength(300)
  })

  it('Should leave no trace of a deleted participant, transcript lines included', async () => {
    const settings = await place(kind)
    const first = await open(settings)
    const samples = sampleRecords('4')
    for (const name of collectionNames())
      first.store.put(name, samples[name][0], samples[name][1] as never)
    first.transcripts.append({ at, participantId: 'p_4', direction: 'in', text: 'hemmelig-tekst' })
    first.transcripts.append({ at, participantId: 'p_5', direction: 'in', text: 'annen' })
    await Promise.all([first.store.flush(), first.transcripts.flush()])
    for (const name of collectionNames()) first.store.remove(name, samples[name][0])
    first.store.compactJournals()
    expect(await first.transcripts.forget('p_4')).toBe(1)
    await first.store.flush()
    expect(await traces(settings, 'p_4')).toEqual([])
    expect(await traces(settings, '+470004')).toEqual([])
    expect(await traces(settings, 'hemmelig-tekst')).toEqual([])
    expect(await first.transcripts.recent('p_5')).toHaveLength(1)
  })

  it('Should append transcripts and read them back per participant, in a window, and prune old days', async () => {
    const settings = await place(kind)
    const first = await open(settings)
    const t = first.transcripts
    expect(t).toBeInstanceOf(TranscriptLog)
    const day = (d: number, h = 10) =>
      `2026-11-${String(d).padStart(2, '0')}T${String(h).padStart(2, '0')}:00:00.000Z`
    t.append({ at: day(1), participantId: 'p_a', direction: 'in', text: 'first' })
    t.append({ at: day(2), participantId: 'p_a', direction: 'out', text: 'second', by: 'bot' })
    t.append({ at: day(2, 11), participantId: 'p_b', direction: 'in', text: 'other' })
    t.append({ at: day(3), participantId: 'p_a', direction: 'in', text: 'third' })
    await t.flush()
    await close(first)
    const second = await open(settings)
    const r = second.transcripts
    expect((await r.recent('p_a')).map((e) => e.text)).toEqual(['first', 'second', 'third'])
    expect((await r.recent('p_a', 2)).map((e) => e.text)).toEqual(['second', 'third'])
    expect(await r.recent('p_a', 50, 30, { after: day(1), until: day(2) })).toEqual([
      { at: day(2), participantId: 'p_a', direction: 'out', text: 'second', by: 'bot' },
    ])
    expect(await r.prune(new Date(day(4)), 2)).toEqual(['2026-11-01.jsonl'])
    expect((await r.recent('p_a')).map((e) => e.text)).toEqual(['second', 'third'])
  })

  it('Should append audit entries and read the newest first; insight counts too', async () => {
    const settings = await place(kind)
    const first = await open(settings)
    expect(first.audit).toBeInstanceOf(AuditLog)
    expect(first.insight).toBeInstanceOf(InsightLog)
    first.audit.append({ at: '2026-10-01T10:00:00.000Z', actor: 's_1', action: 'login' })
    first.audit.append({
      at: '2026-11-01T10:00:00.000Z',
      actor: 's_1',
      action: 'handoff.claim',
      handoffId: 'h_1',
    })
    await first.audit.flush()
    first.insight.message(new Date(at), 'p_1', 'topic', 'housing')
    first.insight.notUnderstood(new Date(at), 'Kari har nummer 12345678')
    const pseudonym = first.insight.pseudonym('p_1')
    await first.insight.flush()
    await close(first)
    const second = await open(settings)
    expect((await second.audit.recent()).map((e) => e.action)).toEqual(['handoff.claim', 'login'])
    expect(await second.audit.recent(1)).toEqual([
      { at: '2026-11-01T10:00:00.000Z', actor: 's_1', action: 'handoff.claim', handoffId: 'h_1' },
    ])
    expect(await second.audit.pruneMonthsBefore('2026-11')).toBe(1)
    expect((await second.audit.recent()).map((e) => e.action)).toEqual(['handoff.claim'])
    expect(second.insight.pseudonym('p_1')).toBe(pseudonym)
    expect(await second.insight.events()).toEqual([
      { at, k: 'in', m: 'topic', t: 'housing', p: pseudonym },
      { at, k: 'none' },
    ])
    expect(await second.insight.unknownTexts(new Date(at), 30)).toEqual([
      { at, text: 'Kari har nummer [tall]' },
    ])
  })
})
