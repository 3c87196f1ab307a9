import { mkdir, readdir, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { pruneExpired } from '../../bot/scheduler/retention.js'
import { openStore } from '../../bot/store/store.js'
import { TranscriptLog } from '../../bot/store/transcripts.js'
import { tempDir } from '../helpers/make-app.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const settings = { TRANSCRIPT_RETENTION_DAYS: 90, HANDOFF_RETENTION_DAYS: 90, MESSAGE_RETENTION_DAYS: 30, AUDIT_RETENTION_DAYS: 365 }

describe('retention', () => {
  it('Should delete only what is past its period, as of an injected clock', async () => {
    const temp = await tempDir()
    cleanups.push(temp.remove)
    const store = await openStore(temp.dir)
    const transcripts = await TranscriptLog.open(temp.dir)
    const auditDir = join(temp.dir, 'audit')
    await mkdir(auditDir)
    for (const month of ['2025-10', '2025-11', '2025-12', '2026-11']) await writeFile(join(auditDir, `${month}.jsonl`), '{}\n')
    transcripts.append({ at: '2026-08-20T10:00:00.000Z', participantId: 'p_1', direction: 'in', text: 'old' })
    transcripts.append({ at: '2026-08-30T10:00:00.000Z', participantId: 'p_1', direction: 'in', text: 'kept' })
    await transcripts.flush()
    const base = { participantId: 'p_1', channel: 'sms' as const, urgent: false, reason: 'human' as const, history: [], notes: [] }
    const times = (at: string) => ({ createdAt: at, updatedAt: at, queuedAt: at, lastActivityAt: at })
    store.put('handoffs', 'h_old', { ...base, id: 'h_old', state: 'closed', ...times('2026-08-01T10:00:00.000Z') })
    store.put('handoffs', 'h_open', { ...base, id: 'h_open', state: 'claimed', ...times('2026-01-01T10:00:00.000Z') })
    store.put('handoffs', 'h_recent', { ...base, id: 'h_recent', state: 'closed', ...times('2026-11-01T10:00:00.000Z') })
    const message = (id: string, state: 'delivered' | 'pending', at: string) => ({ id, channel: 'sms' as const, to: '+4790000000', body: 'x', state, createdAt: at, updatedAt: at, attempts: 1 })
    store.put('outbox', 'm_old', message('m_old', 'delivered', '2026-10-01T10:00:00.000Z'))
    store.put('outbox', 'm_pending', message('m_pending', 'pending', '2026-01-01T10:00:00.000Z'))
    store.put('outbox', 'm_new', message('m_new', 'delivered', '2026-11-20T10:00:00.000Z'))

    const pruned = await pruneExpired({ store, transcripts, auditDir, settings }, new Date('2026-11-23T12:00:00Z'))

    expect(pruned).toEqual({ transcriptDays: 1, handoffs: 1, messages: 1, mappings: 0, auditMonths: 1 })
    expect(Object.keys(store.data.handoffs).sort()).toEqual(['h_open', 'h_recent'])
    expect(Object.keys(store.data.outbox).sort()).toEqual(['m_new', 'm_pending'])
    expect((await transcripts.recent('p_1', 10, 1000)).map((e) => e.text)).toEqual(['kept'])
    expect((await readdir(auditDir)).sort()).toEqual(['2025-11.jsonl', '2025-12.jsonl', '2026-11.jsonl'])
  })
})
