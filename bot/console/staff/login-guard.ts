/**
 * @module bot/console/staff/login-guard
 * Limits on wrong passwords, over rate-limiter-flexible (its "login endpoint protection" pattern):
 * STAFF_LOCKOUT_ATTEMPTS wrong in a row for one name from one address lock that name for that
 * address; four times as many from anywhere lock the name everywhere (so locking an admin out
 * takes several places, not one); STAFF_LOGIN_FAILURES_PER_ADDRESS wrong in an hour, whatever
 * the names, stop the address. The address is charged before any hashing (and the charge given
 * back on success), and it may have at most MAX_HASHING_PER_ADDRESS tries hashing at once, so one
 * address's flood never fills the hashing queue for everyone else. Names are counted whether an
 * account has them or not, so a locked unknown name looks exactly like a locked account. Counts
 * and locks are in memory for one process, or in PostgreSQL (rate-limiter-flexible's store) when
 * several instances share a database, so a flood spread over instances is stopped just the same.
 */
import type { RateLimiterAbstract } from 'rate-limiter-flexible'
import { memoryLimiters, type Limiters } from '../../rate-limit.js'

export type LoginGuard = ReturnType<typeof createLoginGuard>

/** Tries one address may have hashing (or waiting to) at once; more are refused at once. */
export const MAX_HASHING_PER_ADDRESS = 2

type Limit = { limiter: RateLimiterAbstract; points: number; lockMs: number }

/** Where locks are kept: in memory on the injected clock, or shared by every instance. */
type Locks = {
  isLocked(key: string): Promise<boolean>
  lock(key: string, ms: number): Promise<void>
  unlock(username: string): Promise<void>
}

/** One process: locks until a time of the injected clock (so tests can move past them). */
function memoryLocks(clock: () => Date): Locks {
  const locks = new Map<string, number>()
  return {
    isLocked: async (key) => (locks.get(key) ?? 0) > clock().getTime(),
    lock: async (key, ms) => void locks.set(key, clock().getTime() + ms),
    async unlock(username) {
      for (const key of [...locks.keys()]) if (key.split('|')[1] === username) locks.delete(key)
    },
  }
}

/** Several instances: a lock is a blocked key in the shared limits table (on the wall clock). */
function sharedLocks(limiters: Limiters): Locks {
  const blocked = limiters('login-locks', 1, 1)
  return {
    isLocked: async (key) => ((await blocked.get(key))?.consumedPoints ?? 0) > 1,
    lock: async (key, ms) => void (await blocked.block(key, Math.ceil(ms / 1000))),
    // The name's own lock and its lock at every address, as one process forgets them.
    async unlock(username) {
      await blocked.delete(`all|${username}`)
      await limiters.forget?.('login-locks', `here|${username}|`)
    },
  }
}

export function createLoginGuard(
  settings: {
    STAFF_LOCKOUT_ATTEMPTS: number
    STAFF_LOCKOUT_MINUTES: number
    STAFF_LOGIN_FAILURES_PER_ADDRESS: number
  },
  clock: () => Date,
  /** Several instances: counts and locks in the shared table; default in memory. */
  limiters?: Limiters
) {
  /** Counts `points` wrong passwords within `lockMs`; reaching them locks for `lockMs`. */
  const limit = (name: string, points: number, lockMs: number): Limit => ({
    limiter: (limiters ?? memoryLimiters)(name, points, lockMs / 1000),
    points,
    lockMs,
  })
  const lockMs = settings.STAFF_LOCKOUT_MINUTES * 60_000
  const fromHere = limit('login-here', settings.STAFF_LOCKOUT_ATTEMPTS, lockMs)
  const everywhere = limit('login-all', settings.STAFF_LOCKOUT_ATTEMPTS * 4, lockMs)
  const address = limit('login-from', settings.STAFF_LOGIN_FAILURES_PER_ADDRESS, 3_600_000)
  /** Locks by limit and key. */
  const locks = limiters ? sharedLocks(limiters) : memoryLocks(clock)
  const name = (username: string) => username.trim().toLowerCase()
  const keys = (from: string, username: string): [Limit, string][] => [
    [fromHere, `here|${name(username)}|${from}`],
    [everywhere, `all|${name(username)}`],
    [address, `from|${from}`],
  ]
  const hashing = new Map<string, number>()
  const isLocked = ([, key]: [Limit, string]) => locks.isLocked(key)

  /** Counts one wrong password; true when it reached the limit (the count starts again). */
  const count = async ([l, key]: [Limit, string]) => {
    const res = await l.limiter.consume(key).catch(() => null)
    if (res && res.consumedPoints < l.points) return false
    await locks.lock(key, l.lockMs)
    await l.limiter.delete(key)
    return true
  }

  return {
    /**
     * Before hashing, the same for every name: 'locked' (the name or address is, or this try
     * used up the address's count), 'busy' (the address already has its tries hashing), or a
     * function to call once the hash is done.
     */
    async admit(from: string, username: string): Promise<'locked' | 'busy' | (() => void)> {
      if ((await Promise.all(keys(from, username).map(isLocked))).some(Boolean)) return 'locked'
      const now = hashing.get(from) ?? 0
      if (now >= MAX_HASHING_PER_ADDRESS) return 'busy'
      hashing.set(from, now + 1)
      const done = () => {
        const left = (hashing.get(from) ?? 1) - 1
        if (left > 0) hashing.set(from, left)
        else hashing.delete(from)
      }
      if (await count(keys(from, username)[2]!)) {
        done()
        return 'locked'
      }
      return done
    },
    /**
     * Counts a wrong password against the name (the address was charged by `admit`): `locked`
     * when this one locked the name here or everywhere; `lockedEverywhere` for the latter.
     */
    async failed(from: string, username: string) {
      const [here, all] = keys(from, username)
      const reached = await Promise.all([here!, all!].map(count))
      return { locked: reached.some(Boolean), lockedEverywhere: reached[1] ?? false }
    },
    /** The right password: the name's counts start again, and the address gets its try back. */
    async succeeded(from: string, username: string): Promise<void> {
      const [here, all, ip] = keys(from, username)
      await Promise.all([here!, all!].map(([l, key]) => l.limiter.delete(key)))
      await ip![0].limiter.reward(ip![1], 1).catch(() => {})
    },
    /** An admin lifted the lock: the name is open everywhere again, its counts start again. */
    async unlock(username: string): Promise<void> {
      await locks.unlock(name(username))
      await everywhere.limiter.delete(`all|${name(username)}`)
      await limiters?.forget?.('login-here', `here|${name(username)}|`)
    },
  }
}
