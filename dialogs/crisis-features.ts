/**
 * @module dialogs/crisis-features
 * What a message looks like to the crisis layer's second reader (dialogs/crisis-model.ts): its
 * words and word pairs, and, as chosen in folds by `npm run crisis:build`, what carries across
 * spellings and inflections: a word's stems, its letter groups, the word classes of
 * content/crisis/words.json it belongs to, and a mark on words that follow a negation. Each
 * feature remembers the words it came from, so the console can name the words that weighed.
 */
import { crisisFeatureKinds } from '../content/schema.js'
import { fold, tokenOf, words } from './normalize.js'

export const featureKinds = crisisFeatureKinds
export type FeatureKind = (typeof featureKinds)[number]

/**
 * A message's features, each with its value (1, or less for a word's letter groups, which
 * together weigh as much as the word) and the words (by position in `written`) it came from.
 */
export type Featured = { features: string[]; values: number[]; from: number[][]; written: string[] }

export type FeatureLexicon = {
  /** Word classes (`@someone`, `@pills`), as in words.json. */
  classes?: Record<string, string[]>
  /** Negations, as written ("ikke", "not"). */
  negations?: string[]
  /**
   * The crisis words a folded word may stand for, by the patterns' spellings and typo rules
   * ("pusster" for "puster"); prefixes come as "*prefix" and are left out.
   */
  spelling?: (form: string) => Iterable<string>
}

/** Classes steering the patterns' grammar, not meaning: as features they only add noise. */
const grammarClasses = new Set(['plain', 'auxiliary', 'pronoun', 'negation-after', 'jeg', 'meg'])

/** How many words after a negation are marked as negated, within the clause. */
const negationReach = 3

export function createFeaturizer(
  kinds: readonly FeatureKind[],
  lexicon: FeatureLexicon = {}
): (text: string) => Featured {
  const on = new Set(kinds)
  const classOf = classIndex(lexicon.classes ?? {})
  const negations = new Set((lexicon.negations ?? []).map((w) => w.toLowerCase()))
  return (text) => {
    const features = new Map<string, { value: number; from: number[] }>()
    const add = (feature: string, ...from: number[]) => addValued(feature, 1, from)
    const addValued = (feature: string, value: number, from: number[]) => {
      if (!features.has(feature)) features.set(feature, { value, from })
    }
    add('bias')
    const written: string[] = []
    const clauseOf: number[] = []
    text
      .normalize('NFKC')
      .split(/[.!?,;:\n]+/)
      .forEach((clause, c) => {
        for (const w of words(clause)) {
          written.push(w)
          clauseOf.push(c)
        }
      })
    const forms = written.map(fold)
    let negated = { until: -1, clause: -1 }
    // The crisis words each word may stand for, when the model reads spellings.
    const spelled = forms.map((form) =>
      on.has('spelling') && lexicon.spelling
        ? [...lexicon.spelling(form)].filter((w) => !w.startsWith('*') && w !== form)
        : []
    )
    forms.forEach((form, i) => {
      add(`w:${form}`, i)
      for (const word of spelled[i]!) add(`w:${word}`, i)
      if (on.has('pairs') && clauseOf[i + 1] === clauseOf[i])
        add(`b:${form}_${forms[i + 1]}`, i, i + 1)
      if (on.has('stems')) for (const stem of tokenOf(written[i]!).stems) add(`s:${stem}`, i)
      if (on.has('letters') && form.length >= 3 && !/^\d+$/.test(form)) {
        const padded = `<${form}>`
        const grams: string[] = []
        for (let n = 3; n <= 5; n++)
          for (let j = 0; j + n <= padded.length; j++) grams.push(`c:${padded.slice(j, j + n)}`)
        for (const gram of grams) addValued(gram, 1 / Math.sqrt(grams.length), [i])
      }
      if (on.has('negation')) {
        if (i <= negated.until && clauseOf[i] === negated.clause) add(`n:${form}`, i)
        if (negations.has(written[i]!))
          negated = { until: i + negationReach, clause: clauseOf[i]! }
      }
    })
    if (on.has('classes'))
      for (const [name, span] of classOf(forms, spelled)) add(`k:${name}`, ...span)
    const found = [...features.values()]
    return {
      features: [...features.keys()],
      values: found.map((f) => f.value),
      from: found.map((f) => f.from),
      written,
    }
  }
}

type ClassEntry = { name: string; words: string[]; prefix: boolean }

/**
 * The class words as plain folded words and phrases ("sambo min"); a last word ending in `*` is
 * a prefix. Entries using more of the pattern language (`a|b`, `@class`) are left out, and `$`
 * (a sentence end) is dropped.
 */
function classIndex(
  classes: Record<string, string[]>
): (forms: string[], spelled: string[][]) => [string, number[]][] {
  const byFirst = new Map<string, ClassEntry[]>()
  const prefixes: ClassEntry[] = []
  for (const [name, list] of Object.entries(classes)) {
    if (grammarClasses.has(name)) continue
    for (const source of list) {
      const parts = source.split(/\s+/).filter((p) => p && p !== '$')
      if (parts.length === 0 || parts.some((p) => /[@|+#&]|\.\./.test(p))) continue
      const prefix = parts.at(-1)!.endsWith('*')
      const entry = { name, words: parts.map((p) => fold(p.replace(/\*$/, ''))), prefix }
      if (prefix && parts.length === 1) prefixes.push(entry)
      else byFirst.set(entry.words[0]!, [...(byFirst.get(entry.words[0]!) ?? []), entry])
    }
  }
  const matches = (entry: ClassEntry, forms: string[], i: number) =>
    entry.words.every((w, k) => {
      const form = forms[i + k]
      if (form === undefined) return false
      return k === entry.words.length - 1 && entry.prefix ? form.startsWith(w) : form === w
    })
  return (forms, spelled) => {
    const found: [string, number[]][] = []
    forms.forEach((form, i) => {
      for (const entry of byFirst.get(form) ?? [])
        if (matches(entry, forms, i))
          found.push([entry.name, entry.words.map((_, k) => i + k)])
      // A word read as a crisis word by its spelling is in that word's classes ("sobrill").
      for (const word of spelled[i] ?? [])
        for (const entry of byFirst.get(word) ?? [])
          if (entry.words.length === 1 && !entry.prefix) found.push([entry.name, [i]])
      for (const entry of prefixes) if (form.startsWith(entry.words[0]!)) found.push([entry.name, [i]])
    })
    return found
  }
}
