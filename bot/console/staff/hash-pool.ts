/**
 * @module bot/console/staff/hash-pool
 * Password hashing off the path that answers SMS: scrypt runs in one worker thread of its own,
 * one hash at a time, with at most `maxWaiting` more queued. node's async scrypt would use libuv's
 * four threads, the same ones every file write and sync waits for, so twenty logins at once once
 * held a webhook for a minute. Past the queue limit a hash is refused at once (HashingBusy), and
 * the worker rests between hashes as long as each took, so logins never take more than half a
 * core from the rest of the process.
 * No package: piscina needs its worker as a file beside the bundle; this worker is six lines.
 */
import { Worker } from 'node:worker_threads'
import pLimit from 'p-limit'

/** Too many hashes waiting: the caller answers "busy, try again" without hashing. */
export class HashingBusy extends Error {}

export type ScryptJob = {
  password: string
  salt: Buffer
  length: number
  options: { N: number; r: number; p: number; maxmem: number }
}

// Runs in the worker: plain JavaScript, so it needs no file of its own in the bundle.
// It lowers its own thread's priority (nice 10; on Linux a thread's own): on a busy machine the
// webhooks' thread and the file-writing threads get about nine times its share of the CPU, and
// logins wait. Not 19: in a saturated machine that would starve logins for tens of seconds.
const workerCode = `
const { parentPort } = require('node:worker_threads')
const { scryptSync } = require('node:crypto')
try { require('node:os').setPriority(10) } catch {}
parentPort.on('message', ({ id, job }) => {
  try { parentPort.postMessage({ id, key: scryptSync(job.password, job.salt, job.length, job.options) }) }
  catch (error) { parentPort.postMessage({ id, error: String(error && error.message) }) }
})`

type Reply = { id: number; key?: Uint8Array; error?: string }

export function createHashPool(maxWaiting: number) {
  const one = pLimit(1)
  let worker: Worker | undefined
  let next = 0
  const waiting = new Map<number, (reply: Reply) => void>()

  /** The worker died: every hash it held fails, and the next one starts a new worker. */
  const lost = (error: unknown) => {
    worker = undefined
    for (const [id, done] of waiting) done({ id, error: String(error) })
  }

  const start = () => {
    const w = new Worker(workerCode, { eval: true })
    w.on('message', (reply: Reply) => waiting.get(reply.id)?.(reply))
    w.on('error', lost)
    w.on('exit', (code) => lost(`hashing worker exited with ${code}`))
    // Idle, it must not keep a CLI or a test process alive.
    w.unref()
    return w
  }

  const run = (job: ScryptJob) =>
    new Promise<Buffer>((resolve, reject) => {
      worker ??= start()
      const id = ++next
      waiting.set(id, (reply) => {
        waiting.delete(id)
        worker?.unref()
        if (reply.key) resolve(Buffer.from(reply.key))
        else reject(new Error(reply.error ?? 'scrypt failed'))
      })
      worker.ref()
      worker.postMessage({ id, job })
    })

  return {
    /** Whether a hash asked for now would be refused (HashingBusy). */
    full: () => one.pendingCount >= maxWaiting,
    /** The derived key; throws HashingBusy when `maxWaiting` hashes already wait. */
    scrypt(job: ScryptJob): Promise<Buffer> {
      if (one.pendingCount >= maxWaiting) return Promise.reject(new HashingBusy())
      return new Promise<Buffer>((resolve, reject) => {
        void one(async () => {
          const started = performance.now()
          await run(job).then(resolve, reject)
          // Then rest as long as the hash took, before the next: logins get at most half a
          // core, so on a small machine a flood of them leaves the rest to the webhooks.
          await new Promise((r) => setTimeout(r, performance.now() - started).unref())
        })
      })
    },
  }
}
