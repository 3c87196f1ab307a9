/**
 * @module bot/console/staff/login-guard
 * Limits on wrong passwords, over rate-limiter-flexible (its "login endpoint protection" pattern):
 * STAFF_LOCKOUT_ATTEMPTS wrong in a row for one name from one address lock that name for that
 * address; four times as many from anywhere lock the name everywhere (so locking an admin out
 * takes several places, not one); STAFF_LOGIN_FAILURES_PER_ADDRESS wrong in an hour, whatever
 * the names, stop the address. Names are counted whether an account has them or not, so a locked
 * unknown name looks exactly like a locked account. In memory, like the store: one process.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible'

export type LoginGuard = ReturnType<typeof createLoginGuard>

type Limit = { limiter: RateLimiterMemory; points: number; lockMs: number }

/** Counts `points` wrong passwords within `lockMs`; reaching them locks for `lockMs`. */
const limit = (points: number, lockMs: number): Limit => ({
  limiter: new RateLimiterMemory({ points, duration: lockMs / 1000 }),
  points,
  lockMs,
})

export function createLoginGuard(
  settings: {
    STAFF_LOCKOUT_ATTEMPTS: number
    STAFF_LOCKOUT_MINUTES: number
    STAFF_LOGIN_FAILURES_PER_ADDRESS: number
  },
  clock: () => Date
) {
  const lockMs = settings.STAFF_LOCKOUT_MINUTES * 60_000
  const fromHere = limit(settings.STAFF_LOCKOUT_ATTEMPTS, lockMs)
  const everywhere = limit(settings.STAFF_LOCKOUT_ATTEMPTS * 4, lockMs)
  const address = limit(settings.STAFF_LOGIN_FAILURES_PER_ADDRESS, 3_600_000)
  /** Locks by limit and key, until a time of the injected clock (so tests can move past them). */
  const locks = new Map<string, number>()
  const name = (username: string) => username.trim().toLowerCase()
  const keys = (from: string, username: string): [Limit, string][] => [
    [fromHere, `here|${name(username)}|${from}`],
    [everywhere, `all|${name(username)}`],
    [address, `from|${from}`],
  ]
  const isLocked = ([, key]: [Limit, string]) => (locks.get(key) ?? 0) > clock().getTime()

  /** Counts one wrong password; true when it reached the limit (the count starts again). */
  const count = async ([l, key]: [Limit, string]) => {
    const res = await l.limiter.consume(key).catch(() => null)
    if (res && res.consumedPoints < l.points) return false
    locks.set(key, clock().getTime() + l.lockMs)
    await l.limiter.delete(key)
    return true
  }

  return {
    /** Whether to refuse this try before any hashing (the same for every name). */
    refused(from: string, username: string): boolean {
      return keys(from, username).some(isLocked)
    },
    /**
     * Counts a wrong password: `locked` when this one locked the name here, the name everywhere
     * or the address; `lockedEverywhere` when the name is now locked for all addresses.
     */
    async failed(from: string, username: string) {
      const reached = await Promise.all(keys(from, username).map(count))
      return { locked: reached.some(Boolean), lockedEverywhere: reached[1] ?? false }
    },
    /** The right password: the name's counts start again. */
    async succeeded(from: string, username: string): Promise<void> {
      const [here, all] = keys(from, username)
      await Promise.all([here!, all!].map(([l, key]) => l.limiter.delete(key)))
    },
    /** An admin lifted the lock: the name is open everywhere again. */
    unlock(username: string): void {
      for (const key of [...locks.keys()])
        if (key.split('|')[1] === name(username)) locks.delete(key)
    },
  }
}
