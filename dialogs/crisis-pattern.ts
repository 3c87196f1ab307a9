/**
 * @module dialogs/crisis-pattern
 * The small pattern language of content/crisis/: words in order, each standing for one word of
 * the message, with alternatives (`a|b`, `a+b` for two words in a row), prefixes (`ord*`), word
 * classes (`@name`), numbers (`#6+`: 6 or more) and gaps (`..` up to 3 words, `...` up to 8).
 * Two neighbouring pattern words may have one filler word between them ("vil bare dø"); a gap
 * never skips a negation ("vil ikke dø" is not "vil dø"). `a & b` needs both parts, in any order.
 */
import type { Lang } from '../content/schema.js'
import { fold, words } from './normalize.js'

/** One word of a pattern: the folded word, a prefix of it, or (`#6+`) a number at least `min`. */
export type WordTest = { word: string; prefix: boolean; min?: number }
/** One alternative of a slot: one or more words in a row ("ta livet av"). */
export type Sequence = WordTest[]
/** A slot's alternatives, indexed by their first word so a message word finds its few at once. */
type Slot = { byWord: Map<string, Sequence[]>; other: Sequence[]; all: Sequence[] }
type Gap = 'near' | 'short' | 'long'
type Part = { slots: Slot[]; gaps: Gap[] }
export type Pattern = { source: string; language: Lang; parts: Part[] }

export type Vocabulary = {
  classes: ReadonlyMap<string, readonly string[]>
  negations: ReadonlySet<string>
  fillers: ReadonlySet<string>
}

/** A message as the patterns see it; `masked` words are an idiom's and match nothing. */
export type Message = {
  forms: string[]
  /** Per word: other words it stands for (a spelling variant, a typo) and `*prefixes`. */
  alts: ReadonlySet<string>[]
  filler: boolean[]
  negation: boolean[]
  masked: Set<number>
  soft: Set<number>
}

const widths: Record<Gap, number> = { near: 1, short: 3, long: 8 }

/** Compiles one pattern; a bad one throws with the pattern in the message. */
export function compilePattern(source: string, language: Lang, vocabulary: Vocabulary): Pattern {
  const parts = source.split(/\s+&\s+/).map((part) => compilePart(part, source, vocabulary))
  return { source, language, parts }
}

function compilePart(text: string, source: string, vocabulary: Vocabulary): Part {
  const slots: Slot[] = []
  const gaps: Gap[] = []
  let gap: Gap | undefined
  for (const token of text.trim().split(/\s+/)) {
    if (token === '..' || token === '...') {
      if (slots.length === 0 || gap !== 'near')
        throw new Error(`crisis pattern "${source}": a gap must stand between two words`)
      gap = token === '..' ? 'short' : 'long'
      continue
    }
    if (slots.length > 0) gaps.push(gap ?? 'near')
    gap = 'near'
    slots.push(indexSlot(parseSlot(token, vocabulary, source)))
  }
  if (slots.length === 0 || gaps.length !== slots.length - 1 || gap !== 'near')
    throw new Error(`crisis pattern "${source}": must start and end with a word`)
  return { slots, gaps }
}

function parseSlot(token: string, vocabulary: Vocabulary, source: string): Sequence[] {
  return token.split('|').flatMap((alternative) => {
    if (!alternative.startsWith('@')) return [sequenceOf(alternative, source)]
    const members = vocabulary.classes.get(alternative.slice(1))
    if (!members) throw new Error(`crisis pattern "${source}": unknown word class ${alternative}`)
    return members.map((member) => sequenceOf(member, source))
  })
}

/**
 * "ta livet av" or "ta+livet+av" → three words; "selvmord*" → a prefix; "$" → the end of a
 * sentence. Spelled as people write, then folded.
 */
function sequenceOf(text: string, source: string): Sequence {
  // "+" joins words, except the one that ends a number ("#6+").
  const sequence = text
    .split(/\s+|\+(?=.)/)
    .filter(Boolean)
    .flatMap((piece): Sequence => {
      if (piece === boundary) return [{ word: boundary, prefix: false }]
      const number = /^#(\d+)\+$/.exec(piece)
      if (number) return [{ word: '', prefix: false, min: Number(number[1]) }]
      const prefix = piece.endsWith('*')
      const forms = words(prefix ? piece.slice(0, -1) : piece).map(fold)
      return forms.map((word, i) => ({ word, prefix: prefix && i === forms.length - 1 }))
    })
  if (sequence.length === 0)
    throw new Error(`crisis pattern "${source}": empty alternative in "${text}"`)
  return sequence
}

/** Stands for the end of a sentence or of the message ("orker ikke mer." but not "orker ikke mer pasta"). */
export const boundary = '$'

/** A message's folded words, with `$` before it and after each sentence, so patterns can tell where one starts and ends. */
export function sentenceForms(text: string): { original: string[]; forms: string[] } {
  // A message starts with `$` too, so "$ vold $" is a sentence of that word alone.
  const original: string[] = [boundary]
  for (const sentence of text.split(/[.!?\n;]+/)) {
    const found = words(sentence)
    if (found.length) original.push(...found, boundary)
  }
  if (original.length === 1) return { original: [], forms: [] }
  return { original, forms: original.map((w) => (w === boundary ? w : fold(lettersFor(w)))) }
}

const leet: Record<string, string> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't' }

/** "selvm0rd", "l1vet": a digit between two letters stands for the letter it looks like. */
function lettersFor(word: string): string {
  return word.replace(/(?<=\p{L})[013457](?=\p{L})/gu, (digit) => leet[digit]!)
}

function indexSlot(sequences: Sequence[]): Slot {
  const slot: Slot = { byWord: new Map(), other: [], all: sequences }
  for (const sequence of sequences) {
    const first = sequence[0]!
    if (first.prefix || first.min !== undefined) {
      slot.other.push(sequence)
      continue
    }
    const list = slot.byWord.get(first.word)
    if (list) list.push(sequence)
    else slot.byWord.set(first.word, [sequence])
  }
  return slot
}

/** Every word test of a pattern, for the typo index. */
export function wordTests(pattern: Pattern): WordTest[] {
  return pattern.parts.flatMap((part) => part.slots.flatMap((slot) => slot.all.flat()))
}

/**
 * The indices of the message words the pattern matched first, or undefined. Each part of an `&`
 * pattern must match other words than the parts before it ("@final & @final": two farewells).
 */
export function findMatch(pattern: Pattern, message: Message): number[] | undefined {
  if (pattern.parts.length === 1) return findPart(pattern.parts[0]!, message)
  const span: number[] = []
  const masked = message.masked
  try {
    for (const part of pattern.parts) {
      const found = findPart(part, message)
      if (!found) return undefined
      span.push(...found)
      message.masked = new Set([...message.masked, ...found])
    }
  } finally {
    message.masked = masked
  }
  return span.sort((a, b) => a - b)
}

function findPart(part: Part, m: Message): number[] | undefined {
  for (let at = 0; at < m.forms.length; at++) {
    const span = matchFrom(part, m, 0, at)
    if (span) return span
  }
  return undefined
}

function matchFrom(p: Part, m: Message, slot: number, at: number): number[] | undefined {
  for (const sequence of candidates(p.slots[slot]!, m, at)) {
    const used = sequenceAt(sequence, m, at)
    if (!used) continue
    if (slot === p.slots.length - 1) return used
    const gap = p.gaps[slot]!
    const next = used.at(-1)! + 1
    for (let skip = 0; skip <= widths[gap] && next + skip < m.forms.length; skip++) {
      if (skip > 0 && !skippable(gap, m, next + skip - 1)) break
      const rest = matchFrom(p, m, slot + 1, next + skip)
      if (rest) return [...used, ...rest]
    }
  }
  return undefined
}

/** The slot's alternatives that could start at this word: by the word itself or what it stands for. */
function candidates(slot: Slot, m: Message, at: number): Sequence[] {
  if (at >= m.forms.length || m.masked.has(at)) return none
  const own = slot.byWord.get(m.forms[at]!)
  const alts = m.alts[at]!
  if (alts.size === 0 && slot.other.length === 0) return own ?? none
  const found = own ? [...own] : []
  for (const alt of alts) {
    const more = slot.byWord.get(alt)
    if (more) found.push(...more)
  }
  if (slot.other.length) found.push(...slot.other)
  return found
}

const none: Sequence[] = []

/**
 * Which patterns could match a message at all, by the words their first slot starts with: a
 * message of twenty words wakes a few dozen of thousands of patterns, and only those are tried.
 */
export class PatternIndex {
  readonly #byWord = new Map<string, Pattern[]>()
  readonly #byPrefix = new Map<string, Pattern[]>()
  readonly #always: Pattern[] = []

  constructor(patterns: Iterable<Pattern>) {
    for (const pattern of patterns) {
      // A pattern that starts at the start of a sentence ("$ vold $") is woken by its next word.
      const slots = pattern.parts[0]!.slots
      const opening = slots[0]!.all.every((s) => s.length === 1 && s[0]!.word === boundary)
      const first = (opening && slots[1] ? slots[1] : slots[0]!).all.map((sequence) => sequence[0]!)
      if (first.some((test) => test.min !== undefined || (test.prefix && test.word.length < 3))) {
        this.#always.push(pattern)
        continue
      }
      for (const test of first) {
        const [map, key] = test.prefix
          ? [this.#byPrefix, test.word.slice(0, 3)]
          : [this.#byWord, test.word]
        const list = map.get(key)
        if (!list) map.set(key, [pattern])
        else if (list.at(-1) !== pattern) list.push(pattern)
      }
    }
  }

  /** The patterns worth trying on `message`. */
  candidates(message: Message): Set<Pattern> {
    const found = new Set(this.#always)
    const add = (list: Pattern[] | undefined) => list?.forEach((p) => found.add(p))
    message.forms.forEach((form, i) => {
      add(this.#byWord.get(form))
      add(this.#byPrefix.get(form.slice(0, 3)))
      for (const alt of message.alts[i]!) {
        add(this.#byWord.get(alt))
        if (alt.startsWith('*')) add(this.#byPrefix.get(alt.slice(1, 4)))
      }
    })
    return found
  }
}

function skippable(gap: Gap, m: Message, index: number): boolean {
  return gap === 'near' ? m.filler[index]! : !m.negation[index]
}

/** The words a sequence takes from `at` on; like neighbouring slots, its words may have one filler between them. */
function sequenceAt(sequence: Sequence, m: Message, at: number): number[] | undefined {
  const used: number[] = []
  let index = at
  for (const test of sequence) {
    if (used.length > 0 && !fits(test, m, index) && m.filler[index] && fits(test, m, index + 1)) {
      index++
    }
    if (!fits(test, m, index)) return undefined
    used.push(index++)
  }
  return used
}

const fits = (test: WordTest, m: Message, index: number) =>
  index < m.forms.length && !m.masked.has(index) && wordAt(test, m, index)

function wordAt(test: WordTest, m: Message, index: number): boolean {
  const form = m.forms[index]!
  if (test.min !== undefined) return /^\d{1,4}$/.test(form) && Number(form) >= test.min
  if (test.prefix) return form.startsWith(test.word) || m.alts[index]!.has(`*${test.word}`)
  return form === test.word || m.alts[index]!.has(test.word)
}
