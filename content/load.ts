/**
 * @module content/load
 * Reads and validates everything in content/, then lays the organisation's local file over the
 * national topics (a local topic with a national id replaces it).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { z } from 'zod'
import { projectRoot } from '../bot/paths.js'
import {
  CrisisExclusions,
  CrisisKindFile,
  CrisisModel,
  CrisisRealWords,
  CrisisWords,
  Conversation,
  LearnedExamples,
  LocalContent,
  Mapping,
  Menu,
  PhoneBook,
  Topic,
  crisisKinds,
} from './schema.js'
import type { MenuEntry, PhoneNumber } from './schema.js'

export const contentDir = join(projectRoot, 'content')

export type Knowledge = {
  topics: ReadonlyMap<string, Topic>
  menu: readonly MenuEntry[]
  mapping: Mapping
  /** Greetings, thanks, "I got out" and follow-ups (content/conversation.json). */
  conversation: Conversation
  phoneBook: readonly PhoneNumber[]
  organisation?: LocalContent['organisation']
  /** Where each topic came from, for error messages. */
  files: ReadonlyMap<string, string>
  /** The crisis layer's patterns, words and exclusions (content/crisis/). */
  crisis: CrisisContent
  /** Labelled examples for the matcher's learned reader, when built (npm run learn:build). */
  examples?: LearnedExamples
}

export type CrisisContent = {
  kinds: CrisisKindFile[]
  words: CrisisWords
  exclusions: CrisisExclusions
  realWords: CrisisRealWords
  /** The learned second reader, when built (npm run crisis:build). */
  model?: CrisisModel
}

/** A content file failed validation; the message names the file and the field. */
export class ContentError extends Error {}

export function parseFile<S extends z.ZodType>(schema: S, file: string): z.infer<S> {
  let raw: unknown
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new ContentError(`${file}: ${(error as Error).message}`)
  }
  const parsed = schema.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new ContentError(`${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`)
  }
  return parsed.data
}

/** Loads content/ and, if given, the local file. Throws ContentError on the first bad file. */
export function loadKnowledge(localFile?: string, dir = contentDir): Knowledge {
  const topics = new Map<string, Topic>()
  const files = new Map<string, string>()
  const topicDir = join(dir, 'topics')
  for (const name of readdirSync(topicDir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const file = join(topicDir, name)
    const topic = parseFile(Topic, file)
    if (`${topic.id}.json` !== name)
      throw new ContentError(`${file}: id "${topic.id}" must match the file name`)
    topics.set(topic.id, topic)
    files.set(topic.id, file)
  }
  const phoneBook = [...parseFile(PhoneBook, join(dir, 'phone-book.json'))]
  const menu = parseFile(Menu, join(dir, 'menu.json'))
  const mapping = parseFile(Mapping, join(dir, 'mapping.json'))
  const conversation = parseFile(Conversation, join(dir, 'conversation.json'))
  let organisation: LocalContent['organisation'] | undefined
  if (localFile) {
    const local = parseFile(LocalContent, localFile)
    organisation = local.organisation
    phoneBook.push(...local.phoneBook)
    for (const topic of local.topics) {
      topics.set(topic.id, topic)
      files.set(topic.id, localFile)
    }
  }
  for (const entry of menu) {
    for (const id of entry.topics ?? []) {
      if (!topics.has(id))
        throw new ContentError(`menu.json: ${entry.area} lists unknown topic "${id}"`)
    }
  }
  for (const question of mapping.questions) {
    for (const id of question.options.flatMap((o) => o.suggests)) {
      if (!topics.has(id))
        throw new ContentError(`mapping.json: ${question.id} suggests unknown topic "${id}"`)
    }
  }
  for (const topic of topics.values()) {
    for (const id of topic.related) {
      if (!topics.has(id))
        throw new ContentError(`${files.get(topic.id)}: related topic "${id}" does not exist`)
    }
  }
  const paired = conversation.nowOrLater.flatMap((n) => [n.now, n.later])
  const offered = conversation.choices.flatMap((c) => c.topics)
  for (const id of [
    conversation.released.topic,
    ...conversation.released.topics,
    ...paired,
    ...offered,
  ]) {
    if (!topics.has(id)) throw new ContentError(`conversation.json: unknown topic "${id}"`)
  }
  const crisis = loadCrisis(dir)
  for (const kind of crisis.kinds) {
    if (!topics.get(kind.topic)?.urgent)
      throw new ContentError(
        `crisis/${kind.kind}.json: topic "${kind.topic}" must exist and be urgent`
      )
  }
  const examplesFile = join(dir, 'learned', 'examples.json')
  const examples = existsSync(examplesFile) ? parseFile(LearnedExamples, examplesFile) : undefined
  return { topics, menu, mapping, conversation, phoneBook, organisation, files, crisis, examples }
}

/** content/crisis/: one file per kind of danger, the word classes, exclusions and real words. */
export function loadCrisis(dir = contentDir): CrisisContent {
  const crisisDir = join(dir, 'crisis')
  const kinds = crisisKinds.map((kind) => {
    const file = parseFile(CrisisKindFile, join(crisisDir, `${kind}.json`))
    if (file.kind !== kind)
      throw new ContentError(`crisis/${kind}.json: kind "${file.kind}" must match the file name`)
    return file
  })
  const modelFile = join(crisisDir, 'model.json')
  return {
    kinds,
    words: parseFile(CrisisWords, join(crisisDir, 'words.json')),
    exclusions: parseFile(CrisisExclusions, join(crisisDir, 'exclusions.json')),
    realWords: parseFile(CrisisRealWords, join(crisisDir, 'real-words.json')),
    model: existsSync(modelFile) ? parseFile(CrisisModel, modelFile) : undefined,
  }
}

/** Topic ids listed under a menu entry: its own list, or every topic of the area. */
export function topicsOf(knowledge: Knowledge, entry: MenuEntry): Topic[] {
  if (entry.topics) return entry.topics.map((id) => knowledge.topics.get(id)!)
  return [...knowledge.topics.values()].filter((t) => t.area === entry.area)
}
