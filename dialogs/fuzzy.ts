/**
 * @module dialogs/fuzzy
 * When two tokens count as the same word: the same folded form, the same stem (for words long
 * enough that a stem means something), or a typo within an edit distance that grows with word
 * length. Swapped letters ("hjlep") count as one edit.
 */
import damerau from 'damerau-levenshtein'
import type { Token } from './normalize.js'

/** `exact`: no typo at all (commands that delete, opt out or end a chat). */
export type Tolerance = 'topic' | 'command' | 'exact'

/** Edits allowed for a word of this length. Short words must match exactly: "slett" is not "slått". */
export function allowedEdits(length: number, tolerance: Tolerance = 'topic'): number {
  if (tolerance === 'exact') return 0
  if (tolerance === 'command') return length <= 3 ? 0 : length <= 7 ? 1 : 2
  if (length <= 5) return 0
  if (length <= 8) return 1
  return 2
}

/** 1 for the same word, less for a stem or a typo, 0 for a different word. */
export function similarity(input: Token, keyword: Token, tolerance: Tolerance = 'topic'): number {
  if (input.form === keyword.form) return 1
  const shorter = Math.min(input.form.length, keyword.form.length)
  if (shorter >= 5 && input.stems.some((s) => s.length >= 4 && keyword.stems.includes(s)))
    return 0.95
  // A short word may lose or gain a doubled letter ("nat", "natt") but not change one ("slett", "slått").
  if (shorter >= 3 && undoubled(input.form) === undoubled(keyword.form)) return 0.85
  const allowed = allowedEdits(shorter, tolerance)
  if (allowed === 0 || Math.abs(input.form.length - keyword.form.length) > allowed) return 0
  if (input.form[0] !== keyword.form[0] && tolerance === 'topic') return 0
  const { steps } = damerau(input.form, keyword.form)
  return steps <= allowed ? 0.9 - 0.1 * steps : 0
}

const undoubled = (form: string) => form.replace(/(.)\1+/g, '$1')
