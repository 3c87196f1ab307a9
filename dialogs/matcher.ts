/**
 * @module dialogs/matcher
 * Maps a free-text message to what the participant wants: a command, a menu number, a topic, a
 * choice between close topics, or nothing. Two readers, both explainable: weighted keywords
 * (rarer words weigh more) and phrases, compared after folding, stemming and typo tolerance, in
 * both languages at once; and, when labelled examples are given, a reader that learned from
 * them (learned.ts: the closest examples vote). When the two disagree, or neither is sure, it
 * asks "did you mean" or says it did not understand rather than guess: a wrong topic costs more
 * than a question. Danger is not its business: the crisis layer (crisis.ts) reads every message
 * first, and crisis topics are never matched here.
 */
import type { CommandName, Commands, Topic } from '../content/schema.js'
import type { CrisisSignal } from './crisis.js'
import { similarity, type Tolerance } from './fuzzy.js'
import {
  createLearnedReader,
  learnedDefaults,
  type Example,
  type Guess,
  type LearnedReader,
  type LearnedSettings,
  type Neighbour,
} from './learned.js'
import { fold, tokenOf, tokenize, words, type Token } from './normalize.js'
import { Vocabulary } from './vocabulary.js'

export type Match =
  /** Only from the crisis layer (understand.ts): clear danger. */
  | { kind: 'crisis'; topic: Topic; signal: CrisisSignal }
  /** `ask`: read by a rule that asks before acting ("did you mean STOPP"). */
  | { kind: 'command'; command: CommandName; ask?: true }
  | { kind: 'number'; value: number }
  | { kind: 'topic'; topic: Topic; score: number }
  | { kind: 'clarify'; topics: Topic[] }
  | { kind: 'none' }

type TopicIndex = { topic: Topic; phrases: Token[][] }
type Scored = { entry: TopicIndex; score: number }

/** Where each vocabulary word occurs: as a weighted keyword of a topic, or inside a phrase. */
type Index = {
  topics: TopicIndex[]
  vocabulary: Vocabulary
  keywordsOf: Map<Token, { topic: number; weight: number }[]>
  phrasesOf: Map<Token, { topic: number; phrase: number }[]>
}

/** Tuned on test/corpus; see the closing notes of the content issue. */
const thresholds = {
  /** Below this nothing matched. */
  minScore: 1.2,
  /** A second topic this close to the first means: ask, do not guess. */
  clarifyRatio: 0.85,
  /** A word must be at least this similar to count. */
  minSimilarity: 0.7,
}

/**
 * How the keywords and the learned reader's vote combine (tuned on the train and dev splits of
 * test/corpus by test/corpus/tune-learned.ts; docs/understanding.md). Each topic gets
 *   keywordShare × k / (k + keywordHalf)  +  (1 − keywordShare) × v × min(1, s / similarityFull)
 * where k is its keyword score, v its probability from the learned model and s the similarity
 * of the closest example. When the keywords alone would answer a topic and it is the learned
 * model's first choice too, that topic is answered. Otherwise the best combined topic is
 * answered only when it is strong and clearly ahead; a weaker one or a close call is a "did you
 * mean" choice; below `ask` nothing was understood.
 */
export const combineDefaults = {
  /** The learned model agrees with the keywords' answer when it is its first choice, this many times as likely as the second. */
  agree: 5,
  /** ... and gives it at least this probability: a keyword the model is unsure of is asked about. */
  agreeShare: 0,
  keywordShare: 0.6,
  keywordHalf: 1,
  similarityFull: 0.3,
  /** Answer the best topic from this combined score... */
  answer: 0.55,
  /** ... when it leads the next one by at least this much. */
  margin: 0.2,
  /** Below answering, offer a choice from this score. */
  ask: 0.3,
  /** Topics offered beside the best one reach this share of its score. */
  alsoAsk: 0.6,
}
export type CombineSettings = typeof combineDefaults

export type MatcherOptions = {
  /** Labelled examples (a topic id or 'none') for the learned reader; without them, keywords only. */
  examples?: readonly Example[]
  combine?: Partial<CombineSettings>
  learned?: LearnedSettings
  /**
   * Messages that name a need and nothing more ("penger", "permis"), where any one answer would
   * often be the wrong one: a "did you mean" between the topics given (conversation.json).
   */
  choices?: readonly { phrases: readonly string[]; topics: readonly string[] }[]
}

export type Matcher = {
  /** `careful: false` leaves out the commands that delete, opt out or end a chat. */
  match(text: string, options?: { careful?: boolean }): Match
  /** Best-guess language of a message, if one language leads by at least `margin` words. */
  detectLanguage(text: string, margin?: number): 'nb' | 'en' | undefined
  /** Topic scores, best first: for tests and tuning. */
  explain(text: string): { id: string; score: number }[]
  /** The learned examples closest to a text (empty without examples): why it was read so. */
  closest(text: string, n?: number): Neighbour[]
}

/** Builds a matcher over the topics (crisis topics left out) and the command words. */
export function createMatcher(
  topics: Iterable<Topic>,
  commands: Commands,
  options: MatcherOptions = {}
): Matcher {
  const stopwords = new Set(commands.stopwords.map((w) => w.toLowerCase()))
  const filler = new Set(commands.filler.map(fold))
  const content = (tokens: Token[]) => tokens.filter((t) => !stopwords.has(t.word))
  const ordinary = [...topics].filter((t) => !t.urgent)
  const index = indexTopics(ordinary, content)
  const byId = new Map(ordinary.map((t) => [t.id, t] as const))
  const settings: CombineSettings = { ...combineDefaults, ...options.combine }
  // The examples, then each topic's own phrases; a label of no (ordinary) topic is left out.
  // Trained when first needed, so start-up (and /health) does not wait for it; the model is
  // the same whenever it is built.
  const examples = options.examples
  let built: LearnedReader | undefined
  const learned = () =>
    examples
      ? (built ??= learnedReaderFor(
          examples,
          ordinary,
          stopwords,
          options.learned ?? learnedDefaults
        ))
      : undefined
  const commandIndex = Object.entries(commands.commands).map(([name, c]) => ({
    name: name as CommandName,
    tolerance: (carefulCommands.has(name) ? 'exact' : 'command') as Tolerance,
    words: c.words
      .map((w) => tokenize(w))
      .filter((t) => t.length === 1)
      .map((t) => t[0]!),
    phrases: [...c.phrases, ...c.words.filter((w) => w.includes(' '))].map(tokenize),
    rules: (c.rules ?? []).map((r) => ({
      all: r.all.map((group) => group.map((w) => tokenOf(fold(w)))),
      not: r.not.map((w) => tokenOf(fold(w))),
      ask: r.ask,
    })),
  }))
  const bare = (tokens: Token[]) => content(tokens).filter((t) => !filler.has(t.form))
  const choices = (options.choices ?? []).map((c) => ({
    phrases: c.phrases.map((p) => bare(tokenize(p))).filter((p) => p.length > 0),
    topics: c.topics.filter((id) => byId.has(id)).map((id) => byId.get(id)!),
  }))
  /** The choice whose phrase is the whole message, word for word (typos forgiven), if any. */
  function choiceFor(tokens: Token[]): Topic[] | undefined {
    const said = bare(tokens)
    const same = (phrase: Token[]) =>
      phrase.length === said.length &&
      phrase.every((w, i) => commandSimilar(said[i]!, w, 'command'))
    return choices.find((c) => c.topics.length >= 2 && c.phrases.some(same))?.topics
  }
  const nbWords = new Set(commands.language.nb.map(fold))
  const enWords = new Set(commands.language.en.map(fold))

  function scoreTopics(tokens: Token[]): Scored[] {
    const meaningful = content(tokens)
    return scoreAll(index, meaningful, adjacentPairs(meaningful), tokens)
  }

  function matchCommand(tokens: Token[], careful: boolean): CommandName | undefined {
    const rest = tokens.filter((t) => !filler.has(t.form))
    const commands = commandIndex.filter((c) => careful || c.tolerance !== 'exact')
    for (const command of commands) {
      if (command.phrases.some((p) => containsPhrase(tokens, p, command.tolerance)))
        return command.name
    }
    if (rest.length === 0) return undefined
    if (rest.length <= 2) {
      for (const command of commands) {
        const similar = (t: Token) =>
          command.words.some((w) => commandSimilar(t, w, command.tolerance))
        if (rest.every(similar)) return command.name
      }
    }
    return undefined
  }

  /**
   * A command in plain words, by its rules: only in a message the keywords read as no topic
   * ("slett gjelden min" is debt, "stop the debt collector" is inkasso) and of no more than
   * `ruleWords` words.
   */
  function ruleCommand(tokens: Token[], scored: Scored[], careful: boolean): Match | undefined {
    if (tokens.length > ruleWords) return undefined
    if ((scored[0]?.score ?? 0) >= thresholds.minScore) return undefined
    const has = (word: Token, tolerance: Tolerance) =>
      tokens.some((t) => commandSimilar(t, word, tolerance))
    for (const command of commandIndex.filter((c) => careful || c.tolerance !== 'exact')) {
      const rule = command.rules.find(
        (r) =>
          r.all.every((group) => group.some((w) => has(w, command.tolerance))) &&
          !r.not.some((w) => has(w, 'exact'))
      )
      if (rule)
        return { kind: 'command', command: command.name, ...(rule.ask ? { ask: true } : {}) }
    }
    return undefined
  }

  return {
    match(text, { careful = true } = {}) {
      const trimmed = text.trim()
      if (/^\d{1,2}[.)]?$/.test(trimmed))
        return { kind: 'number', value: Number.parseInt(trimmed, 10) }
      const tokens = tokenize(trimmed)
      if (tokens.length === 0) return { kind: 'none' }
      const scored = scoreTopics(tokens)
      const command = matchCommand(tokens, careful)
      if (command) return { kind: 'command', command }
      const ruled = ruleCommand(tokens, scored, careful)
      if (ruled) return ruled
      const offered = choiceFor(tokens)
      if (offered) return { kind: 'clarify', topics: offered }
      const reader = learned()
      if (!reader) return fromKeywords(scored)
      const keywords = scored.map((x) => ({ id: x.entry.topic.id, score: x.score }))
      return combineScores(keywords, reader.guess(trimmed), byId, settings)
    },
    detectLanguage(text, margin = 1) {
      const forms = words(text).map(fold)
      // æøå only occur in Norwegian: worth two ordinary words.
      const nb = forms.filter((w) => nbWords.has(w)).length + (/[æøå]/i.test(text) ? 2 : 0)
      const en = forms.filter((w) => enWords.has(w)).length
      if (Math.abs(nb - en) < margin) return undefined
      return nb > en ? 'nb' : 'en'
    },
    closest(text, n) {
      return learned()?.closest(text, n) ?? []
    },
    explain(text) {
      return scoreTopics(tokenize(text)).map((s) => ({
        id: s.entry.topic.id,
        score: round(s.score),
      }))
    },
  }
}

/** What the keywords alone say: the best topic, a choice between close ones, or nothing. */
function fromKeywords(scored: Scored[]): Match {
  const [best, second, third] = scored
  if (!best || best.score < thresholds.minScore) return { kind: 'none' }
  if (second && second.score >= best.score * thresholds.clarifyRatio) {
    const close = [best, second, third].filter(
      (s): s is NonNullable<typeof s> => !!s && s.score >= best.score * thresholds.clarifyRatio
    )
    return { kind: 'clarify', topics: close.map((s) => s.entry.topic) }
  }
  return { kind: 'topic', topic: best.entry.topic, score: best.score }
}

const readers = new WeakMap<
  readonly Example[],
  { topics: Topic[]; stopwords: string; settings: LearnedSettings; reader: LearnedReader }[]
>()

/**
 * The learned reader of these examples and topics: trained once per process (about half a
 * second, at the first message that needs it), however many matchers are made from the same
 * content (tests make many).
 */
function learnedReaderFor(
  examples: readonly Example[],
  topics: Topic[],
  stopwords: ReadonlySet<string>,
  settings: LearnedSettings
): LearnedReader {
  const built = readers.get(examples) ?? []
  const stopKey = [...stopwords].join(' ')
  const same = built.find(
    (b) =>
      b.settings === settings &&
      b.stopwords === stopKey &&
      b.topics.length === topics.length &&
      b.topics.every((t, i) => t === topics[i])
  )
  if (same) return same.reader
  const reader = createLearnedReader(
    [
      ...examples.filter((e) => e.label === 'none' || topics.some((t) => t.id === e.label)),
      ...keywordExamples(topics),
    ],
    stopwords,
    settings
  )
  built.push({ topics, stopwords: stopKey, settings, reader })
  readers.set(examples, built)
  return reader
}

/** Each topic's phrases and keywords, as examples of it for the learned reader. */
export function keywordExamples(topics: Topic[]): Example[] {
  return topics.flatMap((t) =>
    [...t.phrases.nb, ...t.phrases.en, ...t.keywords.nb, ...t.keywords.en].map((text) => ({
      text,
      label: t.id,
    }))
  )
}

/** The keywords' scores and the learned vote, combined (see combineDefaults). */
export function combineScores(
  keywords: { id: string; score: number }[],
  guess: Guess,
  topics: ReadonlyMap<string, Topic>,
  s: CombineSettings
): Match {
  // The keywords alone would answer, and the learned reader's first choice is the same: answer.
  const [first, next] = keywords
  if (
    first &&
    first.score >= thresholds.minScore &&
    (!next || next.score < first.score * thresholds.clarifyRatio) &&
    guess.ranked[0]?.label === first.id &&
    guess.ranked[0].share >= s.agree * (guess.ranked[1]?.share ?? 0) &&
    guess.ranked[0].share >= s.agreeShare &&
    topics.has(first.id)
  )
    return { kind: 'topic', topic: topics.get(first.id)!, score: first.score }
  const combined = new Map<string, number>()
  for (const { id, score } of keywords)
    combined.set(id, (s.keywordShare * score) / (score + s.keywordHalf))
  const confidence = Math.min(1, guess.similarity / s.similarityFull)
  for (const { label, share } of guess.ranked) {
    if (!topics.has(label)) continue
    combined.set(label, (combined.get(label) ?? 0) + (1 - s.keywordShare) * share * confidence)
  }
  const ranked = [...combined]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([id, score]) => ({ topic: topics.get(id)!, score }))
  const [best, second] = ranked
  if (!best || best.score < s.ask) return { kind: 'none' }
  if (best.score >= s.answer && best.score - (second?.score ?? 0) >= s.margin)
    return { kind: 'topic', topic: best.topic, score: round(best.score) }
  const offered = ranked.slice(0, 3).filter((r) => r.score >= best.score * s.alsoAsk)
  return { kind: 'clarify', topics: offered.map((r) => r.topic) }
}

function indexTopics(topics: Topic[], content: (t: Token[]) => Token[]): Index {
  const keywordLists = topics.map((topic) =>
    [...topic.keywords.nb, ...topic.keywords.en].map((k) => tokenize(k))
  )
  // Rarer keywords say more: weight by inverse document frequency over topics.
  const documentFrequency = new Map<string, number>()
  for (const lists of keywordLists) {
    for (const form of new Set(lists.flat().map((t) => t.form))) {
      documentFrequency.set(form, (documentFrequency.get(form) ?? 0) + 1)
    }
  }
  const n = topics.length
  const weightOf = (t: Token) =>
    1 + Math.log(n / (documentFrequency.get(t.form) ?? 1)) / Math.log(n + 1)
  const index: Index = {
    topics: [],
    vocabulary: new Vocabulary(thresholds.minSimilarity),
    keywordsOf: new Map(),
    phrasesOf: new Map(),
  }
  topics.forEach((topic, i) => {
    const multiWord = keywordLists[i]!.filter((k) => k.length > 1)
    for (const token of new Set(keywordLists[i]!.filter((k) => k.length === 1).map((k) => k[0]!))) {
      index.vocabulary.add(token)
      append(index.keywordsOf, token, { topic: i, weight: weightOf(token) })
    }
    const phrases = [...multiWord, ...[...topic.phrases.nb, ...topic.phrases.en].map(tokenize)]
      .map((p) => (content(p).length >= 2 ? content(p) : p))
      .filter((p) => p.length > 0)
    phrases.forEach((phrase, j) => {
      for (const token of new Set(phrase)) {
        index.vocabulary.add(token)
        append(index.phrasesOf, token, { topic: i, phrase: j })
      }
    })
    index.topics.push({ topic, phrases })
  })
  return index
}

/**
 * Each meaningful word (and each joined pair of words) adds the weight of the best keyword it
 * matches in a topic; the topic's best-covered phrase adds a bonus.
 */
function scoreAll(index: Index, meaningful: Token[], joined: Token[], all: Token[]): Scored[] {
  const scores = new Map<number, number>()
  // A joined pair only stands for a split compound ("husleie garanti"): it must match a keyword
  // itself, not merely start with one, or "overdose risk" would count "overdose" twice.
  const candidates = [
    ...meaningful.map((token) => index.vocabulary.lookup(token).keyword),
    ...joined.map((token) => index.vocabulary.lookup(token).plain),
  ]
  for (const similar of candidates) {
    const best = new Map<number, number>()
    for (const [word, s] of similar) {
      for (const { topic, weight } of index.keywordsOf.get(word) ?? []) {
        best.set(topic, Math.max(best.get(topic) ?? 0, s * weight))
      }
    }
    for (const [topic, value] of best) scores.set(topic, (scores.get(topic) ?? 0) + value)
  }
  const present = new Set<Token>()
  for (const token of all)
    for (const word of index.vocabulary.lookup(token).plain.keys()) present.add(word)
  const found = new Map<string, number>()
  for (const word of present) {
    for (const { topic, phrase } of index.phrasesOf.get(word) ?? []) {
      const key = `${topic}:${phrase}`
      found.set(key, (found.get(key) ?? 0) + 1)
    }
  }
  const bonus = new Map<number, number>()
  for (const [key, count] of found) {
    const [topic, phrase] = key.split(':').map(Number) as [number, number]
    const length = new Set(index.topics[topic]!.phrases[phrase]!).size
    const coverage = count / length
    if (count >= Math.min(2, length) && coverage >= 0.66) {
      bonus.set(
        topic,
        Math.max(bonus.get(topic) ?? 0, coverage * coverage * Math.min(length, 4) * 0.75)
      )
    }
  }
  for (const [topic, value] of bonus) scores.set(topic, (scores.get(topic) ?? 0) + value)
  return [...scores]
    .map(([topic, score]) => ({ entry: index.topics[topic]!, score }))
    .filter((s) => s.score > 0)
    .sort(
      (a, b) => b.score - a.score || index.topics.indexOf(a.entry) - index.topics.indexOf(b.entry)
    )
}

function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}

/** "husleie garanti" → "husleiegaranti": people split compounds on small keyboards. */
function adjacentPairs(tokens: Token[]): Token[] {
  const pairs: Token[] = []
  for (let i = 0; i + 1 < tokens.length; i++) {
    const a = tokens[i]!.form
    const b = tokens[i + 1]!.form
    if (a.length >= 3 && b.length >= 3) pairs.push(tokenOf(a + b))
  }
  return pairs
}

/** The phrase's words in order, allowing one extra word between them ("ikke send meg flere meldinger"). */
function containsPhrase(tokens: Token[], phrase: Token[], tolerance: Tolerance): boolean {
  if (phrase.length === 0 || phrase.length > tokens.length) return false
  for (let start = 0; start < tokens.length; start++) {
    if (!commandSimilar(tokens[start]!, phrase[0]!, tolerance)) continue
    let at = start
    let matched = 1
    while (matched < phrase.length) {
      const next = [at + 1, at + 2].find(
        (i) => i < tokens.length && commandSimilar(tokens[i]!, phrase[matched]!, tolerance)
      )
      if (next === undefined) break
      at = next
      matched++
    }
    if (matched === phrase.length) return true
  }
  return false
}

function commandSimilar(input: Token, word: Token, tolerance: Tolerance): boolean {
  return similarity(input, word, tolerance) >= 0.8
}

/**
 * Commands that delete, opt out or end a chat take no typo: "slått" (hit) and "slutt" are one
 * letter from "slett", and "han har slått meg" must never start a deletion.
 */
const carefulCommands = new Set<string>(['delete', 'stop', 'end'])

/** The longest message a command rule reads: a longer one is a story, not a command. */
const ruleWords = 12

const round = (n: number) => Math.round(n * 100) / 100
