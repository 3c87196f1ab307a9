/**
 * @module bot/store/audit
 * Who did what in the console: logins, opening a conversation, replies, transfers. Append-only
 * JSON lines, one file a month, outside the main document so it never slows a turn down. A torn
 * last line (a crash, a full disk) is cut off (and logged) before the next append; a damaged line
 * is skipped.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger.js'
import { LineAppender, parseLines } from './jsonl-file.js'

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

const MONTH_FILE = /^\d{4}-\d{2}\.jsonl$/

export class AuditLog {
  #pending: AuditEntry[] = []
  #writing: Promise<void> = Promise.resolve()
  readonly #files: LineAppender

  constructor(
    readonly dir: string,
    private readonly logger?: Logger
  ) {
    this.#files = new LineAppender(dir, (file, bytes) =>
      logger?.warn('audit.torn_line_cut', { file, bytes })
    )
  }

  /** Cuts any torn last line now (start-up); every append also cuts one first. */
  async repair(): Promise<void> {
    await this.#files.repairAll(MONTH_FILE)
  }

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
    const months = [...byMonth]
    for (const [i, [month, lines]] of months.entries()) {
      try {
        await this.#files.append(
          `${month}.jsonl`,
          lines.map((l) => JSON.stringify(l) + '\n').join('')
        )
      } catch (error) {
        // Not on disk (a full disk): kept for the next flush.
        this.#pending.unshift(...months.slice(i).flatMap(([, rest]) => rest))
        throw error
      }
    }
  }

  /** Deletes the month files before `cutoffMonth` (YYYY-MM), retention; returns how many. */
  async pruneMonthsBefore(cutoffMonth: string): Promise<number> {
    const files = await readdir(this.dir).catch(() => [] as string[])
    const old = files.filter((f) => MONTH_FILE.test(f) && f.slice(0, 7) < cutoffMonth)
    await Promise.all(old.map((f) => unlink(join(this.dir, f))))
    return old.length
  }

  /** The newest `limit` entries, newest first. */
  async recent(limit = 200): Promise<AuditEntry[]> {
    await this.flush()
    const files = (await readdir(this.dir).catch(() => [] as string[]))
      .filter((f) => MONTH_FILE.test(f))
      .sort()
      .reverse()
    const found: AuditEntry[] = []
    for (const file of files) {
      const text = await readFile(join(this.dir, file), 'utf8')
      const entries = parseLines<AuditEntry>(text, () =>
        this.logger?.warn('audit.damaged_line', { file })
      )
      found.push(...entries.reverse())
      if (found.length >= limit) break
    }
    return found.slice(0, limit)
  }
}
