/**
 * A torn last line while the service runs (a full disk in the middle of an append, or a tail some
 * earlier failure left): the next append in every append-only file (transcripts, the audit log,
 * the store's journals) cuts it off first and logs the cut, so nothing is glued to it, no
 * acknowledged line is lost and the next start-up works. The full disk is a small tmpfs the test
 * mounts (it runs as root, as the project's tests do here).
 */
import { execFileSync } from 'node:child_process'
import { appendFile, mkdir, readFile, statfs, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../bot/logger.js'
import { AuditLog } from '../../bot/store/audit.js'
import { openStore } from '../../bot/store/store.js'
import { TranscriptLog } from '../../bot/store/transcripts.js'
import { tempDir } from '../helpers/make-app.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function folder(tmpfsMegabytes?: number): Promise<string> {
  const temp = await tempDir()
  const dir = join(temp.dir, 'data')
  await mkdir(dir)
  cleanups.push(temp.remove)
  if (tmpfsMegabytes) {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${tmpfsMegabytes}m`, 'tmpfs', dir])
    cleanups.push(async () => void execFileSync('umount', ['-l', dir]))
  }
  return dir
}

const AT = '2026-11-23T10:00:00.000Z'
const TRANSCRIPT = join('transcripts', '2026-11-23.jsonl')
const AUDIT = join('audit', '2026-11.jsonl')
const JOURNAL = join('store', 'botState.journal')

/** The three kinds of append-only file, opened on `dir` as the service opens them. */
async function open(dir: string) {
  const logger = memoryLogger()
  const store = await openStore(dir, { logger })
  const transcripts = await TranscriptLog.open(dir, logger)
  const audit = new AuditLog(join(dir, 'audit'), logger)
  await audit.repair()
  /** One turn's worth in each file; resolves to the outcome of each write. */
  const write = async (tag: string, size = 40) => {
    transcripts.append({ at: AT, participantId: tag, direction: 'in', text: tag.padEnd(size) })
    audit.append({ at: AT, actor: 's_1', action: 'login', detail: tag.padEnd(size) })
    store.put('botState', tag, { eTag: '1', value: { text: tag.padEnd(size) } })
    return Promise.allSettled([transcripts.flush(), audit.flush(), store.flush()])
  }
  return { logger, store, write }
}

async function linesOf(path: string): Promise<unknown[]> {
  const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
  return lines.map((line) => JSON.parse(line) as unknown)
}

describe('a torn last line while running', () => {
  it('Should cut a torn tail that appeared since the last append before the next one, in every file, and log it', async () => {
    const dir = await folder()
    const { logger, write } = await open(dir)
    await write('first')
    // A tail left by a failure this process never heard of.
    await appendFile(join(dir, TRANSCRIPT), '{"at":"2026-11-23T10:00:00.000Z","partic')
    await appendFile(join(dir, AUDIT), '{"at":"2026-11-23T10:00:00.000Z","act')
    await appendFile(join(dir, JOURNAL), '{"k":"torn","v":{"te')
    const results = await write('second')
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])
    for (const file of [TRANSCRIPT, AUDIT, JOURNAL]) {
      const lines = await linesOf(join(dir, file))
      expect(lines, file).toHaveLength(2)
      expect(JSON.stringify(lines[1])).toContain('second')
    }
    const log = logger.lines.join('\n')
    for (const event of ['transcripts.torn_line_cut', 'audit.torn_line_cut', 'store.torn_line_cut'])
      expect(log).toContain(event)
    const reopened = await openStore(dir)
    expect(Object.keys(reopened.data.botState).sort()).toEqual(['first', 'second'])
  })

  it('Should lose no acknowledged line and glue nothing when the disk fills mid-append and frees again', async () => {
    const dir = await folder(1)
    const { store, write } = await open(dir)
    await write('before')
    // Leave a few pages: appends of about 1.5 kB each run out part-way through one.
    const { bavail, bsize } = await statfs(dir)
    const filler = join(dir, 'filler')
    await writeFile(filler, Buffer.alloc(bavail * bsize - 3 * bsize))
    const acknowledged = {
      transcripts: [] as string[],
      audit: [] as string[],
      store: [] as string[],
    }
    let failures = 0
    for (let i = 0; i < 12; i++) {
      const results = await write(`full-${i}`, 1_500)
      results.forEach((r, k) => {
        if (r.status === 'fulfilled') Object.values(acknowledged)[k]!.push(`full-${i}`)
        else failures++
      })
    }
    expect(failures).toBeGreaterThan(0)
    await unlink(filler)
    const after = await write('after')
    expect(after.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])
    const tags = async (file: string, field: (line: Record<string, string>) => string) =>
      (await linesOf(join(dir, file))).map((l) => field(l as Record<string, string>).trim())
    const inTranscript = await tags(TRANSCRIPT, (l) => l.participantId!)
    const inAudit = await tags(AUDIT, (l) => l.detail!)
    // Failed writes stay queued and go with the next one: everything is there, once each.
    expect(inTranscript).toContain('after')
    expect(acknowledged.transcripts.filter((t) => !inTranscript.includes(t))).toEqual([])
    expect(acknowledged.audit.filter((t) => !inAudit.includes(t))).toEqual([])
    expect(new Set(inTranscript).size).toBe(inTranscript.length)
    const reopened = await openStore(dir)
    for (const key of [...acknowledged.store, 'before', 'after'])
      expect(reopened.data.botState[key], key).toBeDefined()
    expect(Object.keys(reopened.data.botState).sort()).toEqual(
      Object.keys(store.data.botState).sort()
    )
  })
})
