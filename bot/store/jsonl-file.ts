/**
 * @module bot/store/jsonl-file
 * JSON-lines files that survive crashes and a full disk: before every append the file's last byte
 * is looked at, and a torn last line (a crash or a full disk in the middle of an earlier append,
 * whoever made it) is cut off first, so nothing is ever glued to it; appends are synced; a
 * rewrite goes to a new file that replaces the old one only once it is complete and synced; a
 * damaged line is skipped by readers, costing that line and no other.
 */
import { open, readdir, rename, unlink, type FileHandle } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import { syncDirectory } from './durable-file.js'

/**
 * Appends `text` (whole lines) and syncs it. A torn last line is cut off first (one look at the
 * last byte: a stat and a one-byte read on the handle the append uses), and `onCut` hears how
 * many bytes went.
 */
export async function appendSynced(
  path: string,
  text: string,
  onCut?: (bytes: number) => void
): Promise<void> {
  const handle = await open(path, 'a+')
  try {
    const cut = await cutTail(handle)
    if (cut > 0) onCut?.(cut)
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
    return await cutTail(handle)
  } finally {
    await handle.close()
  }
}

/** The cut itself, on a handle open for reading and writing. */
async function cutTail(handle: FileHandle): Promise<number> {
  const { size } = await handle.stat()
  if (size === 0) return 0
  const buffer = Buffer.alloc(CHUNK)
  // Nearly always: the file ends in a newline, and one byte says so.
  await handle.read(buffer, 0, 1, size - 1)
  if (buffer[0] === 0x0a) return 0
  let end = size
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
  await handle.truncate(end)
  await handle.datasync()
  return size - end
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
 * Appends to a set of JSON-lines files in one folder, each append cutting a torn last line first
 * (appendSynced) and reporting the cut through `onCut`.
 */
export class LineAppender {
  constructor(
    readonly dir: string,
    private readonly onCut: (file: string, bytes: number) => void
  ) {}

  /** Cuts torn tails of every file in the folder now (start-up), so readers never meet one. */
  async repairAll(pattern: RegExp): Promise<void> {
    await removeStaleTemps(this.dir)
    const files = (await readdir(this.dir).catch(() => [] as string[])).filter((f) =>
      pattern.test(f)
    )
    for (const file of files) {
      const cut = await cutTornTail(join(this.dir, file))
      if (cut > 0) this.onCut(file, cut)
    }
  }

  append(file: string, text: string): Promise<void> {
    return appendSynced(join(this.dir, file), text, (bytes) => this.onCut(file, bytes))
  }
}
