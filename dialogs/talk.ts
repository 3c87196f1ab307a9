/**
 * @module dialogs/talk
 * The conversation around the topics: a greeting, thanks, an "ok", a goodbye, "I just got out",
 * or a follow-up to the last answer ("hvordan søker jeg", "who do I call"). Read from
 * content/conversation.json with the commands' typo tolerance. The router decides what a reading
 * is worth: small talk only when nothing else was understood, a follow-up only while a topic is
 * fresh.
 */
import { followUps, type Conversation, type FollowUp } from '../content/schema.js'
import { similarity, type Tolerance } from './fuzzy.js'
import { tokenize, type Token } from './normalize.js'

export type Talk =
  /** `whole`: the message is only that (with filler): it wins over a topic word ("god kveld"). */
  | { kind: 'greeting' | 'thanks' | 'ok' | 'bye'; whole: boolean }
  /** `only`: the message says nothing else ("løslatt i dag", "jeg kom ut i går, hva nå"). */
  | { kind: 'released'; only: boolean }
  | { kind: 'follow-up'; ask: FollowUp }
  /** A need that may be for tonight or the longer term, with neither said: `now` first. */
  | { kind: 'now-or-later'; now: string; later: string }

export type TalkReader = (text: string) => Talk | undefined

type Group = { name: string; phrases: Token[][] }
/** A message word, and whether it counts as a phrase word. */
type Read = Token & { same: (word: Token) => boolean }

const maxWords = 12

/** Small talk in the order one counts over another: "ok takk ha det" is a goodbye. */
const social = ['bye', 'thanks', 'ok', 'greeting'] as const

export function createTalkReader(conversation: Conversation): TalkReader {
  const group = (name: string, list: { nb: string[]; en: string[] }): Group => ({
    name,
    phrases: [...list.nb, ...list.en].map(tokenize).filter((p) => p.length > 0),
  })
  const filler = group('filler', { nb: conversation.filler, en: [] })
  const socialGroups = social.map((name) => group(name, conversation[name]))
  const exactWords = new Set(
    [...socialGroups, filler].flatMap((g) => g.phrases.flat().map((w) => w.word))
  )
  const released = group('released', conversation.released.phrases)
  const whatNow = group('whatNow', conversation.released.whatNow)
  const asks = followUps.map((ask) => group(ask, conversation.followUps[ask]))
  const pairs = conversation.nowOrLater.map((n) => ({
    ...n,
    phrases: group('phrases', n.phrases).phrases,
    unless: group('unless', n.unless).phrases,
  }))
  const read = wordReader(
    [
      ...[filler, ...socialGroups, released, whatNow, ...asks].flatMap((g) => g.phrases),
      ...pairs.flatMap((n) => [...n.phrases, ...n.unless]),
    ],
    'command'
  )

  return (text) => {
    const tokens = read(text)
    if (tokens.length === 0) return undefined
    // Small talk and follow-ups are short; a long text may still say "I got out".
    const short = tokens.length <= maxWords
    for (const [i, ask] of short ? followUps.entries() : []) {
      const used = cover(tokens, [asks[i]!, filler])
      if (used?.has(ask)) return { kind: 'follow-up', ask }
    }
    const pair = pairs.find((n) => contains(tokens, n.phrases) && !contains(tokens, n.unless))
    if (pair) return { kind: 'now-or-later', now: pair.now, later: pair.later }
    if (contains(tokens, released.phrases)) {
      const used = short && cover(tokens, [released, ...socialGroups, filler])
      return { kind: 'released', only: !!used }
    }
    if (!short) return undefined
    // "Ka gjør æ no", "what now" and nothing else: the same first days as "I got out".
    const asked = cover(tokens, [whatNow, ...socialGroups, filler])
    if (asked?.has('whatNow')) return { kind: 'released', only: true }
    const used = cover(tokens, [...socialGroups, filler])
    const kind = used && social.find((name) => used.has(name))
    // Whole only word for word: "fines" is near "fine" but is a topic, not an "ok".
    if (kind) return { kind, whole: tokens.every((t) => exactWords.has(t.word)) }
    // "hei, ..." with nothing else understood: a welcome says more than "I did not understand".
    const greeting = socialGroups.at(-1)!
    if (greeting.phrases.some((p) => matchesAt(tokens, 0, p)))
      return { kind: 'greeting', whole: false }
    return undefined
  }
}

/**
 * Whether a text names its appointment ("syk i dag", "kan vi flytte", "running late"): right
 * after a reminder such a text is for the coordinator, while another question gets an answer.
 */
export function createAppointmentReader(conversation: Conversation): (text: string) => boolean {
  const phrases = [...conversation.appointment.nb, ...conversation.appointment.en]
    .map(tokenize)
    .filter((p) => p.length > 0)
  // Topic tolerance: short words exactly, so "more" is not "move" nor "where" "there".
  const read = wordReader(phrases, 'topic')
  return (text) => contains(read(text), phrases)
}

/** Whether one of the phrases stands anywhere in the message. */
function contains(tokens: Read[], phrases: Token[][]): boolean {
  return tokens.some((_, at) => phrases.some((p) => matchesAt(tokens, at, p)))
}

/**
 * Whether the groups' phrases, side by side, make up the whole message; returns the groups
 * used, or undefined when some word is left over.
 */
function cover(tokens: Read[], groups: Group[]): Set<string> | undefined {
  // paths[i]: the groups used to cover the first i words, once i is reachable.
  const paths: (Set<string> | undefined)[] = [new Set()]
  for (let at = 0; at < tokens.length; at++) {
    const before = paths[at]
    if (!before) continue
    for (const { name, phrases } of groups) {
      for (const phrase of phrases) {
        const end = at + phrase.length
        if (paths[end] || !matchesAt(tokens, at, phrase)) continue
        paths[end] = new Set([...before, name])
      }
    }
  }
  return paths[tokens.length]
}

function matchesAt(tokens: Read[], at: number, phrase: Token[]): boolean {
  if (at + phrase.length > tokens.length) return false
  return phrase.every((word, i) => tokens[at + i]!.same(word))
}

/** Distinct message words whose readings are remembered; then the memory starts again. */
const remembered = 10_000

/**
 * A message's words, each knowing the phrase words it counts as (similarity of 0.8 or more at
 * this tolerance), worked out once per distinct word and remembered: comparing each word with
 * every phrase again at every message cost a good part of a turn (issue 13). A token is a
 * function of its word (normalize.ts), so the word stands for it on both sides; a phrase word
 * not given here is compared as before.
 */
function wordReader(phrases: Token[][], tolerance: Tolerance): (text: string) => Read[] {
  const words = new Map<string, Token>()
  for (const phrase of phrases) for (const w of phrase) words.set(w.word, w)
  const known = new Map<string, ReadonlySet<string>>()
  const sameAs = (token: Token): ReadonlySet<string> => {
    let same = known.get(token.word)
    if (same) return same
    const found = new Set<string>()
    for (const [word, w] of words) if (similarity(token, w, tolerance) >= 0.8) found.add(word)
    if (known.size >= remembered) known.clear()
    known.set(token.word, found)
    return found
  }
  return (text) =>
    tokenize(text).map((token) => {
      const known = sameAs(token)
      const same = (w: Token) =>
        words.has(w.word) ? known.has(w.word) : similarity(token, w, tolerance) >= 0.8
      return { ...token, same }
    })
}
