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
import { type CrisisModelData, trainModel } from '../dialogs/crisis-model.js'
import type { FeatureKind } from '../dialogs/crisis-features.js'
import { loadCrisisCorpus } from '../test/crisis/corpus.js'
import { loadCorpus } from '../test/corpus/run-corpus.js'
import {
  crisisEverydayFiles,
  describeFolds,
  featurizerFor,
  foldFigures,
  heldOut,
  type FoldFigures,
  loadExamples,
} from './crisis-folds.js'
import { writeRealWords } from './crisis-words.js'
import { contentDir } from './load.js'

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
  hash.update(`features ${modelFeatureKinds.join(',')}`)
  return hash.digest('hex').slice(0, 16)
}

/**
 * What the model reads besides words, chosen in folds (docs/crisis.md, `npm run crisis:folds`).
 */
export const modelFeatureKinds: FeatureKind[] = ['pairs', 'classes', 'negation', 'spelling']

/** The L2 strengths tried in folds. */
const l2Choices = [3e-3, 1e-2, 3e-2, 1e-1]

/**
 * Which of two fold results serves better, recall first: more crisis texts given the emergency
 * answer, then at least the check, then fewer false alarms, then the model alone sure of more
 * crisis texts for few near-misses (`modelMean`: what it adds where the patterns were not tuned).
 */
function better(a: FoldFigures, b: FoldFigures): boolean {
  for (const key of ['emergency', 'recognized', 'falseAlarms', 'modelMean'] as const) {
    const [x, y] = key === 'falseAlarms' ? [b[key], a[key]] : [a[key], b[key]]
    if (Math.abs(x - y) > 1e-9) return x > y
  }
  return false
}

function train(): CrisisModelData {
  const examples = loadExamples()
  const featurize = featurizerFor(modelFeatureKinds)
  const tried = l2Choices.map((l2) => {
    const figures = foldFigures(heldOut(examples, featurize, l2))
    process.stdout.write(`crisis:build: l2 ${l2}, in five folds: ${describeFolds(figures)}\n`)
    return { l2, figures }
  })
  const { l2, figures } = tried.reduce((a, b) => (better(b.figures, a.figures) ? b : a))
  process.stdout.write(`crisis:build: kept l2 ${l2}\n`)
  const weights = trainModel(
    examples.map((e) => ({ ...featurize(e.text), label: e.label })),
    { l2 }
  )
  return {
    trainedOn: modelFingerprint(),
    threshold: figures.threshold,
    ...(figures.raise === undefined ? {} : { raise: figures.raise }),
    features: modelFeatureKinds,
    l2,
    weights,
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  await writeRealWords()
  const model = train()
  writeFileSync(join(crisisDir, 'model.json'), `${JSON.stringify(model)}\n`)
  process.stdout.write(
    `crisis:build: model.json with ${Object.keys(model.weights).length} features\n`
  )
}
