/**
 * @module bot/store/jsonl-file
 * JSON-lines files that survive crashes and a full disk: appends are synced; a torn last line (a
 * crash or a full disk in the middle of an append) is cut off before anything is appended after
 * it; a rewrite goes to a new file that replaces the old one only once it is complete and synced;
 * a damaged line is skipped by readers, costing that line and no other.
 */
import { open, readdir, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { syncDirectory } from './durable-file.js'

/** Appends `text` (whole lines) and syncs it. */
export async function appendSynced(path: string, text: string): Promise<void> {
  const handle = await open(path, 'a')
  try {
    await handle.appendFile(text, 'utf8')
    await handle.datasync()
  } finally {
    await handle.close()
  }
}

const CHUNK = 64 * 1024

/**
 * Cuts whatever follows the last newline (a line a crash or a full disk left unfinished); returns
 * how many bytes went. A missing file has nothing to cut.
 */
export async function cutTornTail(path: string): Promise<number> {
  const handle = await open(path, 'r+').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined
    throw error
  })
  if (!handle) return 0
  try {
    const { size } = await handle.stat()
    let end = size
    const buffer = Buffer.alloc(CHUNK)
    while (end > 0) {
      const start = Math.max(0, end - CHUNK)
      const { bytesRead } = await handle.read(buffer, 0, end - start, start)
      const newline = buffer.subarray(0, bytesRead).lastIndexOf(0x0a)
      if (newline >= 0) {
        end = start + newline + 1
        break
      }
      end = start
    }
    if (end === size) return 0
    await handle.truncate(end)
    await handle.datasync()
    return size - end
  } finally {
    await handle.close()
  }
}

/** The lines that parse, in order; `damaged` hears of each that does not. */
export function parseLines<T>(text: string, damaged?: (line: string) => void): T[] {
  const entries: T[] = []
  for (const line of text.split('\n')) {
    if (!line) continue
    try {
      entries.push(JSON.parse(line) as T)
    } catch {
      damaged?.(line)
    }
  }
  return entries
}

const tempName = (path: string) => join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)

/** Replaces the file's content atomically: temp file, sync, rename, folder sync. */
export async function replaceFile(path: string, text: string): Promise<void> {
  const temp = tempName(path)
  try {
    const handle = await open(temp, 'w')
    try {
      await handle.writeFile(text, 'utf8')
      await handle.datasync()
    } finally {
      await handle.close()
    }
    await rename(temp, path)
  } catch (error) {
    await unlink(temp).catch(() => {})
    throw error
  }
  await syncDirectory(dirname(path))
}

/** Removes temp files a killed process left in `dir` (the instance lock says none is running). */
export async function removeStaleTemps(dir: string): Promise<string[]> {
  const stale = (await readdir(dir).catch(() => [] as string[])).filter((f) =>
    /^\..+\.\d+\.tmp$/.test(f)
  )
  await Promise.all(stale.map((f) => unlink(join(dir, f)).catch(() => {})))
  return stale
}

/**
 * Appends to a set of JSON-lines files in one folder, in order, and knows which files may end in
 * a torn line: every file before this process first appends to it, and any file an append to
 * failed. Those are cut back to their last whole line before the next append.
 */
export class LineAppender {
  readonly #checked = new Set<string>()

  constructor(
    readonly dir: string,
    private readonly onCut: (file: string, bytes: number) => void
  ) {}

  /** Cuts torn tails of every file in the folder now (start-up). */
  async repairAll(pattern: RegExp): Promise<void> {
    await removeStaleTemps(this.dir)
    const files = (await readdir(this.dir).catch(() => [] as string[])).filter((f) =>
      pattern.test(f)
    )
    for (const file of files) await this.#check(file)
  }

  async append(file: string, text: string): Promise<void> {
    await this.#check(file)
    try {
      await appendSynced(join(this.dir, file), text)
    } catch (error) {
      // Part of it may be on disk: look again before the next append.
      this.#checked.delete(file)
      throw error
    }
  }

  /** The file was replaced or removed by a rewrite: it ends in a whole line. */
  replaced(file: string): void {
    this.#checked.add(file)
  }

  async #check(file: string): Promise<void> {
    if (this.#checked.has(file)) return
    const cut = await cutTornTail(join(this.dir, file))
    if (cut > 0) this.onCut(file, cut)
    this.#checked.add(file)
  }
}
