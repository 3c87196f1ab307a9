/**
 * @module bot/scheduler/retention
 * Deletes what has been kept long enough: transcripts by day file, closed chats with a person,
 * finished outbound messages, needs mappings past their period, and audit months past
 * theirs. Run daily from main.ts; `now` is injected.
 */
import { readdir, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Config } from '../config.js'
import type { AuditLog } from '../store/audit.js'
import type { InsightLog } from '../store/insight-log.js'
import type { Store } from '../store/store.js'
import type { TranscriptLog } from '../store/transcripts.js'

export type RetentionSettings = Pick<
  Config,
  | 'TRANSCRIPT_RETENTION_DAYS'
  | 'HANDOFF_RETENTION_DAYS'
  | 'MESSAGE_RETENTION_DAYS'
  | 'AUDIT_RETENTION_DAYS'
>

export type Pruned = {
  transcriptDays: number
  handoffs: number
  messages: number
  mappings: number
  auditMonths: number
}

const finished = new Set(['closed', 'expired', 'cancelled'])
const done = new Set(['sent', 'delivered', 'failed', 'cancelled'])

export async function pruneExpired(
  deps: {
    store: Store
    transcripts: TranscriptLog
    auditDir: string
    /** The audit log itself (PostgreSQL keeps it in a table); default: the files in auditDir. */
    audit?: Pick<AuditLog, 'pruneMonthsBefore'>
    settings: RetentionSettings
    /** Texts the bot did not understand (masked) go with the transcripts. */
    insight?: InsightLog
  },
  now: Date
): Promise<Pruned> {
  const { store, settings } = deps
  const before = (days: number) => new Date(now.getTime() - days * 86_400_000).toISOString()
  const removeWhere = <T>(name: 'handoffs' | 'outbox' | 'mappings', old: (r: T) => boolean) => {
    let count = 0
    for (const [key, record] of Object.entries(store.data[name] as Record<string, T>)) {
      if (old(record)) {
        store.remove(name, key)
        count++
      }
    }
    return count
  }
  const handoffCutoff = before(settings.HANDOFF_RETENTION_DAYS)
  const messageCutoff = before(settings.MESSAGE_RETENTION_DAYS)
  const keptCutoff = before(settings.TRANSCRIPT_RETENTION_DAYS)
  const pruned: Pruned = {
    transcriptDays: (await deps.transcripts.prune(now, settings.TRANSCRIPT_RETENTION_DAYS)).length,
    handoffs: removeWhere<{ state: string; updatedAt: string }>(
      'handoffs',
      (h) => finished.has(h.state) && h.updatedAt < handoffCutoff
    ),
    messages: removeWhere<{ state: string; updatedAt: string }>(
      'outbox',
      (m) => done.has(m.state) && m.updatedAt < messageCutoff
    ),
    mappings: removeWhere<{ at: string }>('mappings', (m) => m.at < keptCutoff),
    auditMonths: deps.audit
      ? await deps.audit.pruneMonthsBefore(before(settings.AUDIT_RETENTION_DAYS).slice(0, 7))
      : await pruneAudit(deps.auditDir, before(settings.AUDIT_RETENTION_DAYS).slice(0, 7)),
  }
  await deps.insight?.prune(now, settings.TRANSCRIPT_RETENTION_DAYS)
  if (pruned.messages > 0) store.compactJournals()
  await store.flush()
  return pruned
}

/** Audit files are one per month: a month goes once all of it is past the period. */
async function pruneAudit(dir: string, cutoffMonth: string): Promise<number> {
  const files = await readdir(dir).catch(() => [] as string[])
  const old = files.filter((f) => /^\d{4}-\d{2}\.jsonl$/.test(f) && f.slice(0, 7) < cutoffMonth)
  await Promise.all(old.map((f) => unlink(join(dir, f))))
  return old.length
}
