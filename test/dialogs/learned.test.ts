import { describe, expect, it } from 'vitest'
import { commandsFile } from '../../content/commands.js'
import { createLearnedReader } from '../../dialogs/learned.js'
import { combineDefaults, combineScores, createMatcher } from '../../dialogs/matcher.js'
import { createUnderstanding } from '../../dialogs/understand.js'
import { realKnowledge } from '../helpers/make-app.js'

const stopwords = new Set(commandsFile().stopwords)
const examples = [
  { text: 'trenger sosialhjelp', label: 'nav-sosialhjelp' },
  { text: 'hvordan søker jeg sossen', label: 'nav-sosialhjelp' },
  { text: 'har ikke sted å sove i natt', label: 'housing-tonight' },
  { text: 'sover ute i natt', label: 'housing-tonight' },
  { text: 'hva blir været i morgen', label: 'none' },
]

describe('the learned reader', () => {
  it('Should give the same model and the same answers from the same examples', () => {
    const a = createLearnedReader(examples, stopwords)
    const b = createLearnedReader(examples, stopwords)
    for (const text of ['soshjelp', 'sove ute', 'været'])
      expect(a.guess(text)).toEqual(b.guess(text))
  })

  it('Should read slang by the letters it shares with the examples, and show why', () => {
    const reader = createLearnedReader(examples, stopwords)
    expect(reader.guess('soshjelp').ranked[0]!.label).toBe('nav-sosialhjelp')
    const closest = reader.closest('sover på gata i natt', 2)
    expect(closest.map((c) => c.label)).toEqual(['housing-tonight', 'housing-tonight'])
    expect(closest[0]!.similarity).toBeGreaterThanOrEqual(closest[1]!.similarity)
  })

  it('Should ask, not guess, when the keywords and the learned vote disagree', () => {
    const topics = new Map([...realKnowledge().topics].filter(([, t]) => !t.urgent))
    const guess = {
      ranked: [{ label: 'housing-deposit', share: 0.9 }],
      similarity: 0.8,
      neighbours: [],
    }
    const disagree = combineScores(
      [{ id: 'housing-bostotte', score: 2 }],
      guess,
      topics,
      combineDefaults
    )
    expect(disagree.kind).toBe('clarify')
    if (disagree.kind === 'clarify')
      expect(disagree.topics.map((t) => t.id).sort()).toEqual([
        'housing-bostotte',
        'housing-deposit',
      ])
    const agree = combineScores(
      [{ id: 'housing-deposit', score: 2 }],
      guess,
      topics,
      combineDefaults
    )
    expect(agree).toMatchObject({ kind: 'topic', topic: { id: 'housing-deposit' } })
  })

  it('Should never propose a crisis topic, and read as before without examples', () => {
    const knowledge = realKnowledge()
    const commands = commandsFile()
    const crisisExamples = [{ text: 'orker ikke mer', label: 'crisis-suicide' }]
    const matcher = createMatcher(knowledge.topics.values(), commands, {
      examples: crisisExamples,
    })
    const match = matcher.match('orker ikke mer')
    expect(match.kind === 'topic' && match.topic.urgent).toBe(false)
    const plain = createMatcher(knowledge.topics.values(), commands)
    expect(plain.closest('soshjelp')).toEqual([])
  })

  it("Should understand the issue's slang with the real content (soshjelp, namsen, fotlenke)", () => {
    const { matcher } = createUnderstanding(realKnowledge(), commandsFile())
    const id = (text: string) => {
      const m = matcher.match(text)
      return m.kind === 'topic' ? m.topic.id : m.kind
    }
    expect(id('soshjelp')).toBe('nav-sosialhjelp')
    expect(id('namsen tar lønna mi')).toBe('debt-wage-deduction')
    expect(id('fotlenke')).toBe('practical-community-sentence')
    expect(matcher.closest('soshjelp', 3).length).toBe(3)
  })
})
