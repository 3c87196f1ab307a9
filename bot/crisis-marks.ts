/**
 * @module bot/crisis-marks
 * Who wrote words of danger in the last hour, so the rate limits let their next messages through
 * (the JA to a check, "hallo??"). Marked by every turn that saw such words, under the limit or
 * past it; in memory for one process, and in the limits table too when several instances share
 * one database, so the next message is let through whichever instance it reaches.
 */
import type { Limiters } from './rate-limit.js'

const HOUR_MS = 3_600_000
/** Memory stays bounded however many write: older marks are dropped past this many. */
const MAX_LOCAL = 10_000

export type CrisisMarks = ReturnType<typeof createCrisisMarks>

export function createCrisisMarks(
  clock: () => Date,
  /** The shared limits table (several instances); absent for one process. */
  shared?: Limiters
) {
  const local = new Map<string, number>()
  const table = shared?.('in-crisis', 1, HOUR_MS / 1000)
  return {
    /** `sender` (channel:address) wrote words of danger just now. */
    async mark(sender: string): Promise<void> {
      const now = clock().getTime()
      if (local.size > MAX_LOCAL)
        for (const [key, at] of local) if (now - at > HOUR_MS) local.delete(key)
      local.delete(sender)
      local.set(sender, now)
      // A database blip must not cost the turn: this instance still remembers.
      await table?.set(sender, 1, HOUR_MS / 1000).catch(() => undefined)
    },
    /** Whether `sender` wrote words of danger within the hour, on any instance. */
    async marked(sender: string): Promise<boolean> {
      if (clock().getTime() - (local.get(sender) ?? -Infinity) <= HOUR_MS) return true
      const found = await table?.get(sender).catch(() => null)
      return !!found && found.consumedPoints > 0
    },
  }
}
