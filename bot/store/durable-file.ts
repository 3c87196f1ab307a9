/**
 * @module bot/store/durable-file
 * A lowdb adapter that survives crashes and power loss: compact JSON to a temp file, fsync,
 * rename over the target, fsync the folder. A file that does not parse is an error, never a
 * silent reset to empty.
 */
import { open, readFile, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { Adapter } from 'lowdb'

/** The store file exists but cannot be read as data; start-up must stop and say so. */
export class StoreCorruptError extends Error {
  constructor(
    readonly file: string,
    reason: string
  ) {
    super(
      `Store file ${file} is damaged (${reason}). Restore it from a backup or move it away; nothing was changed.`
    )
  }
}

export class DurableJsonFile<T> implements Adapter<T> {
  readonly #file: string
  readonly #tmp: string

  /** `syncFolder: false` when the caller syncs the folder once after many renames (the store). */
  constructor(
    file: string,
    private readonly options: { syncFolder: boolean } = { syncFolder: true }
  ) {
    this.#file = file
    // Per-process temp name: two writers must never share one (see tech notes, lowdb caveats).
    this.#tmp = join(dirname(file), `.${basename(file)}.${process.pid}.tmp`)
  }

  async read(): Promise<T | null> {
    let text: string
    try {
      text = await readFile(this.#file, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw error
    }
    try {
      return JSON.parse(text) as T
    } catch (error) {
      throw new StoreCorruptError(this.#file, (error as Error).message)
    }
  }

  async write(data: T): Promise<void> {
    const text = JSON.stringify(data)
    try {
      const handle = await open(this.#tmp, 'w')
      try {
        await handle.writeFile(text, 'utf8')
        await handle.datasync()
      } finally {
        await handle.close()
      }
      await rename(this.#tmp, this.#file)
    } catch (error) {
      // A half-written temp file (a full disk) must not keep the space.
      await unlink(this.#tmp).catch(() => {})
      throw error
    }
    if (this.options.syncFolder) await syncDirectory(dirname(this.#file))
  }
}

/** Makes renames in `dir` durable. */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r')
  try {
    await handle.sync()
  } finally {
    await handle.close()
  }
}
