/**
 * @module bot/handoff/before-chat
 * What a participant did with the bot before asking for a person, so the volunteer does not start
 * blind: the topics answered, and (in memory only, until they agree a volunteer may read it) the
 * texts of the last hours. On consent the texts go to the transcript like any consented message;
 * without it they are never written anywhere and fall out after HORIZON_MS.
 */
import type { TranscriptEntry } from '../store/transcripts.js'

/** How far back "before the chat" reaches: the consent question says "i dag" / "today". */
export const HORIZON_MS = 12 * 60 * 60_000
const MAX_ENTRIES = 30
const MAX_TOPICS = 12
/** Memory stays bounded however many people write: the least recent are dropped first. */
const MAX_PARTICIPANTS = 5_000

type Recent = {
  /** Not yet in the transcript (no consent when they were written). */
  texts: TranscriptEntry[]
  topics: { id: string; at: string }[]
  seenAt: number
}

export type BeforeChat = ReturnType<typeof createBeforeChat>

export function createBeforeChat(clock: () => Date) {
  const recent = new Map<string, Recent>()

  const entryOf = (participantId: string): Recent => {
    const now = clock().getTime()
    let entry = recent.get(participantId)
    if (entry) recent.delete(participantId)
    entry ??= { texts: [], topics: [], seenAt: now }
    entry.seenAt = now
    recent.set(participantId, entry) // most recent last
    if (recent.size > MAX_PARTICIPANTS) recent.delete(recent.keys().next().value!)
    return entry
  }

  const fresh = <T extends { at: string }>(list: T[]): T[] => {
    const since = clock().getTime() - HORIZON_MS
    return list.filter((x) => Date.parse(x.at) >= since)
  }

  return {
    /** A text written without consent: kept here only, for the consent that may follow. */
    keepText(entry: TranscriptEntry): void {
      const e = entryOf(entry.participantId)
      e.texts = fresh([...e.texts, entry]).slice(-MAX_ENTRIES)
    },
    /** A topic the bot answered (its id, never the text that asked). */
    noteTopic(participantId: string, topicId: string): void {
      const e = entryOf(participantId)
      const at = clock().toISOString()
      e.topics = fresh([...e.topics.filter((t) => t.id !== topicId), { id: topicId, at }])
      e.topics = e.topics.slice(-MAX_TOPICS)
    },
    /** Topic ids answered in the last hours, oldest first. */
    topics(participantId: string): string[] {
      return fresh(recent.get(participantId)?.topics ?? []).map((t) => t.id)
    },
    /** The texts kept without consent, handed over once (consent was just given). */
    takeTexts(participantId: string): TranscriptEntry[] {
      const e = recent.get(participantId)
      if (!e) return []
      const texts = fresh(e.texts)
      e.texts = []
      return texts
    },
    /** They asked for a person without agreeing to share: the texts are let go unread. */
    dropTexts(participantId: string): void {
      const e = recent.get(participantId)
      if (e) e.texts = []
    },
    /** SLETT: nothing of theirs stays, not even in memory. */
    forget(participantId: string): void {
      recent.delete(participantId)
    },
  }
}
