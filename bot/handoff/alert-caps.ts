/**
 * @module bot/handoff/alert-caps
 * What one address, or everyone together, can make the desk do: alert SMS to staff come from a
 * bucket per kind (HANDOFF_ALERTS_PER_HOUR: half of them at once, then one every 60/N minutes),
 * and each alert covers every request due it. Urgent chats past HANDOFF_URGENT_PER_ADDRESS from
 * one address, or HANDOFF_URGENT_PER_HOUR from everyone, are still urgent and acknowledged; they
 * only do not start an alert of their own: they go in the next one, or in one of their own once
 * the bucket has been full (quiet) again. Counted on the injected clock, like the rest of the desk
 * (rate-limiter-flexible counts on the wall clock, which the alert tick and its tests do not run on).
 */

export type CapSettings = {
  HANDOFF_URGENT_PER_ADDRESS: number
  HANDOFF_URGENT_PER_HOUR: number
  HANDOFF_ALERTS_PER_HOUR: number
}

const HOUR = 3_600_000

/** A count per key in the current hour of `now`. */
function hourly() {
  const counts = new Map<string, { hour: number; used: number }>()
  return {
    used(key: string, now: Date): number {
      const entry = counts.get(key)
      return entry && entry.hour === Math.floor(now.getTime() / HOUR) ? entry.used : 0
    },
    add(key: string, now: Date): void {
      const hour = Math.floor(now.getTime() / HOUR)
      if (counts.size > 10_000) {
        for (const [k, e] of counts) if (e.hour !== hour) counts.delete(k)
      }
      counts.set(key, { hour, used: this.used(key, now) + 1 })
    },
  }
}

/** `perHour` tokens an hour, at most half of them (at least one) saved up. */
function bucket(perHour: number) {
  const capacity = Math.max(1, Math.ceil(perHour / 2))
  let tokens = capacity
  let at = 0
  const refill = (now: Date) => {
    const t = now.getTime()
    if (at) tokens = Math.min(capacity, tokens + ((t - at) * perHour) / HOUR)
    at = t
  }
  return {
    take(now: Date): boolean {
      refill(now)
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
    full(now: Date): boolean {
      refill(now)
      return tokens >= capacity
    },
  }
}

export type AlertKind = 'oncall' | 'escalate'

export function createCaps(settings: CapSettings) {
  const urgent = hourly()
  const buckets = {
    oncall: bucket(settings.HANDOFF_ALERTS_PER_HOUR),
    escalate: bucket(settings.HANDOFF_ALERTS_PER_HOUR),
  }
  return {
    /** Whether an urgent chat from `origin` (a number, a web chat's address) alerts on its own. */
    ownAlert(origin: string, now: Date): boolean {
      if (urgent.used(`from:${origin}`, now) >= settings.HANDOFF_URGENT_PER_ADDRESS) return false
      if (urgent.used('all', now) >= settings.HANDOFF_URGENT_PER_HOUR) return false
      urgent.add(`from:${origin}`, now)
      urgent.add('all', now)
      return true
    },
    /** Whether one more alert of this kind may go now (and counts it). */
    alert(kind: AlertKind, now: Date): boolean {
      return buckets[kind].take(now)
    },
    /** True when no alert of this kind has gone for a while: a held request may have its own. */
    quiet(kind: AlertKind, now: Date): boolean {
      return buckets[kind].full(now)
    },
  }
}
