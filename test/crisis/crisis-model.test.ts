import { describe, expect, it } from 'vitest'
import { commandsFile } from '../../content/commands.js'
import { createUnderstanding } from '../../dialogs/understand.js'
import { realKnowledge } from '../helpers/make-app.js'
import { createFeaturizer } from '../../dialogs/crisis-features.js'
import { readWithModel, trainModel, type CrisisModelData } from '../../dialogs/crisis-model.js'

const knowledge = realKnowledge()
const lexicon = knowledge.crisis
const featurize = createFeaturizer(['pairs', 'classes', 'negation'], {
  classes: lexicon.words.classes,
  negations: lexicon.words.negations,
})
const featuresOf = (text: string) => featurize(text).features

/**
 * The second reader (docs/crisis.md): what it reads, which words it names to staff, and where its
 * check is never asked. Its weights are learned; these tests use the real word lists and, where
 * they test the reading itself, weights written here.
 */
describe('the crisis model', () => {
  it('Should read the word classes, so a pill or a rope it never saw in a text still counts', () => {
    expect(featuresOf('har tatt 20 sobril')).toContain('k:pills')
    expect(featuresOf('har xanax i lomma')).toContain('k:pills')
    expect(featuresOf('tauet henger klart')).toContain('k:method')
    // A phrase of the class is read as one ("my mum"); the classes that steer the patterns'
    // grammar (@plain, @pronoun) are no features.
    expect(featuresOf('my mum hit me')).toContain('k:victim')
    expect(featuresOf('jeg vet ikke')).not.toContain('k:plain')
  })

  it('Should mark the words after a negation, within its clause only', () => {
    const features = featuresOf('jeg vil ikke dø. vil bare sove')
    expect(features).toContain('n:do')
    expect(features).toContain('w:do')
    expect(features).not.toContain('n:sove')
    // "noe" folds to "no" but is no negation: negations are told as written.
    expect(featuresOf('tok noe piller')).not.toContain('n:piller')
  })

  it('Should read a misspelt crisis word as the word, with its classes, as the patterns do', () => {
    const { crisis } = createUnderstanding(knowledge, commandsFile())
    const spelled = createFeaturizer(['classes', 'spelling'], {
      classes: lexicon.words.classes,
      spelling: (form) => crisis.spelling(form),
    })
    const features = spelled('har tatt 20 sobrill').features
    expect(features).toContain('w:sobrill')
    expect(features).toContain('w:sobril')
    expect(features).toContain('k:pills')
    // A real word is never read as a typo ("homeless" is not "hopeless").
    expect(spelled('i am homeless').features).not.toContain('w:hopeless')
  })

  it('Should pair words within a clause, not across a full stop or comma', () => {
    expect(featuresOf('takk for alt')).toContain('b:takk_for')
    expect(featuresOf('takk. for alt')).not.toContain('b:takk_for')
  })

  it('Should name, as written, the words that weighed most for its kind', () => {
    const model: CrisisModelData = {
      trainedOn: '',
      threshold: 0.5,
      weights: {
        'w:tauet': [0, 0, 2, 0, 0],
        'k:method': [0, 0, 1, 0, 0],
        'w:klart': [0, 0, 0.5, 0, 0],
        'w:er': [0.3, 0, 0, 0, 0],
      },
    }
    const reading = readWithModel(model, featurize('Tauet er klart'))
    expect(reading.kind).toBe('suicide')
    expect(reading.crisis).toBeGreaterThan(0.5)
    expect(reading.words).toEqual(['tauet', 'klart'])
  })

  it('Should never ask the check on the words of a masked everyday use or a support sign', () => {
    const model: CrisisModelData = {
      trainedOn: '',
      threshold: 0.5,
      features: ['pairs', 'classes'],
      weights: { 'k:pills': [0, 3, 0, 0, 0], 'k:soon': [0, 0, 3, 0, 0] },
    }
    const detector = createUnderstanding(
      { ...knowledge, crisis: { ...lexicon, model } },
      commandsFile()
    ).crisis
    expect(detector.detect('took two paracetamol for my headache').level).toBe('none')
    expect(detector.detect('tok to ibux mot vondt i ryggen').level).toBe('none')
    // A time counts only beside another sign, for the patterns and the model alike.
    expect(detector.detect('skal på kino i kveld').level).toBe('none')
    // The same class, not masked: the check, naming the word.
    const signal = detector.detect('paracetamol er det eneste jeg har igjen')
    expect(signal).toMatchObject({ level: 'possible', kind: 'overdose', cues: ['paracetamol'] })
  })

  it('Should learn the same weights from the same examples', () => {
    const examples = [
      { ...featurize('vil ikke leve mer'), label: 'suicide' as const },
      { ...featurize('han slo meg'), label: 'violence' as const },
      { ...featurize('hvor er nav'), label: 'none' as const },
    ]
    expect(trainModel(examples, { l2: 0.03 })).toEqual(trainModel(examples, { l2: 0.03 }))
  })
})
