/**
 * `npx tsx test/corpus/cv-learned.ts [misses]`: measures the keywords and the learned reader
 * together by cross-validation over the train and dev splits (the test split is never read).
 * The train and dev texts are dealt into five folds by a hash; each fold is read by a reader
 * built from the other four folds (and the topics' own phrases and keywords), so no text votes
 * for itself and all 1,700 texts count, not only dev's 450. A second line reads dev with a
 * reader built from train alone, as in production.
 * LEARNED='{"epochs":20}' and COMBINE='{"margin":0.25}' try other settings.
 * Commands and crisis texts are left out: the learned reader never proposes them.
 */
import { createHash } from 'node:crypto'
import { commandsFile } from '../../content/commands.js'
import { combineScores, createMatcher, keywordExamples } from '../../dialogs/matcher.js'
import { combineDefaults, type CombineSettings } from '../../dialogs/matcher.js'
import { createLearnedReader, learnedDefaults, type Guess } from '../../dialogs/learned.js'
import { realKnowledge } from '../helpers/make-app.js'
import { loadCorpus, verdictOf, type Verdict } from './run-corpus.js'

const knowledge = realKnowledge()
const commands = commandsFile()
const stopwords = new Set(commands.stopwords.map((w) => w.toLowerCase()))
const ordinary = [...knowledge.topics.values()].filter((t) => !t.urgent)
const byId = new Map(ordinary.map((t) => [t.id, t] as const))
const keywordsOnly = createMatcher(knowledge.topics.values(), commands)
const own = keywordExamples(ordinary)
const learnable = (label: string) => label === 'none' || label === 'unclear' || byId.has(label)
const samples = loadCorpus().filter(
  (s) => s.split !== 'test' && learnable(s.expect) && keywordsOnly.match(s.text).kind !== 'command'
)
const K = 5
const foldOf = (text: string) =>
  createHash('sha256').update(`cv\n${text}`).digest().readUInt32BE(0) % K
const asExample = (s: { text: string; expect: string }) => ({
  text: s.text,
  label: s.expect === 'unclear' ? 'none' : s.expect,
})

export const learned = { ...learnedDefaults, ...JSON.parse(process.env.LEARNED ?? '{}') }
const combine: CombineSettings = { ...combineDefaults, ...JSON.parse(process.env.COMBINE ?? '{}') }

type Prepared = {
  part: 'cv' | 'dev'
  expect: string
  text: string
  keywords: { id: string; score: number }[]
  guess: Guess
}
const prepared: Prepared[] = []
const started = performance.now()
for (let f = 0; f < K; f++) {
  const reader = createLearnedReader(
    [...samples.filter((s) => foldOf(s.text) !== f).map(asExample), ...own],
    stopwords,
    learned
  )
  for (const s of samples.filter((x) => foldOf(x.text) === f))
    prepared.push({
      part: 'cv',
      expect: s.expect,
      text: s.text,
      keywords: keywordsOnly.explain(s.text),
      guess: reader.guess(s.text),
    })
}
const trainTime = (performance.now() - started) / K
const production = createLearnedReader(
  [...samples.filter((s) => s.split === 'train').map(asExample), ...own],
  stopwords,
  learned
)
for (const s of samples.filter((x) => x.split === 'dev'))
  prepared.push({
    part: 'dev',
    expect: s.expect,
    text: s.text,
    keywords: keywordsOnly.explain(s.text),
    guess: production.guess(s.text),
  })

export function evaluate(settings: CombineSettings, misses = false) {
  const t: Record<string, Record<Verdict | 'choices' | 'total', number>> = {}
  for (const p of prepared) {
    const match = combineScores(p.keywords, p.guess, byId, settings)
    const got = match.kind === 'topic' ? match.topic.id : match.kind
    const offered = match.kind === 'clarify' ? match.topics.map((x) => x.id) : []
    const v = verdictOf(p.expect, got, offered)
    if (misses && v !== 'right' && p.part === 'cv')
      process.stdout.write(`${v} [${p.expect}] ${p.text} => ${got} ${offered.join('|')}\n`)
    const r = (t[p.part] ??= { right: 0, wrong: 0, asked: 0, missed: 0, choices: 0, total: 0 })
    r[v]++
    r.total++
    if (match.kind === 'clarify') r.choices++
  }
  return t
}

const pct = (n: number, d: number) => `${((n / d) * 100).toFixed(1)}%`
export function line(t: ReturnType<typeof evaluate>): string {
  return Object.entries(t)
    .map(
      ([part, x]) =>
        `${part} ${x.total} right ${pct(x.right, x.total)} wrong ${pct(x.wrong, x.total)} ` +
        `asked ${pct(x.asked, x.total)} missed ${pct(x.missed, x.total)} choices ${pct(x.choices, x.total)} ` +
        `obj ${((x.right - 5 * x.wrong) / x.total).toFixed(3)}`
    )
    .join('\n')
}

const args = process.argv.slice(2)
process.stdout.write(`learned ${JSON.stringify(learned)} (${trainTime.toFixed(0)} ms a model)\n`)
process.stdout.write(
  `combine ${JSON.stringify(combine)}\n${line(evaluate(combine, args.includes('misses')))}\n`
)
if (args.includes('grid')) {
  const grid: CombineSettings[] = []
  for (const agree of [2, 3, 5])
    for (const agreeShare of [0, 0.4, 0.5])
      for (const keywordShare of [0.4, 0.5, 0.6])
        for (const similarityFull of [0.2, 0.3, 0.4])
          for (const answer of [0.4, 0.45, 0.5, 0.55])
            for (const margin of [0.1, 0.15, 0.2, 0.25, 0.3])
              for (const ask of [0.2, 0.25, 0.3])
                grid.push({
                  ...combine,
                  agree,
                  agreeShare,
                  keywordShare,
                  similarityFull,
                  answer,
                  margin,
                  ask,
                })
  const results = grid
    .map((settings) => {
      const t = evaluate(settings)
      const x = t.cv!
      return {
        settings,
        t,
        objective: (x.right - 5 * x.wrong) / x.total,
        choices: x.choices / x.total,
      }
    })
    .filter((r) => r.choices <= Number(process.env.MAX_CHOICES ?? 0.12))
    .sort((a, b) => b.objective - a.objective)
  for (const r of results.slice(0, 8))
    process.stdout.write(`${JSON.stringify(r.settings)}\n${line(r.t)}\n`)
}
