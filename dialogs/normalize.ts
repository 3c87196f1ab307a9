/**
 * @module dialogs/normalize
 * Text as people type it on a basic phone becomes comparable tokens: lower case, no
 * punctuation, æøå folded the way they are written without them (æ/ae, ø/o/oe, å/aa/a), and a
 * light stem in both languages.
 */
import snowball from 'snowball-stemmers'

const nbStemmer = snowball.newStemmer('norwegian')
const enStemmer = snowball.newStemmer('english')

/** Folds Norwegian letters and their ASCII spellings to one form: "lønna", "loenna", "lonna" → "lonna". */
export function fold(word: string): string {
  return word
    .replace(/æ/g, 'ae')
    .replace(/[øö]/g, 'o')
    .replace(/[åä]/g, 'a')
    .replace(/aa/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/é|è|ê/g, 'e')
}

/** Lower-cased words without punctuation, in their original letters. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      // "can't" is one word, not "can" and "t".
      .replace(/['’`´]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
      .split(' ')
      .filter(Boolean)
  )
}

export type Token = {
  /** The word as written (lower case), for stopwords: folded, "dø" would be the stopword "do". */
  word: string
  /** Folded surface form, for edit distance. */
  form: string
  /** Folded stems (Norwegian and English), for exact comparison. */
  stems: string[]
}

const cache = new Map<string, Token>()

/** One word as a comparable token. */
export function tokenOf(word: string): Token {
  let token = cache.get(word)
  if (!token) {
    const form = fold(word)
    const stems = new Set([
      fold(nbStemmer.stem(word)),
      fold(enStemmer.stem(word)),
      nbStemmer.stem(form),
    ])
    token = { word, form, stems: [...stems].filter((s) => s.length >= 2) }
    if (cache.size < 50_000) cache.set(word, token)
  }
  return token
}

export function tokenize(text: string): Token[] {
  return words(text).map(tokenOf)
}
