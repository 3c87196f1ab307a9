import { beforeAll, describe, expect, it } from 'vitest'
import { commandsFile } from '../content/commands.js'
import { examplesCurrent } from '../content/learn-build.js'
import { realKnowledge } from './helpers/make-app.js'
import {
  byArea,
  loadCorpus,
  loadHoldout,
  runCorpus,
  tally,
  unknownLabels,
  type Outcome,
} from './corpus/run-corpus.js'

/**
 * The bar on the test split (docs/understanding.md has the figures of every split). Test misses
 * are never printed: raise these only after tuning on train and dev.
 */
const bar = {
  // 93.4% and 2.3% on 609 texts (commit 85c5d61); 93.2% and 2.7% on 630 with the 21 texts of
  // commands-plain.jsonl that fell in test (commit 8527091; the 609 older ones 93.4% / 2.5%).
  test: { right: 0.93, wrong: 0.028 },
  /** Right answers per area on the test split, at least (each at its figure less about a point). */
  areas: {
    nav: 0.95,
    housing: 0.89,
    debt: 0.91,
    health: 0.88,
    activities: 0.95,
    practical: 0.96,
    command: 0.96, // 46 of 47 (97.9%, commit 8527091): 76.6% before the plain-words rules
    none: 0.71, // 72% of 25 (76% before the command rules; one near-miss of commands-plain among them)
    crisis: 1,
  } as Record<string, number>,
  /** test/corpus/holdout: 150 of 163 right and 7 wrong topics before the learned reader; 159 and 1 now. */
  holdout: { right: 158, wrong: 1 },
}

describe('corpus of real-style texts through the SMS webhook', () => {
  const samples = loadCorpus()
  let outcomes: Outcome[] = []
  beforeAll(async () => {
    outcomes = await runCorpus(samples)
  }, 900_000)

  it('Should build the learned reader from the current train split', () => {
    expect(examplesCurrent(realKnowledge()), 'run npm run learn:build').toBe(true)
  })

  it('Should hold at least 2,000 labelled texts, every topic and command among them', () => {
    expect(samples.length).toBeGreaterThanOrEqual(2000)
    const labels = new Set(samples.map((s) => s.expect))
    const topics = [...realKnowledge().topics.keys()]
    const commands = Object.keys(commandsFile().commands).map((c) => `cmd:${c}`)
    expect([...topics, ...commands].filter((id) => !labels.has(id))).toEqual([])
    // Only a new topic's own file may name a topic that has not landed yet.
    const unknown = unknownLabels().filter((s) => s.file !== 'new-topics.jsonl')
    expect(unknown.map((s) => `${s.file}: ${s.expect}`)).toEqual([])
    for (const split of ['train', 'dev', 'test'] as const)
      expect(samples.filter((s) => s.split === split).length).toBeGreaterThan(samples.length / 6)
  })

  it('Should answer the test split right and rarely with a wrong topic', () => {
    const t = tally(outcomes.filter((o) => o.split === 'test'))
    expect(t.right / t.total).toBeGreaterThanOrEqual(bar.test.right)
    expect(t.wrong / t.total).toBeLessThanOrEqual(bar.test.wrong)
  })

  it('Should hold the bar in every area of the test split', () => {
    const areas = byArea(outcomes.filter((o) => o.split === 'test'))
    for (const [area, t] of Object.entries(areas)) {
      expect(t.right / t.total, area).toBeGreaterThanOrEqual(bar.areas[area] ?? 1)
    }
  })

  it('Should answer every crisis, with few false alarms', () => {
    const crisisMisses = outcomes.filter((o) => o.expect.startsWith('crisis-') && !o.correct)
    expect(crisisMisses.map((o) => `${o.text} => ${o.got}`)).toEqual([])
    const falseCrisis = outcomes.filter(
      (o) => o.got.startsWith('crisis-') && !o.expect.startsWith('crisis-')
    )
    // The crisis layer's own false alarms (test/crisis measures them): 5 of 1,989 texts today.
    expect(
      falseCrisis.length / outcomes.length,
      falseCrisis.map((o) => o.text).join('\n')
    ).toBeLessThanOrEqual(0.005)
    for (const o of outcomes.filter((x) => x.expect.startsWith('crisis-')))
      expect(o.reply, o.text).toMatch(/\b11[23]\b/)
  })

  it('Should not understand the held-out texts worse than before', async () => {
    const t = tally(await runCorpus(loadHoldout()))
    expect(t.right).toBeGreaterThanOrEqual(bar.holdout.right)
    expect(t.wrong).toBeLessThanOrEqual(bar.holdout.wrong)
  }, 60_000)
})
