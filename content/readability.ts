/**
 * @module content/readability
 * LIX, the readability index used for Norwegian and Swedish (Björnsson, 1968): words per sentence
 * plus the share of words longer than six letters, in percent. Under 30 is very easy, 30-40 easy,
 * 40-50 like a newspaper, over 50 hard. Words and sentences are found with Intl.Segmenter, so
 * phone numbers, web addresses and list numbers are not counted as words.
 */
const words = new Intl.Segmenter('nb', { granularity: 'word' })
const sentences = new Intl.Segmenter('nb', { granularity: 'sentence' })

/** Lines of a list or an SMS each end a sentence, even without a full stop. */
const sentencesOf = (text: string) =>
  text
    .split(/\n+/)
    .flatMap((line) => [...sentences.segment(line)])
    .filter((s) => /\p{L}/u.test(s.segment))

export function lix(text: string): number {
  const found = [...words.segment(text)].filter((w) => w.isWordLike && /^\p{L}+$/u.test(w.segment))
  if (found.length === 0) return 0
  const long = found.filter((w) => w.segment.length > 6).length
  return found.length / Math.max(1, sentencesOf(text).length) + (long * 100) / found.length
}
