/**
 * @module bot/store/instance-lock
 * One process per DATA_DIR: the embedded store lives in one process's memory, and two writers
 * would overwrite each other's files. A lock file created with O_EXCL holds the owner's pid; a
 * lock whose process is gone (kill -9, a power cut) is taken over, so a restart never waits.
 * No package: proper-lockfile detects a dead owner only after its lock has gone stale (seconds
 * of waiting after a crash); a pid is exact on one machine, which is all one DATA_DIR allows.
 */
import { closeSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { join, resolve } from 'node:path'

export class InstanceLockedError extends Error {}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/** Takes DATA_DIR/instance.lock or throws InstanceLockedError; returns the release function. */
export async function lockDataDir(dataDir: string): Promise<() => void> {
  await mkdir(dataDir, { recursive: true })
  const path = join(dataDir, 'instance.lock')
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx')
      writeSync(fd, `${process.pid}\n`)
      fsyncSync(fd)
      closeSync(fd)
      return () => release(path)
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
    const owner = Number(readFileSync(path, 'utf8').trim())
    if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner)) {
      throw new InstanceLockedError(
        `Another instance (pid ${owner}) is using DATA_DIR ${resolve(dataDir)}: stop it first, or delete ${path} if no instance is running.`
      )
    }
    // Left by a process that is gone: take it over.
    unlinkSync(path)
  }
  throw new InstanceLockedError(`Could not take the lock ${path}`)
}

/** Removes the lock if it is still ours (synchronous: it runs on process exit). */
function release(path: string): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(process.pid)) unlinkSync(path)
  } catch {
    // Already gone.
  }
}
