import { describe, expect, it } from 'vitest'
import { lix } from '../../content/readability.js'

describe('LIX', () => {
  it('Should count words per sentence plus the percent of words over six letters', () => {
    // 8 words, 2 sentences, 1 word over six letters (kommunen): 8/2 + 100/8 = 16.5
    expect(lix('Ring kommunen i dag. De kan hjelpe deg.')).toBeCloseTo(16.5, 5)
    // 4 words, 1 sentence, 3 over six letters: 4/1 + 300/4 = 79
    expect(lix('Kommunens tjenesteapparat medvirker alltid.')).toBeCloseTo(79, 5)
  })

  it('Should count each line as a sentence and skip numbers and addresses', () => {
    expect(lix('Ring 55 55 33 39\nSe nav.no')).toBe(lix('Ring\nSe'))
    expect(lix('')).toBe(0)
  })
})
