/**
 * @module dialogs/fuzzy
 * When two tokens count as the same word: equal stems, or a surface form within an edit
 * distance that grows with word length (a typo in "sosialhjelp" is fine, in "id" it is not).
 */
import { distance } from 'fastest-levenshtein'
import type { Token } from './normalize.js'

/** Edits allowed for a word of this length. */
export function allowedEdits(length: number): number {
  if (length <= 3) return 0
  if (length <= 5) return 1
  if (length <= 9) return 2
  return 3
}

/** 1 for the same word, less for a typo, 0 for a different word. */
export function similarity(input: Token, keyword: Token): number {
  if (input.form === keyword.form) return 1
  if (input.stems.some((s) => keyword.stems.includes(s))) return 0.95
  const shorter = Math.min(input.form.length, keyword.form.length)
  const allowed = allowedEdits(shorter)
  if (allowed === 0 || Math.abs(input.form.length - keyword.form.length) > allowed) return 0
  const d = distance(input.form, keyword.form)
  return d <= allowed ? 0.9 - 0.1 * d : 0
}
