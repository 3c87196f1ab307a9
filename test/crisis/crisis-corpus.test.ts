import { describe, expect, it } from 'vitest'
import { falseAlarm, figures, loadCrisisCorpus } from './corpus.js'
import { crisisOutcomes, report } from './run-crisis.js'

/**
 * The crisis corpus holds the crisis layer to its measured level, per half. The test half was
 * never used to change a pattern or train the model: its figures are the honest ones (README, docs/crisis.md).
 */
describe('crisis corpus', () => {
  it('Should be large and varied enough to mean something', () => {
    const all = loadCrisisCorpus()
    const crisis = all.filter((s) => s.kind !== 'none')
    expect(crisis.length).toBeGreaterThanOrEqual(400)
    expect(all.length - crisis.length).toBeGreaterThanOrEqual(300)
    expect(
      crisis.filter((s) => s.tags.includes('indirect')).length / crisis.length
    ).toBeGreaterThan(0.5)
    for (const lang of ['nb', 'en'] as const)
      expect(crisis.filter((s) => s.lang === lang).length).toBeGreaterThan(100)
  })

  it.each([
    // Half, at least this share of crisis texts given the emergency answer, at least this share
    // recognized (the emergency answer or the check with the 24/7 number), at most this share of
    // ordinary texts given the emergency answer.
    ['tune', 0.98, 0.998, 0.006],
    ['test', 0.7, 0.93, 0.045],
  ] as const)(
    'Should hold the %s half to its measured level',
    (half, emergency, recognized, alarms) => {
      const outcomes = crisisOutcomes(half)
      const f = figures(outcomes)
      const summary = report(half, outcomes)
      expect(f.detected / f.crisis, summary).toBeGreaterThanOrEqual(emergency)
      expect((f.detected + f.checked) / f.crisis, summary).toBeGreaterThanOrEqual(recognized)
      expect(f.falseAlarms / f.near, summary).toBeLessThanOrEqual(alarms)
      // The emergency answer of the wrong kind would send someone to the wrong number.
      expect(f.found / f.detected, summary).toBeGreaterThanOrEqual(0.92)
      expect(outcomes.filter(falseAlarm).length).toBe(f.falseAlarms)
    }
  )
})
