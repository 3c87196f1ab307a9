/**
 * @module bot/store/transcripts
 * Message history, out of the main document: one append-only JSON-lines file per day, so a year
 * of messages never slows a turn down and retention deletes whole files.
 */
import { mkdir, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'

export type TranscriptEntry = {
  at: string
  participantId: string
  direction: 'in' | 'out'
  text: string
  /** Who wrote an outgoing message: the bot or a staff member's id. */
  by?: string
}

export class TranscriptLog {
  #pending: string[] = []
  #flushing: Promise<void> | null = null
  #queued: Promise<void> | null = null

  constructor(readonly dir: string) {}

  static async open(dataDir: string): Promise<TranscriptLog> {
    const dir = join(dataDir, 'transcripts')
    await mkdir(dir, { recursive: true })
    return new TranscriptLog(dir)
  }

  /** Queues an entry; it is on disk once the next `flush()` resolves. */
  append(entry: TranscriptEntry): void {
    this.#pending.push(JSON.stringify(entry))
  }

  flush(): Promise<void> {
    if (this.#queued) return this.#queued
    const next = (this.#flushing ?? Promise.resolve())
      .catch(() => {})
      .then(async () => {
        this.#queued = null
        const lines = this.#pending
        this.#pending = []
        if (lines.length === 0) return
        const work = this.#writeLines(lines)
        this.#flushing = work
        try {
          await work
        } finally {
          if (this.#flushing === work) this.#flushing = null
        }
      })
    this.#queued = next
    return next
  }

  async #writeLines(lines: string[]): Promise<void> {
    const byDay = new Map<string, string[]>()
    for (const line of lines) {
      const day = (JSON.parse(line) as TranscriptEntry).at.slice(0, 10)
      byDay.set(day, [...(byDay.get(day) ?? []), line])
    }
    for (const [day, dayLines] of byDay) {
      const handle = await open(join(this.dir, `${day}.jsonl`), 'a')
      try {
        await handle.appendFile(dayLines.join('\n') + '\n', 'utf8')
        await handle.datasync()
      } finally {
        await handle.close()
      }
    }
  }

  /** The last `limit` entries for one participant, newest last, searching back `days` day files. */
  async recent(participantId: string, limit = 50, days = 30): Promise<TranscriptEntry[]> {
    const files = (await this.#dayFiles()).slice(-days).reverse()
    const found: TranscriptEntry[] = []
    for (const file of files) {
      const entries = (await readFile(join(this.dir, file), 'utf8'))
        .split('\n')
        .filter((l) => l.includes(participantId))
        .map((l) => JSON.parse(l) as TranscriptEntry)
        .filter((e) => e.participantId === participantId)
      found.unshift(...entries)
      if (found.length >= limit) break
    }
    return found.slice(-limit)
  }

  /** Removes every entry of one participant (SLETT), rewriting only the files that held them. */
  async forget(participantId: string): Promise<number> {
    await this.flush()
    let removed = 0
    for (const file of await this.#dayFiles()) {
      const path = join(this.dir, file)
      const lines = (await readFile(path, 'utf8')).split('\n').filter(Boolean)
      // Only lines that mention the id can be theirs: parse just those.
      const kept = lines.filter(
        (l) =>
          !l.includes(participantId) ||
          (JSON.parse(l) as TranscriptEntry).participantId !== participantId
      )
      if (kept.length === lines.length) continue
      removed += lines.length - kept.length
      if (kept.length === 0) await unlink(path)
      else await writeFile(path, kept.join('\n') + '\n', 'utf8')
    }
    return removed
  }

  /** Deletes day files older than `days` before `now` (retention). */
  async prune(now: Date, days: number): Promise<string[]> {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10)
    const old = (await this.#dayFiles()).filter((f) => f.slice(0, 10) < cutoff)
    await Promise.all(old.map((f) => unlink(join(this.dir, f))))
    return old
  }

  async #dayFiles(): Promise<string[]> {
    return (await readdir(this.dir)).filter((f) => /^\d{4}-\d{2}-\d{2}\.jsonl$/.test(f)).sort()
  }
}
