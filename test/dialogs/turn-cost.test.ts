/**
 * Issue 13: what a turn's reading of a message costs, counted rather than timed (the machine is
 * shared, times are not). A word is compared with the small-talk phrases once, not at every
 * message; a message with no crisis word tries no crisis pattern; a bare key's text is looked up
 * in i18next once per language.
 */
import { describe, expect, it, vi } from 'vitest'
import { createI18n } from '../../bot/i18n.js'
import { commandsFile } from '../../content/commands.js'
import * as fuzzy from '../../dialogs/fuzzy.js'
import * as patterns from '../../dialogs/crisis-pattern.js'
import { createTalkReader } from '../../dialogs/talk.js'
import { createUnderstanding } from '../../dialogs/understand.js'
import { realKnowledge } from '../helpers/make-app.js'

vi.mock('../../dialogs/fuzzy.js', async (original) => {
  const actual = await original<typeof fuzzy>()
  return { ...actual, similarity: vi.fn(actual.similarity) }
})
vi.mock('../../dialogs/crisis-pattern.js', async (original) => {
  const actual = await original<typeof patterns>()
  return { ...actual, findMatch: vi.fn(actual.findMatch) }
})

const knowledge = realKnowledge()

describe('the cost of reading a message', () => {
  it('Should compare a word with the small-talk phrases once, and read it the same again', () => {
    const read = createTalkReader(knowledge.conversation)
    const similarity = vi.mocked(fuzzy.similarity)
    similarity.mockClear()
    const first = read('takk for hjelpen')
    expect(similarity).toHaveBeenCalled()
    similarity.mockClear()
    expect(read('takk for hjelpen')).toEqual(first)
    expect(read('hjelpen takk')).toEqual(read('hjelpen takk'))
    expect(similarity).not.toHaveBeenCalled()
    expect(first).toMatchObject({ kind: 'thanks' })
  })

  it('Should try no crisis pattern for a message with no crisis word, and still find danger', () => {
    const { crisis } = createUnderstanding(knowledge, commandsFile())
    const findMatch = vi.mocked(patterns.findMatch)
    findMatch.mockClear()
    expect(crisis.detect('meny').level).toBe('none')
    expect(findMatch).not.toHaveBeenCalled()
    expect(crisis.detect('jeg vil ta livet mitt i kveld').level).toBe('danger')
    expect(findMatch).toHaveBeenCalled()
  })

  it('Should give the same texts as i18next, a bare key looked up once per language', () => {
    const translate = createI18n()
    for (const language of ['nb', 'en'] as const) {
      const t = translate(language)
      expect(t('menu.title')).toBe(t('menu.title'))
      expect(t('area.title', { area: 'X' })).toContain('X')
      expect(t('area.title', { area: 'Y' })).toContain('Y')
    }
    expect(translate('nb')('menu.title')).not.toBe(translate('en')('menu.title'))
  })
})
