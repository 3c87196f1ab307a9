/**
 * @module bot/channels/sms-text
 * What a basic phone receives: GSM-7 text within a segment budget. Counting is Twilio's own
 * segment calculator, so our numbers match the bill.
 */
import { SegmentedMessage } from 'sms-segments-calculator'

/** Typographic characters that would switch a whole message to UCS-2, with GSM-7 stand-ins. */
const substitutes: Record<string, string> = {
  '«': '"',
  '»': '"',
  '“': '"',
  '”': '"',
  '„': '"',
  '‘': "'",
  '’': "'",
  '‚': "'",
  '–': '-',
  '—': '-',
  '−': '-',
  '…': '...',
  '•': '-',
  '\u00a0': ' ',
  '\u2009': ' ',
  '\u200b': '',
}
const substitutable = new RegExp(`[${Object.keys(substitutes).join('')}]`, 'g')

export type SegmentInfo = { encoding: 'GSM-7' | 'UCS-2'; segments: number; characters: number }

type Measured = SegmentInfo & { nonGsm: string[] }

/**
 * The calculator is exact but slow (about 2 ms for a two-segment text), and the bot sends the
 * same menus and answers again and again: remember the most recent texts.
 */
const measured = new Map<string, Measured>()
const rememberAtMost = 5_000

function measure(text: string): Measured {
  let m = measured.get(text)
  if (!m) {
    const message = new SegmentedMessage(text)
    m = {
      encoding: message.encodingName === 'GSM-7' ? 'GSM-7' : 'UCS-2',
      segments: message.segmentsCount,
      characters: [...text].length,
      nonGsm: [...new Set(message.getNonGsmCharacters() as string[])],
    }
    if (measured.size >= rememberAtMost) measured.delete(measured.keys().next().value!)
    measured.set(text, m)
  }
  return m
}

/** Encoding and segment count, as Twilio will bill it. */
export function segmentsFor(text: string): SegmentInfo {
  const { encoding, segments, characters } = measure(text)
  return { encoding, segments, characters }
}

/** Characters in `text` that are not in the GSM-7 alphabet (so would force UCS-2). */
export function nonGsmCharacters(text: string): string[] {
  return measure(text).nonGsm
}

/** Replaces typographic punctuation with GSM-7 equivalents and drops what has none (emoji). */
export function toGsm7(text: string): string {
  const replaced = text.replace(substitutable, (c) => substitutes[c] ?? '')
  const bad = new Set(nonGsmCharacters(replaced))
  if (bad.size === 0) return replaced
  return [...replaced]
    .filter((c) => !bad.has(c))
    .join('')
    .replace(/ {2,}/g, ' ')
}

/**
 * Splits text into SMS bodies that each fit `maxSegments`, as whole pieces: whole messages
 * (paragraphs) where they fit, else whole lines (a numbered item never breaks), else whole
 * sentences, and words only for a sentence longer than the budget. Content is written to fit;
 * this keeps a long reply readable when it does not.
 */
export function fitToBudget(text: string, maxSegments: number): string[] {
  const fits = (t: string) => segmentsFor(t).segments <= maxSegments
  if (fits(text)) return [text]
  const parts: string[] = []
  let current = ''
  for (const [i, paragraph] of text.split(/\n{2,}/).entries()) {
    for (const [j, piece] of piecesOf(paragraph, fits).entries()) {
      const separator = j === 0 ? (i === 0 ? '' : '\n\n') : piece.separator
      const joined = current ? current + separator + piece.text : piece.text
      if (fits(joined)) {
        current = joined
        continue
      }
      if (current) parts.push(current)
      current = piece.text
    }
  }
  if (current) parts.push(current)
  return parts
}

type Piece = { text: string; separator: string }

/** A paragraph as pieces that each fit: itself, its lines, their sentences, or their words. */
function piecesOf(paragraph: string, fits: (t: string) => boolean): Piece[] {
  if (fits(paragraph)) return [{ text: paragraph, separator: '' }]
  return paragraph.split('\n').flatMap((line, i): Piece[] => {
    const first = i === 0 ? '' : '\n'
    if (fits(line)) return [{ text: line, separator: first }]
    return (line.match(/[^.!?]+(?:[.!?]+|$)/g) ?? [line]).flatMap((raw, j): Piece[] => {
      const sentence = raw.trim()
      const separator = j === 0 ? first : ' '
      if (fits(sentence)) return [{ text: sentence, separator }]
      return sentence
        .split(' ')
        .map((word, k) => ({ text: word, separator: k === 0 ? separator : ' ' }))
    })
  })
}
