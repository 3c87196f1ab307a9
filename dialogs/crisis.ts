/**
 * @module dialogs/crisis
 * The crisis layer: every message is read for danger before anything else, in every state. The
 * patterns, word classes and exclusions are data (content/crisis/); this module compiles them and
 * says, for a message, whether it shows clear danger, a possible signal or nothing, of which kind,
 * and which words showed it.
 */
import {
  crisisKinds,
  type CrisisExclusions,
  type CrisisKind,
  type CrisisKindFile,
  type CrisisWords,
  type Lang,
} from '../content/schema.js'
import {
  boundary,
  compilePattern,
  findMatch as findAnyMatch,
  PatternIndex,
  sentenceForms,
  wordTests,
  type Message,
  type Pattern,
  type Vocabulary,
} from './crisis-pattern.js'
import { createFeaturizer } from './crisis-features.js'
import { readWithModel, type CrisisModelData } from './crisis-model.js'
import { CrisisSpelling } from './crisis-spelling.js'
import { fold, words } from './normalize.js'

export type CrisisLevel = 'danger' | 'possible' | 'none'

export type CrisisSignal = {
  level: CrisisLevel
  /** The kind that answers: the most urgent one found. */
  kind?: CrisisKind
  /** Every kind found, most urgent first. */
  kinds: CrisisKind[]
  /** The words of the message that showed it, for staff ("ta livet mitt"). */
  cues: string[]
  /** The language of the first pattern that matched. */
  language?: Lang
  /** Every sign the patterns found ("suicide:farewell"), weak ones too: for the model and logs. */
  signs: string[]
  /** The kinds the patterns found a sign of that is not only support (a time, silence). */
  leads?: CrisisKind[]
}

export type CrisisLexicon = {
  kinds: readonly CrisisKindFile[]
  words: CrisisWords
  exclusions: CrisisExclusions
  /** Real words one typo from a crisis word, and every other word the content knows. */
  realWords: Iterable<string>
  /** The learned second reader; without it only the patterns decide. */
  model?: CrisisModelData
}

export type CrisisDetector = {
  detect(text: string): CrisisSignal
  /** The signal and every pattern that matched: for content authors and the console. */
  explain(text: string): { signal: CrisisSignal; trace: string[] }
  /** The crisis words a folded word may stand for (spellings, typos): for training the model. */
  spelling(form: string): ReadonlySet<string>
}

type Sign = { sign: string; weight: number; support: boolean; patterns: Pattern[] }
type Compiled = { kind: CrisisKind; signs: Sign[]; not: Pattern[] }
type Found = {
  kind: CrisisKind
  sign: string
  weight: number
  support: boolean
  span: number[]
  language: Lang
}
type Lists = { nb: string[]; en: string[] }

export const noSignal: CrisisSignal = { level: 'none', kinds: [], cues: [], signs: [] }

export function createCrisisDetector(lexicon: CrisisLexicon): CrisisDetector {
  const vocabulary: Vocabulary = {
    classes: new Map(Object.entries(lexicon.words.classes)),
    negations: new Set(lexicon.words.negations.map(fold)),
    fillers: new Set(lexicon.words.fillers.map(fold)),
  }
  const compile = (lists: Lists) =>
    (['nb', 'en'] as const).flatMap((language) =>
      lists[language].map((source) => compilePattern(source, language, vocabulary))
    )
  const kinds: Compiled[] = [...lexicon.kinds]
    .sort((a, b) => crisisKinds.indexOf(a.kind) - crisisKinds.indexOf(b.kind))
    .map((file) => ({
      kind: file.kind,
      signs: file.signs.map(({ sign, weight, support, nb, en }) => ({
        sign,
        weight,
        support: support === true,
        patterns: compile({ nb, en }),
      })),
      not: compile(file.not),
    }))
  /** Words too plain for the second reader to ask the check on them alone (`@plain`). */
  const plain = new Set((lexicon.words.classes['plain'] ?? []).map((w) => fold(w)))
  const { mask, soften, past, notNow, now } = lexicon.exclusions
  const [masks, softeners, before, later, present] = [mask, soften, past, notNow, now].map(
    compile
  ) as [Pattern[], Pattern[], Pattern[], Pattern[], Pattern[]]
  const spelling = new CrisisSpelling({
    ...patternWords(kinds.flatMap((k) => k.signs.flatMap((sign) => sign.patterns))),
    variants: variantsOf(lexicon.words.spellings),
    real: lexicon.realWords,
  })
  const index = new PatternIndex([
    ...masks,
    ...softeners,
    ...before,
    ...later,
    ...present,
    ...kinds.flatMap((k) => [...k.not, ...k.signs.flatMap((sign) => sign.patterns)]),
  ])
  /**
   * Which list (a sign, a kind's exclusions, an exclusion list) each pattern is in: a message
   * wakes few patterns, and only the lists holding one are tried (looking at each of the
   * thousand patterns in turn cost more than reading the message, issue 13).
   */
  const listOf = new Map<Pattern, object>()
  const enlist = (list: object, patterns: Pattern[]) => patterns.forEach((p) => listOf.set(p, list))
  for (const list of [masks, softeners, before, later, present]) enlist(list, list)
  for (const k of kinds) {
    enlist(k.not, k.not)
    for (const sign of k.signs) enlist(sign, sign.patterns)
  }
  const awake = new WeakMap<Message, Set<object>>()
  /** Whether a pattern of this list could match the message at all. */
  const wakes = (message: Message, list: object) => {
    let lists = awake.get(message)
    if (!lists) {
      lists = new Set()
      for (const pattern of candidatesOf(message)) lists.add(listOf.get(pattern)!)
      awake.set(message, lists)
    }
    return lists.has(list)
  }
  const never = new Set(lexicon.words.never.map(fold))
  const classWords = (name: string) =>
    new Set((lexicon.words.classes[name] ?? []).map((w) => fold(w)))
  const negationWords: NegationWords = {
    auxiliaries: classWords('auxiliary'),
    after: classWords('negation-after'),
    pronouns: classWords('pronoun'),
  }
  const featurize = createFeaturizer(lexicon.model?.features ?? ['pairs'], {
    classes: lexicon.words.classes,
    negations: lexicon.words.negations,
    spelling: (form) => spelling.of(form),
  })
  const intensifiers = new Set(lexicon.words.intensifiers.map(fold))
  /**
   * "har aldri tenkt på selvmord": "aldri" up to four words before a match, in its sentence, puts
   * it in doubt, unless a comparison follows it ("aldri vært så nær selvmord" is no negation).
   */
  const neverBefore = (message: Message, span: number[]) => {
    const start = span[0]!
    for (let i = start - 1; i >= Math.max(0, start - 4); i--) {
      const form = message.forms[i]!
      if (form === boundary || intensifiers.has(form)) return false
      if (never.has(form)) return true
    }
    return false
  }
  /**
   * Negations are told by the word as written, not folded: "noe" folds to "no" but is not one.
   */
  const written = new Set(lexicon.words.negations.map((w) => w.toLowerCase()))
  const messageOf = (forms: string[], original: string[]): Message => ({
    forms,
    alts: forms.map((form) => spelling.of(form)),
    filler: forms.map((form) => vocabulary.fillers.has(form)),
    negation: forms.map(
      (form, i) => vocabulary.negations.has(form) && written.has(original[i]!.replace(/'/g, ''))
    ),
    masked: new Set(),
    soft: new Set(),
  })
  /** Only the patterns whose first word is in the message are tried. */
  const findMatch = (pattern: Pattern, message: Message) =>
    candidatesOf(message).has(pattern) ? findAnyMatch(pattern, message) : undefined
  /** The words of every match of the pattern, one after the other. */
  const findAll = (pattern: Pattern, message: Message, note: Note): number[] => {
    const found: number[] = []
    const masked = message.masked
    try {
      for (let span = findMatch(pattern, message); span; span = findMatch(pattern, message)) {
        note('context', pattern, span)
        found.push(...span)
        message.masked = new Set([...message.masked, ...span])
      }
    } finally {
      message.masked = masked
    }
    return found
  }
  const woken = new WeakMap<Message, Set<Pattern>>()
  const candidatesOf = (message: Message) => {
    let found = woken.get(message)
    if (!found) woken.set(message, (found = index.candidates(message)))
    return found
  }

  /** Marks idioms (masked), softening words and the sentences about the past. */
  const prepare = (message: Message, note: Note) => {
    for (const pattern of wakes(message, masks) ? masks : []) {
      for (let span = findMatch(pattern, message); span; span = findMatch(pattern, message)) {
        note('mask', pattern, span)
        for (const i of span) message.masked.add(i)
      }
    }
    for (const pattern of wakes(message, softeners) ? softeners : []) {
      const span = findMatch(pattern, message)
      if (span) note('soften', pattern, span)
      for (const i of span ?? []) message.soft.add(i)
    }
    // A sentence about the past ("for ti år siden"), or a message about a course or a "what
    // if", is softened, unless it also says now ("akkurat nå", "i natt").
    const sentence = sentencesOf(message.forms)
    const all = (list: Pattern[]) =>
      wakes(message, list) ? list.flatMap((p) => findAll(p, message, note)) : []
    const nowIn = new Set(all(present).map((i) => sentence[i]))
    const pastIn = all(before).map((i) => sentence[i]!)
    const over =
      wakes(message, later) &&
      later.some((p) => findAll(p, message, note).length > 0) &&
      nowIn.size === 0
    const past = new Set(pastIn.filter((s) => !nowIn.has(s)))
    return (span: number[]) =>
      over ||
      span.some((i) => message.soft.has(i)) ||
      span.every((i) => past.has(sentence[i]!)) ||
      negatedAround(message, span, negationWords) ||
      neverBefore(message, span)
  }

  /**
   * Each kind's signs found in the message, each counted once, softened ones at half weight.
   * Clear danger is 2 or more with at least one sign at full weight that is not support; a
   * possible signal 1 or more. Support signs alone count nothing.
   */
  const weigh = (message: Message, softened: (span: number[]) => boolean, note: Note) => {
    const danger: Found[] = []
    const possible: Found[] = []
    const weak: Found[] = []
    for (const k of kinds) {
      // A kind's own exclusions ("han truer med å kutte meg" is violence, not self-harm).
      if (wakes(message, k.not) && k.not.some((p) => findAll(p, message, note).length > 0)) continue
      const found: Found[] = []
      let firm = false
      for (const { sign, weight, support, patterns } of k.signs.filter((s) => wakes(message, s))) {
        for (const pattern of patterns) {
          const span = findMatch(pattern, message)
          if (!span) continue
          const soft = softened(span)
          note(`${k.kind} ${sign}${soft ? ' (softened)' : ''}`, pattern, span)
          firm ||= !soft && !support && weight >= 1
          found.push({
            kind: k.kind,
            sign,
            weight: soft ? weight / 2 : weight,
            support,
            span,
            language: pattern.language,
          })
          break
        }
      }
      // A support sign ("i kveld", "svarer ikke") counts only beside another sign of the kind.
      found.sort((a, b) => b.weight - a.weight)
      const alone = found.every((f) => f.support)
      const score = alone ? 0 : found.reduce((sum, f) => sum + f.weight, 0)
      if (score >= 2 && firm) danger.push(...found)
      else if (score >= 1) possible.push(...found)
      else weak.push(...found)
    }
    return { danger, possible, weak }
  }

  const read = (text: string, trace?: string[]): CrisisSignal => {
    const { original, forms } = sentenceForms(text)
    if (original.length === 0) return noSignal
    const message = messageOf(forms, original)
    const note: Note = (what, pattern, span) =>
      trace?.push(`${what}: ${pattern.source} => ${cueOf(original, span)}`)
    const { danger, possible, weak } = weigh(message, prepare(message, note), note)
    const signs = [...danger, ...possible, ...weak].map((f) => `${f.kind}:${f.sign}`)
    const signal = (level: CrisisLevel, found: Found[]): CrisisSignal => ({
      level,
      kind: found[0]?.kind,
      kinds: [...new Set(found.map((f) => f.kind))],
      cues: [...new Set(found.map((f) => cueOf(original, f.span)))],
      language: found[0]?.language,
      signs,
    })
    if (danger.length > 0) return signal('danger', [...danger, ...possible])
    const { model } = lexicon
    const leads = [...new Set([...possible, ...weak].filter((f) => !f.support).map((f) => f.kind))]
    if (!model) {
      if (possible.length > 0) return { ...signal('possible', possible), leads }
      return { ...noSignal, signs, leads }
    }
    const reading = readWithModel(model, featurize(text))
    trace?.push(`model: ${reading.kind} ${reading.crisis.toFixed(2)} (${reading.words.join(', ')})`)
    // The second reader, very sure of a kind the patterns found a sign of, raises it to danger.
    if (raises(model, reading, leads)) {
      const own = [...possible, ...weak].filter((f) => f.kind === reading.kind && !f.support)
      const rest = possible.filter((f) => f.kind !== reading.kind)
      trace?.push(`model raises ${reading.kind} to danger (${model.raise})`)
      const raised = signal('danger', [...own, ...rest])
      return { ...raised, cues: [...new Set([...raised.cues, ...reading.words])], leads }
    }
    if (possible.length > 0) return { ...signal('possible', possible), leads }
    // Where the patterns see nothing, the model may still ask the check, but never on plain
    // everyday words alone ("vet ikke", "kva gjer eg no?"), on the words of an everyday use the
    // exclusions mask ("took two paracetamol for my headache"), or on a support sign, which never
    // raises anything alone ("skal på kino i kveld"), or on numbers alone (a menu choice, "2"):
    // one of its words must carry meaning.
    const supportWords = weak.filter((f) => f.support).flatMap((f) => f.span)
    const everyday = new Set([...message.masked, ...supportWords].map((i) => original[i]))
    const idle = (w: string) =>
      everyday.has(w) || !/\p{L}/u.test(w) || words(w).every((part) => plain.has(fold(part)))
    if (reading.crisis < model.threshold || reading.words.every(idle))
      return { ...noSignal, signs, leads }
    const kind = reading.kind
    return { level: 'possible', kind, kinds: [kind], cues: reading.words, signs, leads }
  }

  return {
    spelling: (form) => spelling.of(form),
    detect: (text) => read(text),
    explain(text) {
      const trace: string[] = []
      return { signal: read(text, trace), trace }
    },
  }
}

/**
 * The second reader raises a message to clear danger only when it is very sure (`model.raise`,
 * chosen in folds) and the patterns found a sign of the same kind: never on words alone.
 */
export function raises(
  model: CrisisModelData,
  reading: { crisis: number; kind: CrisisKind },
  leads: readonly CrisisKind[]
): boolean {
  return model.raise !== undefined && reading.crisis >= model.raise && leads.includes(reading.kind)
}

type Note = (what: string, pattern: Pattern, span: number[]) => void

const cueOf = (original: string[], span: number[]) =>
  span
    .map((i) => original[i])
    .filter((w) => w !== boundary)
    .join(' ')

/**
 * "han slo meg ikke", "er ikke blitt slått": a negation right before or after a match (fillers
 * aside, within the sentence) puts it in doubt. Negations a pattern names itself are inside it.
 */
function negatedAround(message: Message, span: number[], words: NegationWords): boolean {
  const before = (i: number) =>
    message.filler[i] || (words.auxiliaries.has(message.forms[i]!) && message.forms[i] !== boundary)
  let i = span[0]! - 1
  while (i >= 0 && before(i) && message.forms[i] !== boundary) i--
  if (message.negation[i] === true) return true
  // After a match only a negation that denies it ("han slo meg ikke"), never one that starts
  // the next clause ("han slår meg, ingen tror meg", "pressing the glass, cant stop", "hvis jeg
  // ikke betaler": a pronoun begins a new clause).
  let j = span.at(-1)! + 1
  while (
    message.filler[j] &&
    !words.pronouns.has(message.forms[j]!) &&
    message.forms[j] !== boundary
  )
    j++
  return words.after.has(message.forms[j] ?? '')
}

/**
 * Auxiliaries a negation may stand before ("ikke har tatt", "not have taken"); the negations
 * that deny the words before them ("slo meg ikke"); pronouns, which begin a new clause.
 */
type NegationWords = {
  auxiliaries: ReadonlySet<string>
  after: ReadonlySet<string>
  pronouns: ReadonlySet<string>
}

/** Which sentence each word is in (sentences end at "$"). */
function sentencesOf(forms: string[]): number[] {
  let n = 0
  return forms.map((form) => (form === boundary ? n++ : n))
}

/** The folded words and prefixes of the kinds' patterns: what typos are read against. */
export function crisisPatternWords(lexicon: Pick<CrisisLexicon, 'kinds' | 'words'>): {
  words: string[]
  prefixes: string[]
} {
  const vocabulary: Vocabulary = {
    classes: new Map(Object.entries(lexicon.words.classes)),
    negations: new Set(),
    fillers: new Set(),
  }
  const patterns = lexicon.kinds.flatMap((file) =>
    file.signs.flatMap((sign) =>
      (['nb', 'en'] as const).flatMap((lang) =>
        sign[lang].map((source) => compilePattern(source, lang, vocabulary))
      )
    )
  )
  return patternWords(patterns)
}

function patternWords(patterns: Pattern[]): { words: string[]; prefixes: string[] } {
  const tests = patterns.flatMap(wordTests)
  const words = tests.filter((w) => !w.prefix && w.word && w.word !== boundary)
  return {
    words: [...new Set(words.map((w) => w.word))].sort(),
    prefixes: [...new Set(tests.filter((w) => w.prefix).map((w) => w.word))].sort(),
  }
}

/** { "ikke": ["ikkje", "ikek"] } → ikkje → [ikke], ikek → [ikke], folded. */
function variantsOf(spellings: Record<string, string[]>): Map<string, string[]> {
  const variants = new Map<string, string[]>()
  for (const [word, list] of Object.entries(spellings)) {
    for (const variant of list) {
      const key = fold(variant)
      variants.set(key, [...(variants.get(key) ?? []), fold(word)])
    }
  }
  return variants
}
