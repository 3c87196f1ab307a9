/**
 * Runs the crisis corpus through the crisis layer and prints, per half, the confusion table per
 * kind, recall and false alarms. `npm run corpus` prints the tables; `--misses` also lists the
 * tuning half's misses and false alarms (never the test half's: it is not to be tuned on).
 * `--fold` reads the tuning half only, split into its fit and check parts (fold.ts); with
 * `--misses` it lists the fit part's misses and false alarms only. `--fold-model=stored|none`
 * reads with the stored model or the patterns alone instead of a model learned from the fit part.
 */
import { pathToFileURL } from 'node:url'
import { commandsFile } from '../../content/commands.js'
import { createUnderstanding } from '../../dialogs/understand.js'
import { realKnowledge } from '../helpers/make-app.js'
import {
  confusion,
  falseAlarm,
  figures,
  found,
  loadCrisisCorpus,
  type CrisisOutcome,
  type Half,
} from './corpus.js'
import { foldOutcomes, type FoldModel } from './fold.js'

export function crisisOutcomes(half: Half): CrisisOutcome[] {
  const { crisis } = createUnderstanding(realKnowledge(), commandsFile())
  return loadCrisisCorpus(half).map((sample) => ({ ...sample, got: crisis.detect(sample.text) }))
}

const percent = (n: number, of: number) => `${((n / of) * 100).toFixed(1)}%`

/** The figures and the confusion table of one half (or one part of the tuning half). */
export function report(half: Half | 'fit' | 'check', outcomes: CrisisOutcome[]): string {
  const f = figures(outcomes)
  const lines = [
    `crisis corpus, ${half === 'fit' || half === 'check' ? `tuning half's ${half} part` : `${half} half`}: ${outcomes.length} texts`,
    `  recall ${f.detected}/${f.crisis} (${percent(f.detected, f.crisis)}) got the emergency answer, ` +
      `${f.found} of them of the right kind; ${f.checked} got only the short check`,
    `  false alarms ${f.falseAlarms}/${f.near} (${percent(f.falseAlarms, f.near)}); ` +
      `${f.nearChecked} near-misses got the short check`,
    `  ${'label'.padEnd(16)}${columns.map((c) => c.padStart(16)).join('')}`,
  ]
  for (const [row, cells] of confusion(outcomes)) {
    lines.push(
      `  ${row.padEnd(16)}${columns.map((c) => String(cells.get(c) ?? 0).padStart(16)).join('')}`
    )
  }
  return lines.join('\n')
}

const columns = ['suicide', 'overdose', 'violence', 'sexual-violence', 'check', 'none']

function listMisses(outcomes: CrisisOutcome[]) {
  for (const o of outcomes.filter((x) => x.kind !== 'none' && !found(x)))
    process.stdout.write(`MISS [${o.kind}] ${o.got.level}/${o.got.kind ?? ''} :: ${o.text}\n`)
  for (const o of outcomes.filter(falseAlarm))
    process.stdout.write(`FALSE [${o.got.kind}] ${JSON.stringify(o.got.cues)} :: ${o.text}\n`)
}

function runFold(model: FoldModel) {
  const outcomes = foldOutcomes(model)
  const fit = outcomes.filter((o) => o.part === 'fit')
  if (process.argv.includes('--misses')) listMisses(fit)
  process.stdout.write(`model: ${model}\n`)
  for (const part of ['fit', 'check'] as const)
    process.stdout.write(
      `${report(
        part,
        outcomes.filter((o) => o.part === part)
      )}\n\n`
    )
}

const foldModels: readonly FoldModel[] = ['fit', 'stored', 'none']

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const option = process.argv.find((a) => a.startsWith('--fold-model='))?.split('=')[1] ?? 'fit'
  const model = foldModels.find((m) => m === option)
  if (!model) throw new Error(`--fold-model must be one of ${foldModels.join(', ')}`)
  if (process.argv.includes('--fold')) runFold(model)
  else {
    for (const half of ['tune', 'test'] as const) {
      const outcomes = crisisOutcomes(half)
      if (half === 'tune' && process.argv.includes('--misses')) listMisses(outcomes)
      process.stdout.write(`${report(half, outcomes)}\n\n`)
    }
  }
}
