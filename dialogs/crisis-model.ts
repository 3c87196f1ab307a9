/**
 * @module dialogs/crisis-model
 * A second reader behind the crisis patterns: a linear model (multinomial logistic regression)
 * over the words of a message and its word pairs, learned from the
 * tuning half of the labelled crisis corpus (`npm run crisis:build`). It never raises the alarm on
 * words alone; where the patterns see nothing clear it can ask the short check ("Er du i fare nå?"),
 * so a person in danger who writes in words nobody listed still gets the 24/7 number, and where the
 * patterns found a sign of a kind and it is very sure of that kind (`raise`), it makes it danger.
 */
import type { CrisisKind } from '../content/schema.js'
import type { FeatureKind, Featured } from './crisis-features.js'

export const modelLabels = ['none', 'overdose', 'suicide', 'sexual-violence', 'violence'] as const
export type ModelLabel = (typeof modelLabels)[number]

/** The trained model as stored in content/crisis/model.json. */
export type CrisisModelData = {
  /** A fingerprint of the corpus half and the lexicon it was trained with. */
  trainedOn: string
  /** Above this chance of any crisis, the check is asked. */
  threshold: number
  /**
   * Above this chance of a crisis, a message the patterns only put in doubt (a sign of the
   * model's likeliest kind found, but not enough for clear danger) gets the emergency answer.
   * Chosen in folds by `npm run crisis:build`; absent, the model never raises the level.
   */
  raise?: number
  /** What the model reads besides words (dialogs/crisis-features.ts), chosen in folds. */
  features?: FeatureKind[]
  /** The L2 strength it was trained with, chosen in folds (for retraining it on a part). */
  l2?: number
  /** feature → one weight per label, in the order of `modelLabels`. */
  weights: Record<string, number[]>
}

/** Chance per label for these features. */
export function probabilities(weights: CrisisModelData['weights'], message: Featured): number[] {
  return softmax(
    message.features.map((f) => weights[f]),
    message.values
  )
}

function softmax(rows: (number[] | undefined)[], values: number[]): number[] {
  const z = modelLabels.map(() => 0)
  rows.forEach((w, i) => {
    for (let k = 0; w && k < z.length; k++) z[k]! += w[k]! * values[i]!
  })
  const top = Math.max(...z)
  const e = z.map((v) => Math.exp(v - top))
  const sum = e.reduce((a, b) => a + b, 0)
  return e.map((v) => v / sum)
}

export type ModelReading = { crisis: number; kind: CrisisKind; words: string[] }

/**
 * The chance of a crisis, its likeliest kind, and the words (as written) that weighed most for
 * it: each feature's weight for the kind against none, shared among the words it came from.
 */
export function readWithModel(model: CrisisModelData, message: Featured): ModelReading {
  const rows = message.features.map((f) => model.weights[f])
  const p = softmax(rows, message.values)
  let best = 1
  for (let k = 2; k < p.length; k++) if (p[k]! > p[best]!) best = k
  const kind = modelLabels[best] as CrisisKind
  const weight = new Map<string, number>()
  rows.forEach((w, i) => {
    const from = message.from[i]!
    for (const j of w ? from : []) {
      const word = message.written[j]!
      weight.set(word, (weight.get(word) ?? 0) + ((w![best]! - w![0]!) * message.values[i]!) / from.length)
    }
  })
  const words = [...weight]
    .filter(([, w]) => w > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([word]) => word)
  return { crisis: 1 - p[0]!, kind, words }
}

/**
 * Learns the weights by stochastic gradient descent, in a fixed order (a seeded shuffle), so the
 * same examples always give the same model.
 */
export function trainModel(
  examples: { features: string[]; values: number[]; label: ModelLabel }[],
  options: { epochs?: number; rate?: number; l2?: number } = {}
): Record<string, number[]> {
  const weights = new Map<string, number[]>()
  const of = (f: string) => {
    let w = weights.get(f)
    if (!w) weights.set(f, (w = modelLabels.map(() => 0)))
    return w
  }
  const { epochs = 15, rate: start = 0.3, l2 = 1e-3 } = options
  let seed = 42
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648
  const order = examples.map((_, i) => i)
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    const rate = start / (1 + epoch * 0.2)
    for (const index of order) {
      const { features, values, label } = examples[index]!
      const rows = features.map(of)
      const p = softmax(rows, values)
      const y = modelLabels.indexOf(label)
      rows.forEach((w, i) => {
        for (let k = 0; k < w.length; k++) {
          w[k]! -= rate * ((p[k]! - (k === y ? 1 : 0)) * values[i]! + l2 * w[k]!)
        }
      })
    }
  }
  // Small weights change nothing and would only make the file long.
  const kept: Record<string, number[]> = {}
  for (const [f, w] of [...weights].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (w.some((v) => Math.abs(v) >= 0.02)) kept[f] = w.map((v) => Math.round(v * 1000) / 1000)
  }
  return kept
}
