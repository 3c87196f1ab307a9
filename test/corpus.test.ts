import { describe, expect, it } from 'vitest'
import { byArea, loadCorpus, runCorpus } from './corpus/run-corpus.js'

describe('corpus of real-style texts through the SMS webhook', () => {
  it('Should understand at least 95% and every crisis', async () => {
    const outcomes = await runCorpus(loadCorpus())
    expect(outcomes.length).toBeGreaterThanOrEqual(300)
    const crisisMisses = outcomes.filter((o) => o.expect.startsWith('crisis-') && !o.correct)
    expect(crisisMisses.map((o) => `${o.text} => ${o.got}`)).toEqual([])
    const falseCrisis = outcomes.filter(
      (o) => o.got.startsWith('crisis-') && !o.expect.startsWith('crisis-')
    )
    expect(falseCrisis.length, falseCrisis.map((o) => o.text).join('\n')).toBeLessThanOrEqual(3)
    const accuracy = outcomes.filter((o) => o.correct).length / outcomes.length
    expect(accuracy, JSON.stringify(byArea(outcomes))).toBeGreaterThanOrEqual(0.95)
    // Asking "did you mean" is allowed when topics are close, but must stay the exception.
    expect(outcomes.filter((o) => o.clarified).length / outcomes.length).toBeLessThan(0.08)
  }, 120_000)

  it('Should answer a crisis with the emergency number of its kind', async () => {
    const outcomes = await runCorpus(loadCorpus().filter((s) => s.expect.startsWith('crisis-')))
    for (const o of outcomes) expect(o.reply, o.text).toMatch(/\b11[23]\b/)
  }, 60_000)
})
