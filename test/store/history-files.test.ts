/**
 * History files (transcripts, the audit log, the store's journals) under deletion, crashes and
 * torn lines: deleting one person never loses what others appended, a kill -9 mid-rewrite loses
 * nothing, a torn last line is cut off before the next append, a damaged line costs that line.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { appendFile, mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { memoryLogger } from '../../bot/logger.js'
import { AuditLog } from '../../bot/store/audit.js'
import { openStore } from '../../bot/store/store.js'
import { TranscriptLog, type TranscriptEntry } from '../../bot/store/transcripts.js'
import { addStaffMember, loggedIn, text } from '../helpers/console.js'
import { makeApp, tempDir, type TestApp } from '../helpers/make-app.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function dir() {
  const t = await tempDir()
  cleanups.push(t.remove)
  return t.dir
}

const DAY = '2026-11-23'
const entry = (participantId: string, i: number): TranscriptEntry => ({
  at: `${DAY}T10:${String(i % 60).padStart(2, '0')}:00.000Z`,
  participantId,
  direction: 'in',
  text: `melding ${i} ${'x'.repeat(200)}`,
})

/** A day file with `count` lines, every tenth the participant p_gone's. */
async function bigDay(d: string, count: number): Promise<string> {
  await mkdir(join(d, 'transcripts'), { recursive: true })
  const lines = Array.from({ length: count }, (_, i) =>
    JSON.stringify(entry(i % 10 ? `p_${i % 7}` : 'p_gone', i))
  )
  const path = join(d, 'transcripts', `${DAY}.jsonl`)
  await writeFile(path, lines.join('\n') + '\n')
  return path
}

const linesOf = async (path: string) => (await readFile(path, 'utf8')).split('\n').filter(Boolean)

describe('deleting one person from a day others append to', () => {
  it('Should keep every line others appended (and had acknowledged) while the file was rewritten', async () => {
    const d = await dir()
    const path = await bigDay(d, 20_000)
    const log = await TranscriptLog.open(d)
    const acknowledged: string[] = []
    const writers = Array.from({ length: 40 }, async (_, w) => {
      for (let i = 0; i < 10; i++) {
        const e = { ...entry(`p_w${w}`, i), text: `w${w}-${i}` }
        log.append(e)
        await log.flush()
        acknowledged.push(e.text)
      }
    })
    const removed = await Promise.all([log.forget('p_gone'), ...writers]).then(([n]) => n)
    expect(removed).toBe(2_000)
    const texts = new Set((await linesOf(path)).map((l) => (JSON.parse(l) as TranscriptEntry).text))
    expect(acknowledged).toHaveLength(400)
    expect(acknowledged.filter((t) => !texts.has(t))).toEqual([])
    expect(texts.size).toBe(18_000 + 400)
  })

  it('Should lose nothing when the process is killed (kill -9) in the middle of the rewrite', async () => {
    const d = await dir()
    const path = await bigDay(d, 150_000)
    const size = (await stat(path)).size
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/forget-worker.ts'], {
      env: { ...process.env, DATA_DIR: d, PARTICIPANT: 'p_gone' },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    await once(child.stdout, 'data')
    // Kill as soon as the rewrite shows: the day file shrinks, or a new file appears beside it.
    for (let i = 0; i < 20_000 && child.exitCode === null; i++) {
      const files = await readdir(join(d, 'transcripts'))
      const now = await stat(path).then(
        (s) => s.size,
        () => 0
      )
      if (files.length > 1 || now < size) break
      await new Promise((r) => setImmediate(r))
    }
    child.kill('SIGKILL')
    await once(child, 'exit')
    const lines = await linesOf(path)
    const others = lines.filter((l) => !l.includes('p_gone'))
    expect(others).toHaveLength(135_000)
    expect([150_000, 135_000]).toContain(lines.length)
  }, 60_000)
})

describe('a torn last line and a damaged line', () => {
  it('Should cut a torn transcript line off at start-up (logged), so the next append stands alone', async () => {
    const d = await dir()
    const path = await bigDay(d, 10)
    await appendFile(path, '{"at":"2026-11-23T10:00:00.000Z","participantId":"p_1","dir')
    const logger = memoryLogger()
    const log = await TranscriptLog.open(d, logger)
    expect(logger.lines.join('\n')).toContain('transcripts.torn_line_cut')
    log.append(entry('p_1', 99))
    await log.flush()
    const lines = await linesOf(path)
    expect(lines).toHaveLength(11)
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
  })

  it('Should cost a damaged transcript line only that line: history, export and SLETT still work', async () => {
    const t = await makeApp()
    cleanups.push(t.cleanup)
    await addStaffMember(t, 'kari', 'coordinator')
    const phone = '+4791234567'
    await text(t, phone, 'menneske')
    await text(t, phone, '1')
    await text(t, phone, 'jeg trenger hjelp med bolig')
    const id = t.store.data.contacts[`sms:${phone}`]!
    const day = (await readdir(join(t.dir, 'transcripts')))[0]!
    await appendFile(join(t.dir, 'transcripts', day), `{"participantId":"${id}","text":"ødelagt\n`)
    await text(t, phone, 'hallo igjen')
    const kari = await loggedIn(t, 'kari')
    const handoff = Object.keys(t.store.data.handoffs)[0]!
    const chat = await kari.page(`/console/chats/${handoff}`)
    expect(chat.status).toBe(200)
    expect(chat.html).toContain('hallo igjen')
    expect((await kari.get(`/console/privacy/${id}/export`)).status).toBe(200)
    const deleted = await kari.post(`/console/privacy/${id}/delete`, { confirm: 'yes' })
    expect(deleted.status).toBe(200)
    const left = await readFile(join(t.dir, 'transcripts', day), 'utf8').catch(() => '')
    expect(left).not.toContain(id)
    expect((await kari.page('/console/audit')).html).toContain('slettet data')
  })

  it('Should show the audit log when its last line is torn, and append after it cleanly', async () => {
    const first = await makeApp()
    cleanups.push(first.cleanup)
    await addStaffMember(first, 'kari', 'coordinator')
    await loggedIn(first, 'kari')
    const month = (await readdir(join(first.dir, 'audit')))[0]!
    await appendFile(join(first.dir, 'audit', month), '{"at":"2026-11-23T11:00:00.000Z","act')
    // The next start on the same folder.
    const t = await makeApp({ dir: first.dir })
    const kari = await loggedIn(t, 'kari')
    expect((await kari.page('/console/audit')).status).toBe(200)
    const lines = await linesOf(join(t.dir, 'audit', month))
    for (const line of lines) expect(() => JSON.parse(line)).not.toThrow()
    expect(lines.filter((l) => l.includes('"login"'))).toHaveLength(2)
  })

  it('Should cut a torn journal line at open, so later turns and the next start-up work', async () => {
    const d = await dir()
    const t = await makeApp({ dir: d })
    await text(t, '+4791111111', 'meny')
    await appendFile(
      join(d, 'store', 'botState.journal'),
      '{"k":"sms/conversations/+4791111111/","v":{"eT'
    )
    const reopened = await makeApp({ dir: d })
    for (let i = 0; i < 5; i++) await text(reopened, `+479222222${i}`, 'meny')
    const again = await openStore(d)
    for (let i = 0; i < 5; i++) {
      expect(again.data.botState[`sms/conversations/+479222222${i}/`]).toBeDefined()
    }
    expect(again.data.botState['sms/conversations/+4791111111/']).toBeDefined()
  })

  it('Should say SLETT is done only when everything is gone, and keep the data when it is not', async () => {
    const t: TestApp = await makeApp()
    cleanups.push(t.cleanup)
    const phone = '+4791234567'
    await text(t, phone, 'meny')
    // A day "file" that cannot be read: deleting from it fails.
    await mkdir(join(t.dir, 'transcripts', '2026-11-01.jsonl'))
    await text(t, phone, 'slett')
    const reply = (await text(t, phone, '1')).join('\n')
    expect(reply).not.toContain('Vi har slettet alt')
    expect(reply).toContain('fikk ikke slettet alt')
    expect(t.store.data.contacts[`sms:${phone}`]).toBeDefined()
  })
})

describe('the audit log', () => {
  it('Should skip a damaged line in the middle and read the rest', async () => {
    const d = await dir()
    const audit = new AuditLog(join(d, 'audit'))
    audit.append({ at: '2026-11-23T10:00:00.000Z', actor: 's_1', action: 'login' })
    await audit.flush()
    await appendFile(join(d, 'audit', '2026-11.jsonl'), 'not json\n')
    audit.append({ at: '2026-11-23T10:05:00.000Z', actor: 's_1', action: 'logout' })
    await audit.flush()
    expect((await audit.recent()).map((e) => e.action)).toEqual(['logout', 'login'])
  })
})
