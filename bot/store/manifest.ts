/**
 * @module bot/store/manifest
 * The list of the store's files and how many records each holds, so a file that goes missing or
 * is emptied (deleted by hand, replaced by `{}`, a bad restore) stops start-up with a clear line
 * instead of starting with fewer participants and no warning. The counts it lists never exceed
 * what a file holds at any moment a crash could see: a count that grows is listed after the file
 * is durable, and one that shrinks (a deletion) is lowered before the file is replaced. So a file
 * with fewer records than listed was damaged from outside, never by a crash.
 */
import { join } from 'node:path'
import { DurableJsonFile } from './durable-file.js'

const MANIFEST = 'manifest.json'

type Manifest = { files: Record<string, number> }

/** What a file holds: records, or for a journal its lines (one change each). */
const records = (n: number, file = '') =>
  file.endsWith('.journal') ? `${n} line${n === 1 ? '' : 's'}` : `${n} record${n === 1 ? '' : 's'}`

export class StoreMissingError extends Error {
  constructor(file: string, held: number) {
    super(
      `Store file ${file} is missing (it held ${records(held, file)}): restore it from a backup, or delete ${MANIFEST} beside it to start without it; nothing was changed.`
    )
  }
}

/** A file holds fewer records than the manifest lists: emptied or replaced from outside. */
export class StoreShrunkError extends Error {
  constructor(file: string, listed: number, found: number) {
    super(
      `Store file ${file} holds ${records(found, file)} but held ${records(listed, file)} (emptied or replaced since): restore it from a backup, or delete ${MANIFEST} beside it to start with what is there; nothing was changed.`
    )
  }
}

export class ManifestFile {
  readonly #file: DurableJsonFile<Manifest>
  /** What the file on disk lists now. */
  #listed: Record<string, number> = {}
  #written = ''

  constructor(private readonly dir: string) {
    this.#file = new DurableJsonFile(join(dir, MANIFEST))
  }

  /**
   * Throws StoreMissingError for a listed file with records that is not among `present`;
   * returns the counts listed (empty when there is no manifest yet).
   */
  async check(present: ReadonlySet<string>): Promise<Readonly<Record<string, number>>> {
    const manifest = await this.#file.read()
    if (!manifest) return {}
    this.#written = JSON.stringify(manifest)
    this.#listed = { ...manifest.files }
    for (const [file, held] of Object.entries(this.#listed)) {
      // A journal is checked as its snapshot is read, only if the snapshot names it: one a
      // compaction replaced may still be listed after a crash, and is rightly gone.
      if (file.endsWith('.journal')) continue
      if (held > 0 && !present.has(file)) throw new StoreMissingError(join(this.dir, file), held)
    }
    return this.#listed
  }

  /**
   * Before files are replaced with these counts: lowers every listed count that is about to
   * shrink, so the manifest never lists more than a file holds. Writes only when one shrinks.
   */
  async lowerFor(next: Record<string, number>): Promise<void> {
    const lowered = { ...this.#listed }
    let shrinks = false
    for (const [file, count] of Object.entries(next)) {
      if ((lowered[file] ?? 0) > count) {
        lowered[file] = count
        shrinks = true
      }
    }
    if (shrinks) await this.write(lowered)
  }

  /** Writes the list when it changed (a file created, a count changed). */
  async write(files: Record<string, number>): Promise<void> {
    const manifest = { files }
    const text = JSON.stringify(manifest)
    if (text === this.#written) return
    await this.#file.write(manifest)
    this.#written = text
    this.#listed = { ...files }
  }
}

/** Throws StoreShrunkError when `file` holds fewer records than the manifest listed. */
export function checkCount(
  dir: string,
  listed: Readonly<Record<string, number>>,
  file: string,
  found: number
): void {
  const held = listed[file]
  if (held !== undefined && found < held) throw new StoreShrunkError(join(dir, file), held, found)
}
