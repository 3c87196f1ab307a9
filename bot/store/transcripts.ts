/**
 * @module bot/store/transcripts
 * Message history, out of the main document: one append-only JSON-lines file per day, so a year
 * of messages never slows a turn down and retention deletes whole files. Appends, deletions
 * (SLETT) and retention take turns on one lock, so a deletion never rewrites a file while
 * someone appends to it; a deletion writes a new file and renames it over the old one, so a
 * crash in the middle leaves the old file or the new one, whole.
 */
import { mkdir, readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger.js'
import { LineAppender, parseLines, replaceFile } from './jsonl-file.js'

export type TranscriptEntry = {
  at: string
  participantId: string
  direction: 'in' | 'out'
  text: string
  /** Who wrote an outgoing message: the bot or a staff member's id. */
  by?: string
}

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/

/** Which entries `recent` returns: those after `after` and up to `until` (ISO times). */
export type Window = { after?: string; until?: string }

export class TranscriptLog {
  #pending: TranscriptEntry[] = []
  #queued: Promise<void> | null = null
  #lock: Promise<unknown> = Promise.resolve()
  readonly #files: LineAppender

  constructor(
    readonly dir: string,
    private readonly logger?: Logger
  ) {
    this.#files = new LineAppender(dir, (file, bytes) =>
      logger?.warn('transcripts.torn_line_cut', { file, bytes })
    )
  }

  /** Opens the folder and cuts any torn last line a crash or a full disk left (logged). */
  static async open(dataDir: string, logger?: Logger): Promise<TranscriptLog> {
    const dir = join(dataDir, 'transcripts')
    await mkdir(dir, { recursive: true })
    const log = new TranscriptLog(dir, logger)
    await log.#files.repairAll(DAY_FILE)
    return log
  }

  /** Queues an entry; it is on disk once the next `flush()` resolves. */
  append(entry: TranscriptEntry): void {
    this.#pending.push(entry)
  }

  flush(): Promise<void> {
    if (this.#queued) return this.#queued
    const next = this.#exclusive(async () => {
      // From here on, new entries need the next flush.
      this.#queued = null
      const entries = this.#pending
      this.#pending = []
      if (entries.length) await this.#write(entries)
    })
    this.#queued = next
    return next
  }

  /** Runs `work` when nothing else touches the files, and holds them until it is done. */
  #exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.#lock.then(work)
    this.#lock = run.catch(() => {})
    return run
  }

  async #write(entries: TranscriptEntry[]): Promise<void> {
    const byDay = new Map<string, TranscriptEntry[]>()
    for (const e of entries)
      byDay.set(e.at.slice(0, 10), [...(byDay.get(e.at.slice(0, 10)) ?? []), e])
    const failed: TranscriptEntry[] = []
    let error: unknown
    for (const [day, dayEntries] of byDay) {
      const text = dayEntries.map((e) => JSON.stringify(e) + '\n').join('')
      await this.#files.append(`${day}.jsonl`, text).catch((e: unknown) => {
        failed.push(...dayEntries)
        error = e
      })
    }
    if (failed.length === 0) return
    // Not on disk (a full disk): they go with the next flush, ahead of anything newer.
    this.#pending.unshift(...failed)
    throw error
  }

  /**
   * The last `limit` entries of one participant in the window, newest last, searching back `days`
   * day files. A damaged line is skipped.
   */
  async recent(
    participantId: string,
    limit = 50,
    days = 30,
    window: Window = {}
  ): Promise<TranscriptEntry[]> {
    const files = (await this.#dayFiles()).slice(-days).reverse()
    const found: TranscriptEntry[] = []
    for (const file of files) {
      if (window.until && file.slice(0, 10) > window.until.slice(0, 10)) continue
      if (window.after && file.slice(0, 10) < window.after.slice(0, 10)) break
      const text = await readFile(join(this.dir, file), 'utf8').catch(() => '')
      const lines = text.split('\n').filter((l) => l.includes(participantId))
      const entries = parseLines<TranscriptEntry>(lines.join('\n'), () =>
        this.logger?.warn('transcripts.damaged_line', { file })
      ).filter(
        (e) =>
          e.participantId === participantId &&
          (!window.after || e.at > window.after) &&
          (!window.until || e.at <= window.until)
      )
      found.unshift(...entries)
      if (found.length >= limit) break
    }
    return found.slice(-limit)
  }

  /**
   * Removes every entry of one participant (SLETT), rewriting only the files that held them. A
   * damaged line that names them goes too. Throws (having removed what it could) when a file
   * cannot be read or written.
   */
  async forget(participantId: string): Promise<number> {
    const before = this.#pending.length
    this.#pending = this.#pending.filter((e) => e.participantId !== participantId)
    const unsent = before - this.#pending.length
    return this.#exclusive(async () => {
      let removed = unsent
      for (const file of await this.#dayFiles())
        removed += await this.#forgetIn(file, participantId)
      return removed
    })
  }

  async #forgetIn(file: string, participantId: string): Promise<number> {
    const path = join(this.dir, file)
    const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
    // Only lines that mention the id can be theirs: parse just those.
    const kept = lines.filter((line) => {
      if (!line.includes(participantId)) return true
      const [e] = parseLines<TranscriptEntry>(line)
      return e !== undefined && e.participantId !== participantId
    })
    if (kept.length === lines.length) return 0
    if (kept.length === 0) await unlink(path)
    else await replaceFile(path, kept.join('\n') + '\n')
    return lines.length - kept.length
  }

  /** Deletes day files older than `days` before `now` (retention). */
  prune(now: Date, days: number): Promise<string[]> {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10)
    return this.#exclusive(async () => {
      const old = (await this.#dayFiles()).filter((f) => f.slice(0, 10) < cutoff)
      await Promise.all(old.map((f) => unlink(join(this.dir, f))))
      return old
    })
  }

  async #dayFiles(): Promise<string[]> {
    return (await readdir(this.dir)).filter((f) => DAY_FILE.test(f)).sort()
  }
}
