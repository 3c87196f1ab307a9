/**
 * @module bot/store/manifest
 * The list of the store's files and how many records each held when last written, so a file
 * that goes missing (deleted by hand, a bad restore) stops start-up with a clear line instead of
 * starting with fewer participants and no warning. It is written after the files it lists are
 * durable, so a crash can leave it behind the files, never ahead of them.
 */
import { join } from 'node:path'
import { DurableJsonFile } from './durable-file.js'

const MANIFEST = 'manifest.json'

type Manifest = { files: Record<string, number> }

export class StoreMissingError extends Error {
  constructor(file: string, records: number) {
    super(
      `Store file ${file} is missing (it held ${records} record${records === 1 ? '' : 's'}): restore it from a backup, or delete ${MANIFEST} beside it to start without it; nothing was changed.`
    )
  }
}

export class ManifestFile {
  readonly #file: DurableJsonFile<Manifest>
  #written = ''

  constructor(private readonly dir: string) {
    this.#file = new DurableJsonFile(join(dir, MANIFEST))
  }

  /** Throws StoreMissingError for a listed file with records that is not among `present`. */
  async check(present: ReadonlySet<string>): Promise<void> {
    const manifest = await this.#file.read()
    if (!manifest) return
    this.#written = JSON.stringify(manifest)
    for (const [file, records] of Object.entries(manifest.files ?? {})) {
      if (records > 0 && !present.has(file))
        throw new StoreMissingError(join(this.dir, file), records)
    }
  }

  /** Writes the list when it changed (a file created, a count changed). */
  async write(files: Record<string, number>): Promise<void> {
    const manifest = { files }
    const text = JSON.stringify(manifest)
    if (text === this.#written) return
    await this.#file.write(manifest)
    this.#written = text
  }
}
