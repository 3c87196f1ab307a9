/**
 * @module dialogs/understand
 * What a message means, in the order that keeps people safe: the crisis layer first (clear
 * danger, a possible signal, or nothing), then commands, numbers and topics from the matcher
 * (weighted keywords checked against the learned examples, content/learned/examples.json).
 * Built once from the content; the bot asks it once per message.
 */
import type { Knowledge } from '../content/load.js'
import type { Commands, CrisisKind, CrisisKindFile, Topic } from '../content/schema.js'
import { createCrisisDetector, type CrisisDetector, type CrisisSignal } from './crisis.js'
import { createMatcher, type Match, type Matcher } from './matcher.js'
import { fold, words } from './normalize.js'
import { createAppointmentReader, createTalkReader, type Talk } from './talk.js'

/** `talk`: small talk or a follow-up, read only when the crisis layer saw nothing. */
export type Understood = { match: Match; signal: CrisisSignal; talk?: Talk }

export type Understanding = {
  matcher: Matcher
  crisis: CrisisDetector
  /** The crisis topic that answers a kind of danger. */
  crisisTopic(kind: CrisisKind): Topic
  /** A kind's short check and acknowledgement texts. */
  crisisKind(kind: CrisisKind): CrisisKindFile
  understand(text: string): Understood
  /** Whether a text is about an appointment (read only right after a reminder). */
  aboutAppointment(text: string): boolean
}

export function createUnderstanding(knowledge: Knowledge, commands: Commands): Understanding {
  const matcher = createMatcher(
    knowledge.topics.values(),
    withContentLanguage(knowledge, commands),
    {
      examples: knowledge.examples?.examples,
      choices: knowledge.conversation.choices.map((c) => ({
        phrases: [...c.phrases.nb, ...c.phrases.en],
        topics: c.topics,
      })),
    }
  )
  const crisis = createCrisisDetector({
    ...knowledge.crisis,
    realWords: [...knowledge.crisis.realWords.words, ...knownWords(knowledge, commands)],
  })
  const topics = new Map(
    knowledge.crisis.kinds.map((k) => [k.kind, knowledge.topics.get(k.topic)!] as const)
  )
  const crisisTopic = (kind: CrisisKind) => topics.get(kind)!
  const files = new Map(knowledge.crisis.kinds.map((k) => [k.kind, k] as const))
  const readTalk = createTalkReader(knowledge.conversation)
  /** A "did you mean" between a need's tonight and its longer term: tonight first, then later. */
  const nowOrLaterOf = (match: Match): Talk | undefined => {
    if (match.kind !== 'clarify') return undefined
    const ids = new Set(match.topics.map((t) => t.id))
    const pair = knowledge.conversation.nowOrLater.find((p) => ids.has(p.now) && ids.has(p.later))
    return pair && { kind: 'now-or-later', now: pair.now, later: pair.later }
  }
  return {
    matcher,
    crisis,
    crisisTopic,
    crisisKind: (kind) => files.get(kind)!,
    aboutAppointment: createAppointmentReader(knowledge.conversation),
    understand(text) {
      const signal = crisis.detect(text)
      if (signal.level === 'danger' && signal.kind) {
        return { match: { kind: 'crisis', topic: crisisTopic(signal.kind), signal }, signal }
      }
      // Words of danger are never a command to delete, opt out or end the chat ("avslutter alt nå").
      const match = matcher.match(text, { careful: signal.level === 'none' })
      if (signal.level !== 'none') return { match, signal }
      return { match, signal, talk: readTalk(text) ?? nowOrLaterOf(match) }
    },
  }
}

/** Every word the content uses: real words, so never read as a typo of a crisis word. */
function knownWords(knowledge: Knowledge, commands: Commands): Set<string> {
  const texts: string[] = [
    ...Object.values(commands.commands).flatMap((c) => [...c.words, ...c.phrases]),
    ...commands.filler,
    ...commands.stopwords,
    ...commands.language.nb,
    ...commands.language.en,
  ]
  for (const topic of knowledge.topics.values()) {
    for (const lang of ['nb', 'en'] as const) {
      texts.push(topic.title[lang], topic.answer[lang], topic.more?.[lang] ?? '')
      texts.push(...topic.keywords[lang], ...topic.phrases[lang])
    }
  }
  return new Set(texts.flatMap((text) => words(text)).map(fold))
}

/**
 * The words that tell the languages apart: commands.json's lists, and every word the content
 * uses on one side only (an English keyword, phrase, title or small-talk word found in no
 * Norwegian text, and the other way round), so "fines", "probation officer" or "ok cool" on a
 * fresh number choose English.
 */
function withContentLanguage(knowledge: Knowledge, commands: Commands): Commands {
  const { conversation } = knowledge
  const said = { nb: [] as string[], en: [] as string[] }
  const anywhere = { nb: [] as string[], en: [] as string[] }
  for (const lang of ['nb', 'en'] as const) {
    const lists = [
      conversation.greeting[lang],
      conversation.thanks[lang],
      conversation.ok[lang],
      conversation.bye[lang],
      conversation.released.phrases[lang],
      ...Object.values(conversation.followUps).map((f) => f[lang]),
    ]
    for (const topic of knowledge.topics.values()) {
      lists.push(topic.keywords[lang], topic.phrases[lang], [topic.title[lang]])
      anywhere[lang].push(topic.answer[lang], topic.more?.[lang] ?? '')
    }
    said[lang].push(...lists.flat(), ...commands.language[lang])
    anywhere[lang].push(...said[lang])
  }
  const forms = (texts: string[]) => new Set(texts.flatMap((t) => words(t)).map(fold))
  const all = { nb: forms(anywhere.nb), en: forms(anywhere.en) }
  const only = (lang: 'nb' | 'en', other: 'nb' | 'en') =>
    [...forms(said[lang])].filter((w) => w.length > 1 && !all[other].has(w) && !/\d/.test(w))
  return {
    ...commands,
    language: {
      nb: [...new Set([...commands.language.nb, ...only('nb', 'en')])],
      en: [...new Set([...commands.language.en, ...only('en', 'nb')])],
    },
  }
}
