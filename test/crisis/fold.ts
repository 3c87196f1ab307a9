/**
 * An honest estimate while tuning: the tuning half is split once more, by a fixed hash of each
 * text, into a "fit" part (whose misses and false alarms may be read and fixed) and a "check"
 * part (only counted). A change to the patterns is kept only if the check part improves too:
 * more emergency answers and no more false alarms. The second reader is trained again on the fit
 * part alone (and the everyday topic texts), so the check part is read by a model that never saw
 * it, as the test half is. `npx tsx test/crisis/run-crisis.ts --fold [--misses]` (docs/crisis.md).
 */
import { createHash } from 'node:crypto'
import { commandsFile } from '../../content/commands.js'
import { featurizerFor } from '../../content/crisis-folds.js'
import { trainModel, type CrisisModelData, type ModelLabel } from '../../dialogs/crisis-model.js'
import { createUnderstanding } from '../../dialogs/understand.js'
import { loadCorpus } from '../corpus/run-corpus.js'
import { realKnowledge } from '../helpers/make-app.js'
import { loadCrisisCorpus, type CrisisOutcome, type CrisisSample } from './corpus.js'

export type Part = 'fit' | 'check'

/** The seed of the fit/check split of the tuning half; changing it would leak check into fit. */
const FOLD_SEED = 'crisisA-fold'

export function partOf(text: string): Part {
  return createHash('sha256').update(`${FOLD_SEED}|${text}`).digest()[0]! % 2 === 0
    ? 'fit'
    : 'check'
}

/** The topic texts the model learns everyday language from, as `npm run crisis:build` does. */
const everydayFiles = ['nb.jsonl', 'en.jsonl', 'mixed.jsonl']

/**
 * The stored model's thresholds with weights learned from the fit part only; `stored` keeps the
 * stored model (which learned from the whole tuning half, check part included), `none` reads
 * with the patterns alone.
 */
export type FoldModel = 'fit' | 'stored' | 'none'

function foldModel(stored: CrisisModelData | undefined, fit: CrisisSample[]): CrisisModelData {
  if (!stored) throw new Error('crisis fold: no model.json to take the thresholds from')
  const everyday = loadCorpus(everydayFiles).filter((s) => !s.expect.startsWith('crisis-'))
  // The stored model's features and L2 strength, as `npm run crisis:build` chose them.
  const featurize = featurizerFor(stored.features ?? ['pairs'])
  const examples = [
    ...fit.map((s) => ({ ...featurize(s.text), label: s.kind as ModelLabel })),
    ...everyday.map((s) => ({ ...featurize(s.text), label: 'none' as ModelLabel })),
  ]
  return {
    ...stored,
    trainedOn: 'fit part',
    weights: trainModel(examples, stored.l2 === undefined ? {} : { l2: stored.l2 }),
  }
}

/** Every text of the tuning half, read by the layer, with the part it is in. */
export function foldOutcomes(model: FoldModel = 'fit'): (CrisisOutcome & { part: Part })[] {
  const knowledge = realKnowledge()
  const tune = loadCrisisCorpus('tune')
  const fit = tune.filter((s) => partOf(s.text) === 'fit')
  const crisisModel =
    model === 'none'
      ? undefined
      : model === 'stored'
        ? knowledge.crisis.model
        : foldModel(knowledge.crisis.model, fit)
  const { crisis } = createUnderstanding(
    { ...knowledge, crisis: { ...knowledge.crisis, model: crisisModel } },
    commandsFile()
  )
  return tune.map((sample) => ({ ...sample, part: partOf(sample.text), got: crisis.detect(sample.text) }))
}
