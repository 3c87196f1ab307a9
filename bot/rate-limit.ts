/**
 * @module bot/rate-limit
 * A fixed-window limit per key (a phone number, an IP), over rate-limiter-flexible's in-memory
 * counter: one process, one instance, like the store.
 */
import { RateLimiterMemory } from 'rate-limiter-flexible'

export type KeyLimit = { allow(key: string): Promise<boolean> }

/** Allows `points` calls per key every `seconds`. */
export function perKeyLimit(points: number, seconds: number): KeyLimit {
  const limiter = new RateLimiterMemory({ points, duration: seconds })
  return {
    allow: (key) =>
      limiter.consume(key).then(
        () => true,
        () => false
      ),
  }
}
