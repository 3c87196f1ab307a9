/**
 * @module bot/handoff/alert-caps
 * What one address, or everyone together, can make the desk do in an hour: urgent requests
 * (HANDOFF_URGENT_PER_ADDRESS, HANDOFF_URGENT_PER_HOUR) and alert SMS to staff
 * (HANDOFF_ALERTS_PER_HOUR of each kind). Past a cap a crisis is still answered and its request
 * still opens, only not as urgent; waiting alerts go out together in the next hour's first one.
 * Counted in whole hours of the injected clock, like the rest of the desk (rate-limiter-flexible
 * counts on the wall clock, which the alert tick and its tests do not run on).
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

export function createCaps(settings: CapSettings) {
  const urgent = hourly()
  const alerts = hourly()
  return {
    /** Whether a crisis from `origin` (a number, a web chat's client address) opens as urgent. */
    urgent(origin: string, now: Date): boolean {
      if (urgent.used(`from:${origin}`, now) >= settings.HANDOFF_URGENT_PER_ADDRESS) return false
      if (urgent.used('all', now) >= settings.HANDOFF_URGENT_PER_HOUR) return false
      urgent.add(`from:${origin}`, now)
      urgent.add('all', now)
      return true
    },
    /** Whether one more alert SMS round of this kind may go this hour (and counts it). */
    alert(kind: 'oncall' | 'escalate', now: Date): boolean {
      if (alerts.used(kind, now) >= settings.HANDOFF_ALERTS_PER_HOUR) return false
      alerts.add(kind, now)
      return true
    },
  }
}
