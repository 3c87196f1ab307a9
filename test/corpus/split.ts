/**
 * The corpus is split once into train, dev and test by a stable hash of each text's normalised
 * form (lower case, no punctuation, æøå folded) and a fixed seed. A text added later falls
 * deterministically into one part, and no text ever moves: a changed seed or share would move
 * texts between parts and make every earlier figure meaningless, so neither may change.
 */
import { createHash } from 'node:crypto'
import { fold, words } from '../../dialogs/normalize.js'

export type Split = 'train' | 'dev' | 'test'

/** Fixed for good (see above). */
export const splitSeed = 'reentry-corpus-2026-12-02'
/** Train 60%, dev 20%, test 20%. */
export const splitShares = { train: 0.6, dev: 0.2 } as const

/** The form a text is hashed by: "Hvor får jeg NAV-hjelp?" and "hvor far jeg nav hjelp" are one text. */
export function normalisedText(text: string): string {
  return words(text).map(fold).join(' ')
}

export function splitOf(text: string): Split {
  const digest = createHash('sha256')
    .update(`${splitSeed}\n${normalisedText(text)}`)
    .digest()
  const position = digest.readUInt32BE(0) / 2 ** 32
  if (position < splitShares.train) return 'train'
  if (position < splitShares.train + splitShares.dev) return 'dev'
  return 'test'
}
