/**
 * @module dialogs/crisis-spelling
 * Which crisis words a message word may stand for: a spelling people use for it ("ikkje",
 * "vill", listed in content/crisis/words.json), or a typo under rules made to never turn an
 * ordinary word into an alarm. A typo must keep the first letter; a word of 7 letters or more may
 * be one edit off (two from 11), one of 5 or 6 letters may only swap two letters, drop one or
 * double one, a shorter one only double a letter ("pussterr"); a listed spelling with a letter
 * doubled or undoubled is that spelling ("truuga", "ikkkje"); and a word that is itself real in
 * either language is never a typo ("homeless" is not "hopeless", "slått" is not "slett").
 */
import damerau from 'damerau-levenshtein'

/** Message words shorter than this are never read as typos. */
const minInput = 4

/** The edits allowed between a message word and a crisis word, by the crisis word's length. */
export function typoOf(input: string, word: string): boolean {
  if (input === word || input[0] !== word[0] || input.length < minInput) return false
  if (undoubled(input) === undoubled(word)) return true
  if (word.length <= 4) return false
  const { steps } = damerau(input, word)
  if (word.length >= 7) return steps <= (word.length >= 11 ? 2 : 1)
  if (steps !== 1) return false
  // 5 or 6 letters: a swap (same letters) or a dropped letter, never a different letter.
  return sameLetters(input, word) || input.length === word.length - 1
}

/** True when `input` starts with a typo of `prefix` (7 letters or more). */
export function typoPrefix(input: string, prefix: string): boolean {
  if (prefix.length < 7 || input[0] !== prefix[0]) return false
  return [prefix.length - 1, prefix.length, prefix.length + 1].some(
    (length) => input.length >= length && damerau(input.slice(0, length), prefix).steps <= 1
  )
}

export class CrisisSpelling {
  readonly #words = new Map<string, string[]>()
  readonly #prefixes = new Map<string, string[]>()
  readonly #variants = new Map<string, string[]>()
  /** The listed spellings by their letters undoubled: "truga" for "truuga" and "trugga". */
  readonly #undoubledVariants = new Map<string, string[]>()
  readonly #real: ReadonlySet<string>
  readonly #remembered = new Map<string, ReadonlySet<string>>()

  constructor(options: {
    /** The patterns' folded words and prefixes. */
    words: Iterable<string>
    prefixes: Iterable<string>
    /** Folded spelling → the folded words it stands for. */
    variants: ReadonlyMap<string, readonly string[]>
    /** Every known real word, folded. */
    real: Iterable<string>
  }) {
    for (const word of new Set(options.words)) if (word.length >= 2) push(this.#words, word)
    for (const prefix of new Set(options.prefixes))
      if (prefix.length >= 7) push(this.#prefixes, prefix)
    for (const [variant, words] of options.variants) {
      this.#variants.set(variant, [...words])
      if (variant.length < minInput) continue
      const key = undoubled(variant)
      this.#undoubledVariants.set(key, [...(this.#undoubledVariants.get(key) ?? []), ...words])
    }
    this.#real = new Set(options.real)
  }

  /** The crisis words `form` may stand for; prefixes come as "*prefix". */
  of(form: string): ReadonlySet<string> {
    let found = this.#remembered.get(form)
    if (found) return found
    found = this.#find(form)
    if (this.#remembered.size > 20_000) this.#remembered.clear()
    this.#remembered.set(form, found)
    return found
  }

  #find(form: string): ReadonlySet<string> {
    const found = new Set<string>(this.#variants.get(form) ?? [])
    if (form.length < minInput || this.#real.has(form) || /\d/.test(form)) return found
    for (const word of this.#undoubledVariants.get(undoubled(form)) ?? []) found.add(word)
    for (const word of this.#words.get(form[0]!) ?? []) if (typoOf(form, word)) found.add(word)
    for (const prefix of this.#prefixes.get(form[0]!) ?? [])
      if (!form.startsWith(prefix) && typoPrefix(form, prefix)) found.add(`*${prefix}`)
    return found
  }
}

const undoubled = (form: string) => form.replace(/(.)\1+/g, '$1')

/**
 * Forms one doubled or undoubled letter from a listed spelling, which `CrisisSpelling` reads as
 * it: `npm run crisis:build` checks them against the dictionaries (real words are never typos).
 */
export function doublingsOf(variant: string): string[] {
  if (variant.length < minInput) return []
  const out = new Set<string>()
  for (let i = 0; i < variant.length; i++) {
    out.add(variant.slice(0, i + 1) + variant.slice(i))
    if (variant[i] === variant[i + 1]) out.add(variant.slice(0, i) + variant.slice(i + 1))
  }
  out.delete(variant)
  return [...out].filter((form) => form.length >= minInput)
}
const sameLetters = (a: string, b: string) => [...a].sort().join('') === [...b].sort().join('')

function push(map: Map<string, string[]>, word: string): void {
  const list = map.get(word[0]!)
  if (list) list.push(word)
  else map.set(word[0]!, [word])
}
