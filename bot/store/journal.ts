/**
 * @module bot/store/journal
 * A collection kept as a snapshot file plus an append-only journal of changed records, for the
 * collections that change all the time (the outbox, dialog state): a flush appends one line per
 * changed record and syncs one file, however large the collection.
 */
import { open, readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { DurableJsonFile, StoreCorruptError } from './durable-file.js'

/** A snapshot file plus a journal of changed records (`{"k": key, "v": record or null}` lines). */
export class Journal {
  readonly #changed = new Set<string>()
  readonly #snapshot: DurableJsonFile<Record<string, unknown>>
  readonly #file: string
  #lines = 0
  #limit = 20_000
  /** Set once this process has written the journal file: appends then change no folder entry. */
  #exists = false

  constructor(dir: string, name: string) {
    this.#snapshot = new DurableJsonFile(join(dir, `${name}-snapshot.json`))
    this.#file = join(dir, `${name}.journal`)
  }

  mark(key: string): void {
    this.#changed.add(key)
  }

  /** Whether the next append may create the journal file (whose name the folder must keep). */
  mayCreate(): boolean {
    return this.#changed.size > 0 && !this.#exists
  }

  /**
   * A journal over four times as long as the data it describes (and over 20,000 lines) is
   * rewritten as a snapshot. Records are counted only when the journal passes the last limit
   * worked out: counting keys on every flush cost more than the append itself.
   */
  tooLong(collection: Record<string, unknown>): boolean {
    if (this.#lines <= this.#limit) return false
    this.#limit = Math.max(20_000, 4 * Object.keys(collection).length)
    return this.#lines > this.#limit
  }

  async append(collection: Record<string, unknown>): Promise<void> {
    if (this.#changed.size === 0) return
    const lines = [...this.#changed].map(
      (k) => JSON.stringify({ k, v: collection[k] ?? null }) + '\n'
    )
    this.#changed.clear()
    this.#lines += lines.length
    const handle = await open(this.#file, 'a')
    try {
      await handle.appendFile(lines.join(''), 'utf8')
      await handle.datasync()
    } finally {
      await handle.close()
    }
    this.#exists = true
  }

  async snapshot(collection: Record<string, unknown>): Promise<void> {
    this.#changed.clear()
    await this.#snapshot.write(collection)
    // A crash before this truncation only replays changes the snapshot already has.
    await writeFile(this.#file, '')
    this.#lines = 0
    this.#exists = true
  }

  /** The snapshot with the journal replayed; a torn last line (a crash mid-append) is ignored. */
  static async read(dir: string, name: string): Promise<Record<string, unknown>> {
    const file = join(dir, `${name}.journal`)
    const snapshot = await new DurableJsonFile<Record<string, unknown>>(
      join(dir, `${name}-snapshot.json`)
    ).read()
    // No prototype, so a key like "__proto__" is stored as a key.
    const data: Record<string, unknown> = Object.assign(Object.create(null), snapshot)
    const text = await readFile(file, 'utf8').catch(() => '')
    const lines = text.split('\n')
    lines.pop() // after the last newline: empty, or a line the crash cut short
    for (const [i, line] of lines.entries()) {
      let change: { k: string; v: unknown }
      try {
        change = JSON.parse(line) as { k: string; v: unknown }
      } catch {
        throw new StoreCorruptError(file, `line ${i + 1} is not JSON`)
      }
      if (change.v === null) delete data[change.k]
      else data[change.k] = change.v
    }
    return data
  }
}
