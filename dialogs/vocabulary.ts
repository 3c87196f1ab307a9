/**
 * @module dialogs/vocabulary
 * Every word the content knows, bucketed by first letter and stem, so a message's words are
 * compared with the few words that could match instead of all of them. Lookups are remembered:
 * people use the same words again and again.
 */
import { similarity } from './fuzzy.js'
import type { Token } from './normalize.js'

export type Similar = {
  /** Vocabulary words similar to the input (typo, stem or the same word). */
  plain: Map<Token, number>
  /** The same, plus keywords the input starts with ("bostøttesøknad" has "bostøtte"). */
  keyword: Map<Token, number>
}

export class Vocabulary {
  readonly #byInitial = new Map<string, Token[]>()
  readonly #byStem = new Map<string, Token[]>()
  readonly #known = new Set<Token>()
  readonly #remembered = new Map<Token, Similar>()

  constructor(private readonly minSimilarity: number) {}

  add(token: Token): void {
    if (this.#known.has(token)) return
    this.#known.add(token)
    push(this.#byInitial, token.form[0] ?? '', token)
    for (const stem of token.stems) push(this.#byStem, stem, token)
  }

  lookup(input: Token): Similar {
    let found = this.#remembered.get(input)
    if (found) return found
    found = { plain: new Map(), keyword: new Map() }
    const candidates = new Set(this.#byInitial.get(input.form[0] ?? '') ?? [])
    for (const stem of input.stems) for (const t of this.#byStem.get(stem) ?? []) candidates.add(t)
    for (const word of candidates) {
      const s = similarity(input, word)
      if (s >= this.minSimilarity) {
        found.plain.set(word, s)
        found.keyword.set(word, s)
      } else if (s === 0 && isCompoundOf(input, word)) {
        found.keyword.set(word, 0.8)
      }
    }
    if (this.#remembered.size > 20_000) this.#remembered.clear()
    this.#remembered.set(input, found)
    return found
  }
}

function isCompoundOf(input: Token, word: Token): boolean {
  return (
    word.form.length >= 5 &&
    input.form.length > word.form.length &&
    input.form.startsWith(word.form)
  )
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key)
  if (list) list.push(value)
  else map.set(key, [value])
}
