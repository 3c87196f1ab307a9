/**
 * An unlucky operator: kill -9 at any moment of a whole SLETT (transcripts rewritten, records
 * removed, journals compacted, the manifest and the audit line written). Whenever the process
 * dies, the store opens again (the manifest never lists more than a file holds), everyone else's
 * records and transcript lines are all there, and the person is either gone or still there for
 * a second SLETT, which then removes everything. Row 3 of issue 16, for the whole deletion.
 */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { cp, mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { forgetParticipant } from '../../bot/privacy/forget.js'
import { AuditLog } from '../../bot/store/audit.js'
import { enqueueMessage } from '../../bot/store/outbox.js'
import { touchParticipant } from '../../bot/store/participants.js'
import { openStore, type Store } from '../../bot/store/store.js'
import { TranscriptLog } from '../../bot/store/transcripts.js'
import { tempDir } from '../helpers/make-app.js'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const NOW = new Date('2026-11-23T10:00:00Z')
const DAYS = ['2026-11-20', '2026-11-21', '2026-11-22', '2026-11-23']
const PEOPLE = 300
const phone = (i: number) => `+47920${String(i).padStart(5, '0')}`

/** 300 participants with state, an outbox message each, and four large day files. */
async function pristine(dir: string): Promise<{ gone: string }> {
  const store = await openStore(dir)
  const ids: string[] = []
  for (let i = 0; i < PEOPLE; i++) {
    const { participant } = touchParticipant(store, 'sms', phone(i), NOW, () => `p_${i}`)
    store.put('botState', `sms/conversations/${phone(i)}/`, { eTag: '1', value: { i } })
    enqueueMessage(store, { id: `m_${i}`, channel: 'sms', to: phone(i), body: 'hei' }, NOW)
    ids.push(participant.id)
  }
  await store.flush()
  await mkdir(join(dir, 'transcripts'))
  for (const day of DAYS) {
    const lines = Array.from({ length: 10_000 }, (_, n) =>
      JSON.stringify({
        at: `${day}T10:00:00.000Z`,
        participantId: ids[n % PEOPLE],
        direction: 'in',
        text: `melding ${n} ${'x'.repeat(100)}`,
      })
    )
    await writeFile(join(dir, 'transcripts', `${day}.jsonl`), lines.join('\n') + '\n')
  }
  return { gone: ids[7]! }
}

/** Transcript lines per participant, over every day file. */
async function linesPer(dir: string): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  const days = (await readdir(join(dir, 'transcripts'))).filter((f) => /^[\d-]+\.jsonl$/.test(f))
  for (const file of days) {
    for (const line of (await readFile(join(dir, 'transcripts', file), 'utf8')).split('\n')) {
      if (!line) continue
      const id = (JSON.parse(line) as { participantId: string }).participantId
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
  }
  return counts
}

/** Runs the SLETT worker on `dir` and kills it `delay` ms after it is ready; true if it finished. */
async function killDuring(dir: string, participant: string, delay: number): Promise<boolean> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/slett-worker.ts'], {
    env: { ...process.env, DATA_DIR: dir, PARTICIPANT: participant },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const exited = once(child, 'exit')
  let out = ''
  child.stdout.on('data', (c: Buffer) => (out += c.toString()))
  while (!out.includes('ready')) await once(child.stdout, 'data')
  await new Promise((r) => setTimeout(r, delay))
  child.kill('SIGKILL')
  await exited
  return out.includes('done')
}

function othersIntact(store: Store, gone: string) {
  const others = Object.keys(store.data.participants).filter((id) => id !== gone)
  expect(others).toHaveLength(PEOPLE - 1)
  for (let i = 0; i < PEOPLE; i++) {
    if (`p_${i}` === gone) continue
    expect(store.data.botState[`sms/conversations/${phone(i)}/`], phone(i)).toBeDefined()
    expect(store.data.outbox[`m_${i}`], `m_${i}`).toBeDefined()
  }
}

describe('kill -9 during SLETT', () => {
  it('Should leave everyone else whole and the person gone or deletable again, wherever it dies', async () => {
    const temp = await tempDir()
    cleanups.push(temp.remove)
    const source = join(temp.dir, 'pristine')
    await mkdir(source)
    const { gone } = await pristine(source)
    const before = await linesPer(source)
    let killedMidway = 0
    for (const delay of [0, 5, 10, 20, 35, 50, 75, 100, 150, 1_000]) {
      const dir = join(temp.dir, `run-${delay}`)
      await cp(source, dir, { recursive: true })
      const finished = await killDuring(dir, gone, delay)
      if (!finished) killedMidway++
      const store = await openStore(dir)
      othersIntact(store, gone)
      const after = await linesPer(dir)
      for (const [id, count] of before) if (id !== gone) expect(after.get(id), id).toBe(count)
      if (!store.data.participants[gone]) expect(after.get(gone) ?? 0).toBe(0)
      // A second SLETT (the person texts it again) finishes the job.
      const transcripts = await TranscriptLog.open(dir)
      const audit = new AuditLog(join(dir, 'audit'))
      await forgetParticipant({ store, transcripts, audit, clock: () => NOW }, gone, 'participant')
      const reopened = await openStore(dir)
      expect(reopened.data.participants[gone]).toBeUndefined()
      expect(Object.values(reopened.data.outbox).filter((m) => m.to === phone(7))).toEqual([])
      expect((await linesPer(dir)).get(gone) ?? 0).toBe(0)
      othersIntact(reopened, gone)
    }
    // Most runs died part-way through, not before or after it.
    expect(killedMidway).toBeGreaterThan(2)
  }, 180_000)
})
