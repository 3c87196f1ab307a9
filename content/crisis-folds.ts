/**
 * @module content/crisis-folds
 * How the crisis layer's second reader is chosen: five folds of the tuning half (and the topic
 * corpus's everyday texts), each text read by a model that never learned from it. `npm run
 * crisis:build` uses it to choose the model's thresholds and L2 strength; `npm run crisis:folds`
 * prints the fold figures of each feature set, to choose what the model reads (docs/crisis.md).
 * The test half is never read here.
 */
import { createHash } from 'node:crypto'
import { pathToFileURL } from 'node:url'
import { commandsFile } from './commands.js'
import { loadKnowledge } from './load.js'
import type { CrisisKind } from './schema.js'
import { createUnderstanding } from '../dialogs/understand.js'
import { raises, type CrisisLevel } from '../dialogs/crisis.js'
import {
  createFeaturizer,
  featureKinds,
  type FeatureKind,
  type Featured,
} from '../dialogs/crisis-features.js'
import {
  readWithModel,
  trainModel,
  type CrisisModelData,
  type ModelLabel,
  type ModelReading,
} from '../dialogs/crisis-model.js'
import { loadCrisisCorpus } from '../test/crisis/corpus.js'
import { loadCorpus } from '../test/corpus/run-corpus.js'

/** The topic texts the model learns everyday language from (held-out topic files left out). */
export const crisisEverydayFiles = ['nb.jsonl', 'en.jsonl', 'mixed.jsonl']

/** A text to learn from: its label, what the patterns alone made of it, and whose half it is. */
export type Example = {
  text: string
  label: ModelLabel
  rules: CrisisLevel
  /** The kinds the patterns found a sign of (not only support). */
  leads: CrisisKind[]
  /** From the crisis corpus's tuning half (false: an everyday text of the topic corpus). */
  tune: boolean
}

/** The tuning half and the everyday texts, each read by the patterns alone. */
export function loadExamples(): Example[] {
  const knowledge = loadKnowledge()
  // The patterns alone, read as in production: the model must not learn from an earlier model.
  const rules = createUnderstanding(
    { ...knowledge, crisis: { ...knowledge.crisis, model: undefined } },
    commandsFile()
  ).crisis
  const example = (text: string, label: ModelLabel, tune: boolean): Example => {
    const signal = rules.detect(text)
    return { text, label, rules: signal.level, leads: signal.leads ?? [], tune }
  }
  // Ordinary questions of every topic teach the model what everyday texts look like; the crisis
  // corpus's near-misses alone are the hard cases.
  const everyday = loadCorpus(crisisEverydayFiles).filter((s) => !s.expect.startsWith('crisis-'))
  return [
    ...loadCrisisCorpus('tune').map((s) => example(s.text, s.kind, true)),
    ...everyday.map((s) => example(s.text, 'none', false)),
  ]
}

/**
 * The featurizer the model of these options reads with: words.json gives the classes and
 * negations, the layer (without a model) the spellings and typos, as in production.
 */
export function featurizerFor(kinds: readonly FeatureKind[]): (text: string) => Featured {
  const knowledge = loadKnowledge()
  const { words } = knowledge.crisis
  const { crisis } = createUnderstanding(
    { ...knowledge, crisis: { ...knowledge.crisis, model: undefined } },
    commandsFile()
  )
  return createFeaturizer(kinds, {
    classes: words.classes,
    negations: words.negations,
    spelling: (form) => crisis.spelling(form),
  })
}

export type Held = Example & ModelReading

/**
 * Each example read by the one of five models that did not learn from it. Round 0 deals the
 * examples to the folds in turn; another round deals them by a hash of the round and position,
 * so the same choice can be tried on other splits (`npm run crisis:folds` with rounds).
 */
export function heldOut(
  examples: Example[],
  featurize: (text: string) => Featured,
  l2: number,
  round = 0
): Held[] {
  const foldOf = (i: number) =>
    round === 0 ? i % 5 : createHash('sha256').update(`${round}|${i}`).digest()[0]! % 5
  const read = examples.map((e) => featurize(e.text))
  const learn = read.map((r, i) => ({ ...r, label: examples[i]!.label }))
  const models = [0, 1, 2, 3, 4].map(
    (fold): CrisisModelData => ({
      trainedOn: '',
      threshold: 1,
      weights: trainModel(
        learn.filter((_, j) => foldOf(j) !== fold),
        { l2 }
      ),
    })
  )
  return examples.map((e, i) => ({ ...e, ...readWithModel(models[foldOf(i)]!, read[i]!) }))
}

/** The model's check threshold: it may add checks to at most this share of ordinary texts. */
const maxAddedChecks = 0.08

/** The lowest chance at which the model's check adds checks to few enough near-misses. */
export function checkThreshold(held: Held[]): number {
  const quiet = held.filter((e) => e.label === 'none' && e.rules === 'none')
  const near = held.filter((e) => e.label === 'none').length
  return (
    [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].find(
      (t) => quiet.filter((e) => e.crisis >= t).length / near <= maxAddedChecks
    ) ?? 0.95
  )
}

/** At most this share of the near-misses (and everyday texts) may get the emergency answer. */
const maxFalseAlarms = 0.01

/** What the layer answers a held-out text with, patterns and model together. */
export function levelOf(e: Held, model: Pick<CrisisModelData, 'threshold' | 'raise'>): CrisisLevel {
  if (e.rules === 'danger') return 'danger'
  if (raises({ trainedOn: '', weights: {}, ...model }, e, e.leads)) return 'danger'
  if (e.rules === 'possible' || e.crisis >= model.threshold) return 'possible'
  return 'none'
}

/**
 * The lowest chance at which the model may raise a check to clear danger (when the patterns found
 * a sign of its kind) while the tuning half's near-misses, and the everyday texts, get the
 * emergency answer no more than `maxFalseAlarms`.
 */
export function raiseThreshold(held: Held[]): number | undefined {
  const rate = (list: Held[], t: number) =>
    list.filter((e) => levelOf(e, { threshold: 1, raise: t }) === 'danger').length / list.length
  const near = held.filter((e) => e.tune && e.label === 'none')
  const everyday = held.filter((e) => !e.tune)
  return [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99, 0.995, 0.998, 0.999].find(
    (t) => rate(near, t) <= maxFalseAlarms && rate(everyday, t) <= maxFalseAlarms
  )
}

/**
 * Whether the model, sure a text is ordinary, could lower the patterns' clear danger to the check:
 * the highest chance below which no crisis text of the folds would be lowered (and a crisis text's
 * chance stays at least ten times above it) while some false alarm would. So far there is none
 * (docs/crisis.md): the layer does not lower, this only reports it for the next corpus.
 */
export function lowerThreshold(held: Held[]): number | undefined {
  const danger = held.filter((e) => e.rules === 'danger')
  const lowest = Math.min(...danger.filter((e) => e.label !== 'none').map((e) => e.crisis))
  const t = [0.001, 0.002, 0.005, 0.01, 0.02, 0.05].filter((t) => t * 10 <= lowest).at(-1)
  if (t === undefined) return undefined
  return danger.some((e) => e.label === 'none' && e.crisis < t) ? t : undefined
}

export type FoldFigures = {
  threshold: number
  raise?: number
  /** Where lowering danger would be allowed (reported, not used: `lowerThreshold`). */
  lower?: number
  /** Crisis texts given the emergency answer, of the right kind where raised. */
  emergency: number
  /** By the patterns alone. */
  patterns: number
  /** Crisis texts given at least the check. */
  recognized: number
  falseAlarms: number
  nearChecked: number
  everydayAlarms: number
  /** The model alone: crisis texts at or above the chance that 8% / 1% of near-misses reach. */
  modelAt8: number
  modelAt1: number
  /** The model alone, right kind, averaged over near-miss budgets of 0.5% to 8%. */
  modelMean: number
  /** Mean held-out log loss of the right label. */
  loss: number
}

/** The layer's fold figures with thresholds chosen on the same folds, and the model's own. */
export function foldFigures(held: Held[]): FoldFigures {
  const threshold = checkThreshold(held)
  const raise = raiseThreshold(held)
  const model = { threshold, raise }
  const crisis = held.filter((e) => e.tune && e.label !== 'none')
  const near = held.filter((e) => e.tune && e.label === 'none')
  const everyday = held.filter((e) => !e.tune)
  const share = (list: Held[], test: (e: Held) => boolean) => list.filter(test).length / list.length
  // The model alone, at the chance only this share of near-misses reach (of the right kind for
  // the 1%, as a raise must be).
  const at = (share: number, kindRight: boolean) => {
    const chances = near.map((e) => e.crisis).sort((a, b) => b - a)
    const t = chances[Math.floor(share * chances.length)]!
    return crisis.filter((e) => e.crisis > t && (!kindRight || e.kind === e.label)).length / crisis.length
  }
  return {
    ...model,
    lower: lowerThreshold(held),
    emergency: share(crisis, (e) => levelOf(e, model) === 'danger'),
    patterns: share(crisis, (e) => e.rules === 'danger'),
    recognized: share(crisis, (e) => levelOf(e, model) !== 'none'),
    falseAlarms: share(near, (e) => levelOf(e, model) === 'danger'),
    nearChecked: share(near, (e) => levelOf(e, model) === 'possible'),
    everydayAlarms: share(everyday, (e) => levelOf(e, model) === 'danger'),
    modelAt8: at(0.08, false),
    modelAt1: at(0.01, true),
    modelMean: [0.005, 0.01, 0.02, 0.04, 0.08].reduce((sum, b) => sum + at(b, true), 0) / 5,
    loss: held.reduce((sum, e) => sum + lossOf(e), 0) / held.length,
  }
}

/** -log of the chance the model gave the right label (none, or the text's kind). */
function lossOf(e: Held): number {
  const p = e.label === 'none' ? 1 - e.crisis : e.kind === e.label ? e.crisis : 1e-3
  return -Math.log(Math.max(p, 1e-6))
}

export const percent = (x: number) => `${(x * 100).toFixed(1)}%`

export function describeFolds(f: FoldFigures): string {
  return (
    `check ${f.threshold}, raise ${f.raise ?? '-'}, lowering ${f.lower ?? 'never safe'}: ` +
    `emergency ${percent(f.emergency)} (patterns ${percent(f.patterns)}), ` +
    `at least the check ${percent(f.recognized)}, false alarms ${percent(f.falseAlarms)}, ` +
    `near-misses checked ${percent(f.nearChecked)}, everyday alarms ${percent(f.everydayAlarms)}; ` +
    `model alone ${percent(f.modelAt8)} at 8% / ${percent(f.modelAt1)} at 1% of near-misses ` +
    `(mean ${percent(f.modelMean)}), ` +
    `loss ${f.loss.toFixed(3)}`
  )
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  // npm run crisis:folds -- "pairs pairs,classes" 1e-3,3e-3 [rounds]: feature sets separated by
  // spaces ("-" for words only), L2 strengths by commas; with rounds above 1, the counts of that
  // many splits are summed (less noise: a few texts decide the layer's figures).
  const [sets = 'pairs', l2s = '1e-3', rounds = '1'] = process.argv.slice(2)
  const examples = loadExamples()
  for (const set of sets.split(' ')) {
    const kinds = set === '-' ? [] : (set.split(',') as FeatureKind[])
    if (kinds.some((k) => !featureKinds.includes(k))) throw new Error(`unknown feature in ${set}`)
    for (const l2 of l2s.split(',').map(Number)) {
      const runs = Array.from({ length: Number(rounds) }, (_, round) =>
        foldFigures(heldOut(examples, featurizerFor(kinds), l2, round))
      )
      for (const f of runs) process.stdout.write(`[${set}] l2 ${l2}: ${describeFolds(f)}\n`)
      if (runs.length > 1) process.stdout.write(`[${set}] l2 ${l2}: mean of ${runs.length} splits: ${describeFolds(meanOf(runs))}\n`)
    }
  }
}

/** The mean of the figures of several splits (thresholds of the first). */
function meanOf(runs: FoldFigures[]): FoldFigures {
  const mean = (key: keyof FoldFigures) =>
    runs.reduce((sum, f) => sum + ((f[key] as number | undefined) ?? 0), 0) / runs.length
  return {
    ...runs[0]!,
    emergency: mean('emergency'),
    patterns: mean('patterns'),
    recognized: mean('recognized'),
    falseAlarms: mean('falseAlarms'),
    nearChecked: mean('nearChecked'),
    everydayAlarms: mean('everydayAlarms'),
    modelAt8: mean('modelAt8'),
    modelAt1: mean('modelAt1'),
    modelMean: mean('modelMean'),
    loss: mean('loss'),
  }
}
