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
  const matcher = createMatcher(knowledge.topics.values(), commands, {
    examples: knowledge.examples?.examples,
  })
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
      return { match, signal, talk: readTalk(text) }
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
