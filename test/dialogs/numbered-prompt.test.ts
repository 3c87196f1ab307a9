import { describe, expect, it } from 'vitest'
import { yesNo } from '../../dialogs/choice-task.js'
import { recognizeChoice } from '../../dialogs/numbered-prompt.js'

describe('a numbered answer', () => {
  const areas = ['nav', 'bolig', 'gjeld']

  it.each([
    ['2', 'bolig', 1],
    [' 3. ', 'gjeld', 2],
    ['nr 1 takk', 'nav', 0],
    ['bolig', 'bolig', 1],
  ])('Should read %j as %s', (text, value, index) => {
    expect(recognizeChoice(text, areas)).toMatchObject({ value, index })
  })

  it('Should find a yes or no by any of its synonyms, before any number', () => {
    expect(recognizeChoice('ja takk', yesNo)).toMatchObject({ value: 'yes', index: 0 })
    expect(recognizeChoice('nei', yesNo)).toMatchObject({ value: 'no', index: 1 })
    expect(recognizeChoice('Yes', yesNo)).toMatchObject({ value: 'yes' })
    expect(recognizeChoice('nei, 1 gang er nok', yesNo)).toMatchObject({ value: 'no' })
  })

  it('Should take the first listed number and ignore numbers off the list', () => {
    expect(recognizeChoice('9 eller 2', areas)).toMatchObject({ value: 'bolig' })
    expect(recognizeChoice('0', areas)).toBeUndefined()
    expect(recognizeChoice('4', areas)).toBeUndefined()
    expect(recognizeChoice('kanskje', areas)).toBeUndefined()
    expect(recognizeChoice('   ', areas)).toBeUndefined()
  })
})
