/**
 * @module content/crisis-build
 * `npm run crisis:build`: after changing the crisis patterns or the labelled corpus, writes what
 * is derived from them: the real words the typo rules must leave alone (real-words.json) and the
 * learned second reader (model.json), trained on the corpus's tuning half only. content:check
 * says when either is out of date.
 */
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { createUnderstanding } from '../dialogs/understand.js'
import { commandsFile } from './commands.js'
import {
  modelFeatures,
  modelLabels,
  readWithModel,
  trainModel,
  type CrisisModelData,
} from '../dialogs/crisis-model.js'
import { raises } from '../dialogs/crisis.js'
import type { CrisisKind } from './schema.js'
import { loadCrisisCorpus, type CrisisSample } from '../test/crisis/corpus.js'
import { loadCorpus } from '../test/corpus/run-corpus.js'

/** The topic texts the model learned everyday language from: the corpus as it was when it was trained (a larger corpus is for the next retraining, with the crisis corpus's own checks). */
const crisisEverydayFiles = ['nb.jsonl', 'en.jsonl', 'mixed.jsonl']
import { writeRealWords } from './crisis-words.js'
import { contentDir, loadKnowledge } from './load.js'

const crisisDir = join(contentDir, 'crisis')

/** What the model was trained with: the tuning half and every lexicon file it reads. */
export function modelFingerprint(): string {
  const hash = createHash('sha256')
  for (const sample of loadCrisisCorpus('tune')) hash.update(`${sample.kind}|${sample.text}\n`)
  for (const sample of loadCorpus(crisisEverydayFiles))
    hash.update(`${sample.expect}|${sample.text}\n`)
  // Parsed, so that formatting a file does not make the model out of date.
  for (const file of ['words', 'exclusions', 'suicide', 'overdose', 'violence', 'sexual-violence'])
    hash.update(JSON.stringify(JSON.parse(readFileSync(join(crisisDir, `${file}.json`), 'utf8'))))
  return hash.digest('hex').slice(0, 16)
}

/** The model's check threshold: it may add checks to at most this share of ordinary texts. */
const maxAddedChecks = 0.08

function train(): CrisisModelData {
  const knowledge = loadKnowledge()
  // The patterns alone, read as in production: the model must not learn from an earlier model.
  const rules = createUnderstanding(
    { ...knowledge, crisis: { ...knowledge.crisis, model: undefined } },
    commandsFile()
  ).crisis
  const tune = loadCrisisCorpus('tune')
  const example = (s: CrisisSample) => {
    const signal = rules.detect(s.text)
    return {
      features: modelFeatures(s.text),
      label: s.kind as (typeof modelLabels)[number],
      rules: signal.level,
      leads: signal.leads ?? [],
      tune: true,
    }
  }
  // Ordinary questions of every topic (the topic corpus, held-out files left out) teach the model
  // what everyday texts look like; the crisis corpus's near-misses alone are the hard cases.
  const everyday = loadCorpus(crisisEverydayFiles).filter((s) => !s.expect.startsWith('crisis-'))
  const examples = [
    ...tune.map(example),
    ...everyday.map((s) => ({
      ...example({ text: s.text, kind: 'none', lang: 'nb', tags: [] }),
      tune: false,
    })),
  ]
  // Five folds: each text is read by a model that did not learn from it, to choose the threshold.
  const folds = [0, 1, 2, 3, 4].map((fold) => ({
    trainedOn: '',
    threshold: 1,
    weights: trainModel(examples.filter((_, j) => j % 5 !== fold)),
  }))
  const held = examples.map((e, i) => ({ ...e, ...readWithModel(folds[i % 5]!, e.features) }))
  const quiet = held.filter((e) => e.label === 'none' && e.rules === 'none')
  const nearMisses = held.filter((e) => e.label === 'none').length
  const threshold =
    [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9].find(
      (t) => quiet.filter((e) => e.crisis >= t).length / nearMisses <= maxAddedChecks
    ) ?? 0.95
  const missed = held.filter((e) => e.label !== 'none' && e.rules !== 'danger')
  const caught = missed.filter((e) => e.rules === 'possible' || e.crisis >= threshold).length
  process.stdout.write(
    `crisis:build: model threshold ${threshold}; in five folds it gave the check to ${caught} of ` +
      `${missed.length} crisis texts the patterns did not answer as danger\n`
  )
  const raise = raiseThreshold(held)
  return { trainedOn: modelFingerprint(), threshold, raise, weights: trainModel(examples) }
}

/** At most this share of the tuning half's near-misses may get the emergency answer, patterns and model together. */
const maxFalseAlarms = 0.01

/**
 * The lowest chance at which the model may raise a check to clear danger (when the patterns found
 * a sign of its kind) while, each text read by a model that never learned from it, the tuning
 * half's near-misses get the emergency answer no more than `maxFalseAlarms`.
 */
function raiseThreshold(
  held: {
    label: string
    rules: string
    leads: CrisisKind[]
    tune: boolean
    crisis: number
    kind: CrisisKind
  }[]
): number | undefined {
  const danger = (e: (typeof held)[number], t: number) =>
    e.rules === 'danger' ||
    raises({ trainedOn: '', threshold: 1, raise: t, weights: {} }, e, e.leads)
  const near = held.filter((e) => e.tune && e.label === 'none')
  const crisis = held.filter((e) => e.tune && e.label !== 'none')
  const everyday = held.filter((e) => !e.tune)
  const rate = (list: typeof held, t: number) =>
    list.filter((e) => danger(e, t)).length / list.length
  const percent = (x: number) => `${(x * 100).toFixed(1)}%`
  const t = [0.8, 0.85, 0.9, 0.93, 0.95, 0.97, 0.98, 0.99].find(
    (t) => rate(near, t) <= maxFalseAlarms && rate(everyday, t) <= maxFalseAlarms
  )
  const right = (u: number) =>
    crisis.filter((e) => e.rules !== 'danger' && danger(e, u) && e.kind === e.label).length
  process.stdout.write(
    t === undefined
      ? 'crisis:build: the model raises nothing: no threshold keeps false alarms in bounds\n'
      : `crisis:build: model raises a check to danger from ${t}; in five folds the tuning half ` +
          `gets ${percent(rate(crisis, t))} emergency answers (patterns alone ${percent(rate(crisis, 2))}, ` +
          `${right(t)} raised of the right kind), false alarms ${percent(rate(near, t))} ` +
          `(patterns alone ${percent(rate(near, 2))}), everyday texts ${percent(rate(everyday, t))}\n`
  )
  return t
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await writeRealWords()
  const model = train()
  writeFileSync(join(crisisDir, 'model.json'), `${JSON.stringify(model)}\n`)
  process.stdout.write(
    `crisis:build: model.json with ${Object.keys(model.weights).length} features\n`
  )
}
