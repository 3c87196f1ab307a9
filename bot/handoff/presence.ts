/**
 * @module bot/handoff/presence
 * Who is at the console now: an open live connection, or a request within the last few minutes,
 * of an enabled account with a live login. Nothing is ever handed to someone who is not here.
 */

/** How long a request keeps someone "here" without a live connection. */
const RECENT_MS = 3 * 60_000

export type Presence = ReturnType<typeof createPresence>

/** `loggedIn`: whether the account is enabled and has a live session at `now`. */
export function createPresence(loggedIn: (staffId: string, now: Date) => boolean = () => true) {
  const seen = new Map<string, { streams: number; lastSeen: number }>()
  const entry = (id: string) => {
    let e = seen.get(id)
    if (!e) seen.set(id, (e = { streams: 0, lastSeen: 0 }))
    return e
  }
  return {
    /** A console request by `staffId` at `now`. */
    touch(staffId: string, now: Date): void {
      entry(staffId).lastSeen = now.getTime()
    },
    /** A live connection opened; call the returned function when it closes. */
    connect(staffId: string, now: Date): () => void {
      const e = entry(staffId)
      e.streams += 1
      e.lastSeen = now.getTime()
      let open = true
      return () => {
        if (open) e.streams -= 1
        open = false
      }
    },
    /** Logged out: not here any more, even with a tab still open. */
    leave(staffId: string): void {
      seen.delete(staffId)
    },
    /** Who has a live connection open here now (told to the other instances, cluster/relay.ts). */
    streaming(): string[] {
      return [...seen].filter(([, e]) => e.streams > 0).map(([id]) => id)
    },
    isOnline(staffId: string, now: Date): boolean {
      const e = seen.get(staffId)
      if (!e || !loggedIn(staffId, now)) return false
      return e.streams > 0 || now.getTime() - e.lastSeen < RECENT_MS
    },
  }
}
