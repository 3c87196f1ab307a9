/**
 * @module dialogs/learned
 * A second reader that learns from labelled examples: the corpus's train split (built into
 * content/learned/examples.json by `npm run learn:build`) and the topics' own phrases and
 * keywords. Each text becomes a vector of words, stems and the character n-grams (3-5) inside
 * each word, weighted by how rare they are (tf-idf). A linear model (multinomial logistic
 * regression, trained at start-up in a fixed order: the same examples always give the same
 * weights) gives each label a share; the closest examples by cosine similarity, found through an
 * inverted index, say how familiar the text is and explain the decision (`closest`).
 * No download, no randomness. It only ever proposes a topic or 'none'; the matcher decides.
 */
import { readWords, tokenOf } from './normalize.js'

export type Example = { text: string; label: string }

export type Neighbour = Example & { similarity: number }

export type Guess = {
  /** Labels by the model's probability, best first (shares sum to at most 1). */
  ranked: { label: string; share: number }[]
  /** Cosine similarity of the closest example (0 when nothing is shared). */
  similarity: number
  neighbours: Neighbour[]
}

export type LearnedReader = {
  guess(text: string): Guess
  /** The examples closest to a text, for the console and for tuning. */
  closest(text: string, n?: number): Neighbour[]
  readonly size: number
}

export type LearnedSettings = {
  /** How many closest examples `guess` returns. */
  k: number
  /** Weight of a whole word and of a stem, against one character n-gram. */
  wordWeight: number
  /** Passes over the examples, learning rate and weight decay of the linear model. */
  epochs: number
  rate: number
  decay: number
}

export const learnedDefaults: LearnedSettings = {
  k: 5,
  wordWeight: 3,
  epochs: 10,
  rate: 0.5,
  decay: 1e-4,
}

/** Sparse vector: feature ids and their weights, L2-normalised. */
type Vector = { ids: number[]; values: number[] }

type Features = Map<string, number>

/**
 * Features of a text: each meaningful word as written (folded), its stems, and its character
 * 3- to 5-grams with word boundaries, so "soshjelp" shares "<sos", "hjelp>" with "sosialhjelp".
 */
export function featuresOf(
  text: string,
  stopwords: ReadonlySet<string>,
  wordWeight = learnedDefaults.wordWeight
): Features {
  const features: Features = new Map()
  const add = (key: string, weight: number) => features.set(key, (features.get(key) ?? 0) + weight)
  for (const written of readWords(text)) {
    const { word, form, stems } = tokenOf(written)
    if (stopwords.has(word)) continue
    add(`w:${form}`, wordWeight)
    for (const stem of stems) if (stem !== form) add(`s:${stem}`, wordWeight / 2)
    const padded = `<${form}>`
    for (let n = 3; n <= 5; n++)
      for (let i = 0; i + n <= padded.length; i++) add(`c:${padded.slice(i, i + n)}`, 1)
  }
  return features
}

/** Builds the reader; the same examples always give the same reader. */
export function createLearnedReader(
  examples: readonly Example[],
  stopwords: ReadonlySet<string>,
  settings: LearnedSettings = learnedDefaults
): LearnedReader {
  const raw = examples.map((e) => featuresOf(e.text, stopwords, settings.wordWeight))
  const featureIds = new Map<string, number>()
  const documentFrequency: number[] = []
  for (const features of raw)
    for (const key of features.keys()) {
      let id = featureIds.get(key)
      if (id === undefined) featureIds.set(key, (id = documentFrequency.push(0) - 1))
      documentFrequency[id]!++
    }
  const n = examples.length
  const idf = documentFrequency.map((df) => Math.log((n + 1) / (df + 1)) + 1)
  // A feature no example has still counts in a text's length: unfamiliar words make it less sure.
  const unseenIdf = Math.log(n + 1) + 1
  const vectorOf = (features: Features): Vector => {
    const ids: number[] = []
    const values: number[] = []
    let norm = 0
    for (const [key, count] of features) {
      const id = featureIds.get(key)
      const w = (1 + Math.log(count)) * (id === undefined ? unseenIdf : idf[id]!)
      norm += w * w
      if (id === undefined) continue
      ids.push(id)
      values.push(w)
    }
    norm = Math.sqrt(norm) || 1
    return { ids, values: values.map((w) => w / norm) }
  }
  const vectors = raw.map(vectorOf)

  // Inverted index for the closest examples: feature → the examples that have it.
  const postings: { example: number; weight: number }[][] = idf.map(() => [])
  vectors.forEach((v, example) =>
    v.ids.forEach((id, j) => postings[id]!.push({ example, weight: v.values[j]! }))
  )
  const similarities = new Float64Array(n)
  const vectorOfText = (text: string) => vectorOf(featuresOf(text, stopwords, settings.wordWeight))
  function nearest(query: Vector, count: number): Neighbour[] {
    similarities.fill(0)
    const touched: number[] = []
    query.ids.forEach((id, j) => {
      for (const p of postings[id]!) {
        if (similarities[p.example] === 0) touched.push(p.example)
        similarities[p.example] = similarities[p.example]! + query.values[j]! * p.weight
      }
    })
    // The `count` most similar, highest first; ties by example order, so chance plays no part.
    const better = (a: number, b: number) =>
      similarities[a]! > similarities[b]! || (similarities[a] === similarities[b] && a < b)
    const best: number[] = []
    for (const i of touched) {
      if (best.length === count && !better(i, best[count - 1]!)) continue
      let at = Math.min(best.length, count - 1)
      best[at] = i
      while (at > 0 && better(i, best[at - 1]!)) {
        best[at] = best[at - 1]!
        best[at - 1] = i
        at--
      }
    }
    return best.map((i) => ({
      ...examples[i]!,
      similarity: Math.round(similarities[i]! * 1000) / 1000,
    }))
  }

  const model = trainModel(vectors, examples, idf.length, settings)
  return {
    size: n,
    closest: (text, count = settings.k) => nearest(vectorOfText(text), count),
    guess(text) {
      const query = vectorOfText(text)
      const neighbours = nearest(query, settings.k)
      const probabilities = model.probabilities(query)
      const ranked = model.labels
        .map((label, j) => ({ label, share: probabilities[j]! }))
        .filter((r) => r.share >= 0.01)
        .sort((a, b) => b.share - a.share || a.label.localeCompare(b.label))
      return { ranked, similarity: neighbours[0]?.similarity ?? 0, neighbours }
    },
  }
}

/**
 * Multinomial logistic regression by stochastic gradient descent: every pass visits the examples
 * in an order shuffled by a fixed seed, so training is the same on every machine and every start.
 */
function trainModel(
  vectors: Vector[],
  examples: readonly Example[],
  features: number,
  settings: LearnedSettings
) {
  const labels = [...new Set(examples.map((e) => e.label))].sort()
  const labelOf = new Map(labels.map((l, j) => [l, j] as const))
  const L = labels.length
  const weights = new Float64Array(features * L)
  const bias = new Float64Array(L)
  const scores = new Float64Array(L)
  const probabilities = (v: Vector): Float64Array => {
    scores.set(bias)
    v.ids.forEach((id, j) => {
      const x = v.values[j]!
      const row = id * L
      for (let c = 0; c < L; c++) scores[c] = scores[c]! + weights[row + c]! * x
    })
    let max = -Infinity
    for (let c = 0; c < L; c++) max = Math.max(max, scores[c]!)
    let sum = 0
    for (let c = 0; c < L; c++) sum += scores[c] = Math.exp(scores[c]! - max)
    for (let c = 0; c < L; c++) scores[c] = scores[c]! / sum
    return scores
  }
  const order = vectors.map((_, i) => i)
  let seed = 13
  const random = () => {
    // xorshift32: a fixed sequence, the same everywhere.
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) / 2 ** 32
  }
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1))
      ;[order[i], order[j]] = [order[j]!, order[i]!]
    }
    for (const i of order) {
      const v = vectors[i]!
      const p = probabilities(v)
      p[labelOf.get(examples[i]!.label)!] = p[labelOf.get(examples[i]!.label)!]! - 1
      v.ids.forEach((id, j) => {
        const x = v.values[j]!
        const row = id * L
        for (let c = 0; c < L; c++)
          weights[row + c] =
            weights[row + c]! - settings.rate * (p[c]! * x + settings.decay * weights[row + c]!)
      })
      for (let c = 0; c < L; c++) bias[c] = bias[c]! - settings.rate * 0.1 * p[c]!
    }
  }
  return {
    labels,
    probabilities: (v: Vector) => Float64Array.from(probabilities(v)),
  }
}
