/**
 * @module bot/store/audit
 * Who did what in the console: logins, opening a conversation, replies, transfers. Append-only
 * JSON lines, one file a month, outside the main document so it never slows a turn down.
 */
import { mkdir, open, readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'

export type AuditEntry = {
  at: string
  /** A staff id, or "system". */
  actor: string
  action: string
  handoffId?: string
  participantId?: string
  /** The staff account an admin changed (console Staff page). */
  staffId?: string
  detail?: string
}

export class AuditLog {
  #pending: AuditEntry[] = []
  #writing: Promise<void> = Promise.resolve()

  constructor(readonly dir: string) {}

  /** Queues an entry; it is on disk once the next `flush()` resolves. */
  append(entry: AuditEntry): void {
    this.#pending.push(entry)
  }

  flush(): Promise<void> {
    const entries = this.#pending
    this.#pending = []
    if (entries.length === 0) return this.#writing
    this.#writing = this.#writing.catch(() => {}).then(() => this.#write(entries))
    return this.#writing
  }

  async #write(entries: AuditEntry[]): Promise<void> {
    await mkdir(this.dir, { recursive: true })
    const byMonth = new Map<string, AuditEntry[]>()
    for (const e of entries)
      byMonth.set(e.at.slice(0, 7), [...(byMonth.get(e.at.slice(0, 7)) ?? []), e])
    for (const [month, lines] of byMonth) {
      const handle = await open(join(this.dir, `${month}.jsonl`), 'a')
      try {
        await handle.appendFile(lines.map((l) => JSON.stringify(l) + '\n').join(''), 'utf8')
        await handle.datasync()
      } finally {
        await handle.close()
      }
    }
  }

  /** The newest `limit` entries, newest first. */
  async recent(limit = 200): Promise<AuditEntry[]> {
    await this.flush()
    const files = (await readdir(this.dir).catch(() => [] as string[]))
      .filter((f) => /^\d{4}-\d{2}\.jsonl$/.test(f))
      .sort()
      .reverse()
    const found: AuditEntry[] = []
    for (const file of files) {
      const lines = (await readFile(join(this.dir, file), 'utf8')).split('\n').filter(Boolean)
      found.push(...lines.reverse().map((l) => JSON.parse(l) as AuditEntry))
      if (found.length >= limit) break
    }
    return found.slice(0, limit)
  }
}
