/**
 * @module bot/store/journal
 * A collection kept as a snapshot file plus an append-only journal of changed records, for the
 * collections that change all the time (the outbox, dialog state): a flush appends one line per
 * changed record and syncs one file, however large the collection. A torn last line (a crash or a
 * full disk mid-append) is cut off (and reported) at open and before every append, so no later
 * line is ever glued to it; a write that failed leaves its records marked for the next flush. Compacting
 * starts a new journal file named in the new snapshot, so a crash part-way never replays old
 * lines over a newer snapshot (which could bring back a record SLETT had deleted).
 */
import { readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { DurableJsonFile, StoreCorruptError } from './durable-file.js'
import { appendSynced, cutTornTail } from './jsonl-file.js'
import { checkCount, StoreMissingError } from './manifest.js'

/** The snapshot file: its records, and which journal file holds the changes since. */
type Snapshot = { journal: number; records: Record<string, unknown> }

/** `botState.journal` before the first compaction that named one, then `botState.<n>.journal`. */
export const journalName = (name: string, generation: number) =>
  generation === 0 ? `${name}.journal` : `${name}.${generation}.journal`

/** A snapshot file plus a journal of changed records (`{"k": key, "v": record or null}` lines). */
export class Journal {
  readonly #changed = new Set<string>()
  readonly #snapshot: DurableJsonFile<Snapshot>
  readonly #dir: string
  readonly #name: string
  #generation: number
  #file: string
  #lines = 0
  #limit = 20_000
  /** Set once this process has written the journal file: appends then change no folder entry. */
  #exists = false
  /** Records in the snapshot file as last written (for the manifest); unset while there is none. */
  snapshotRecords: number | undefined
  /** Lines in the current journal file, as read and appended since (for the manifest). */
  fileLines: number

  /** `generation`, `snapshotRecords`: what `read` found; `onCut` hears of a torn line cut off. */
  constructor(
    dir: string,
    name: string,
    generation = 0,
    snapshotRecords?: number,
    private readonly onCut: (file: string, bytes: number) => void = () => {},
    fileLines = 0
  ) {
    this.snapshotRecords = snapshotRecords
    this.fileLines = fileLines
    this.#exists = fileLines > 0
    this.#snapshot = new DurableJsonFile(join(dir, `${name}-snapshot.json`))
    this.#dir = dir
    this.#name = name
    this.#generation = generation
    this.#file = join(dir, journalName(name, generation))
  }

  /** The journal file changes are appended to now. */
  get file(): string {
    return journalName(this.#name, this.#generation)
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
    const keys = [...this.#changed]
    this.#changed.clear()
    const lines = keys.map((k) => JSON.stringify({ k, v: collection[k] ?? null }) + '\n')
    try {
      await appendSynced(this.#file, lines.join(''), (bytes) => this.onCut(this.#file, bytes))
    } catch (error) {
      for (const k of keys) this.#changed.add(k)
      throw error
    }
    this.#lines += lines.length
    this.fileLines += lines.length
    this.#exists = true
  }

  /**
   * Rewrites the collection as a snapshot once `before` resolves (the manifest lowered). The
   * changed records are taken now, so a change made while it waits goes in the next flush.
   */
  async snapshot(
    collection: Record<string, unknown>,
    before: Promise<unknown> = Promise.resolve()
  ): Promise<void> {
    const keys = [...this.#changed]
    this.#changed.clear()
    const old = this.#file
    const next = this.#generation + 1
    // The store passes a copy taken with the changed keys, so this is the count written.
    const records = Object.keys(collection).length
    try {
      await before
      await this.#snapshot.write({ journal: next, records: collection })
    } catch (error) {
      for (const k of keys) this.#changed.add(k)
      throw error
    }
    // From here the snapshot names the new journal: the old one is never read again.
    this.snapshotRecords = records
    this.#generation = next
    this.#file = join(this.#dir, journalName(this.#name, next))
    this.#lines = 0
    this.fileLines = 0
    this.#exists = false
    await unlink(old).catch(() => {})
  }

  /**
   * The snapshot with the journal replayed. A torn last line (a crash mid-append) is cut off the
   * file, and reported through `onCut`; a damaged line before it is a damaged store.
   */
  static async read(
    dir: string,
    name: string,
    onCut: (file: string, bytes: number) => void = () => {},
    /**
     * The manifest: fewer records in the snapshot, or a journal the snapshot names missing or
     * with fewer lines than listed, stops here, changing nothing.
     */
    listed: Readonly<Record<string, number>> = {}
  ): Promise<{
    records: Record<string, unknown>
    generation: number
    snapshotRecords?: number
    fileLines: number
  }> {
    const stored = await new DurableJsonFile<Snapshot | Record<string, unknown>>(
      join(dir, `${name}-snapshot.json`)
    ).read()
    // Older snapshots were the bare records, with `<name>.journal` beside them.
    const named = isNamed(stored)
    const found = stored ? Object.keys(named ? stored.records : stored).length : 0
    checkCount(dir, listed, `${name}-snapshot.json`, found)
    const generation = named ? stored.journal : 0
    const file = join(dir, journalName(name, generation))
    const listedLines = listed[journalName(name, generation)] ?? 0
    if (listedLines > 0 && !(await readdir(dir)).includes(journalName(name, generation)))
      throw new StoreMissingError(file, listedLines)
    await removeOtherJournals(dir, name, journalName(name, generation))
    // No prototype, so a key like "__proto__" is stored as a key.
    const data: Record<string, unknown> = Object.assign(
      Object.create(null),
      named ? stored.records : stored
    )
    const cut = await cutTornTail(file)
    if (cut > 0) onCut(file, cut)
    const text = await readFile(file, 'utf8').catch(() => '')
    let fileLines = 0
    for (const line of text.split('\n')) if (line) fileLines++
    checkCount(dir, listed, journalName(name, generation), fileLines)
    for (const [i, line] of text.split('\n').entries()) {
      if (!line) continue
      let change: { k: string; v: unknown }
      try {
        change = JSON.parse(line) as { k: string; v: unknown }
      } catch {
        throw new StoreCorruptError(file, `line ${i + 1} is not JSON`)
      }
      if (change.v === null) delete data[change.k]
      else data[change.k] = change.v
    }
    const snapshotRecords = stored ? found : undefined
    return { records: data, generation, snapshotRecords, fileLines }
  }
}

function isNamed(stored: unknown): stored is Snapshot {
  const s = stored as Partial<Snapshot> | null
  return typeof s?.journal === 'number' && typeof s.records === 'object' && s.records !== null
}

/** Journals a compaction left behind when it stopped before deleting them. */
async function removeOtherJournals(dir: string, name: string, current: string): Promise<void> {
  const pattern = new RegExp(`^${name}(\\.\\d+)?\\.journal$`)
  const stale = (await readdir(dir)).filter((f) => pattern.test(f) && f !== current)
  await Promise.all(stale.map((f) => unlink(join(dir, f))))
}
