/**
 * `npx tsx test/corpus/tune-learned.ts`: chooses how the keywords and the learned reader combine
 * (dialogs/matcher.ts, combineDefaults), on train and dev only; the test split is never read.
 * Train texts are read by a reader built from the other half of train (two folds), so no text
 * votes for itself; dev texts by a reader built from all of train, as in production.
 * Prints the best settings by right answers minus five times the wrong topics, with at most 12%
 * of texts answered with a choice.
 */
import { commandsFile } from '../../content/commands.js'
import { trainExamples } from '../../content/learn-build.js'
import { combineScores, keywordExamples, type CombineSettings } from '../../dialogs/matcher.js'
import { createMatcher } from '../../dialogs/matcher.js'
import { createLearnedReader, learnedDefaults } from '../../dialogs/learned.js'
import { realKnowledge } from '../helpers/make-app.js'
import { loadCorpus, verdictOf, type Verdict } from './run-corpus.js'

const knowledge = realKnowledge()
const commands = commandsFile()
const stopwords = new Set(commands.stopwords.map((w) => w.toLowerCase()))
const ordinary = [...knowledge.topics.values()].filter((t) => !t.urgent)
const byId = new Map(ordinary.map((t) => [t.id, t] as const))
const keywordsOnly = createMatcher(knowledge.topics.values(), commands)
const own = keywordExamples(ordinary)
const train = trainExamples(knowledge).examples
const samples = loadCorpus().filter(
  (s) => s.split !== 'test' && !s.expect.startsWith('cmd:') && !s.expect.startsWith('crisis-')
)
const fold = (text: string) => train.findIndex((e) => e.text === text) % 2
// LEARNED='{"epochs":20}' tries other settings of the learned reader itself.
const learned = { ...learnedDefaults, ...JSON.parse(process.env.LEARNED ?? '{}') }
const readers = [0, 1].map((f) =>
  createLearnedReader([...train.filter((e) => fold(e.text) !== f), ...own], stopwords, learned)
)
const full = createLearnedReader([...train, ...own], stopwords, learned)

type Prepared = {
  split: string
  expect: string
  text: string
  keywords: { id: string; score: number }[]
  guess: ReturnType<typeof full.guess>
}
const prepared: Prepared[] = []
for (const s of samples) {
  if (keywordsOnly.match(s.text).kind === 'command') continue
  const reader = s.split === 'dev' ? full : readers[fold(s.text)]!
  prepared.push({
    split: s.split,
    expect: s.expect,
    text: s.text,
    keywords: keywordsOnly.explain(s.text),
    guess: reader.guess(s.text),
  })
}

function evaluate(settings: CombineSettings, misses = false) {
  const t: Record<string, Record<Verdict | 'choices' | 'total', number>> = {}
  for (const p of prepared) {
    const match = combineScores(p.keywords, p.guess, byId, settings)
    const got = match.kind === 'topic' ? match.topic.id : match.kind
    const offered = match.kind === 'clarify' ? match.topics.map((x) => x.id) : []
    const v = verdictOf(p.expect, got, offered)
    if (misses && v !== 'right')
      process.stdout.write(
        `${v} ${p.split} [${p.expect}] ${p.text} => ${got} ${offered.join('|')}\n`
      )
    const r = (t[p.split] ??= { right: 0, wrong: 0, asked: 0, missed: 0, choices: 0, total: 0 })
    r[v]++
    r.total++
    if (match.kind === 'clarify') r.choices++
  }
  return t
}

const grid: CombineSettings[] = []
for (const agree of [2, 3, 5, 100])
  for (const keywordShare of [0.4, 0.5, 0.6])
    for (const keywordHalf of [1, 2])
      for (const similarityFull of [0.3, 0.4, 0.5])
        for (const answer of [0.35, 0.45, 0.55])
          for (const margin of [0.15, 0.2, 0.25])
            for (const ask of [0.15, 0.2, 0.3])
              grid.push({
                agree,
                agreeShare: 0,
                keywordShare,
                keywordHalf,
                similarityFull,
                answer,
                margin,
                ask,
                alsoAsk: 0.6,
              })

const results = grid.map((settings) => {
  const t = evaluate(settings)
  const all = { right: 0, wrong: 0, choices: 0, total: 0 }
  for (const r of Object.values(t)) {
    all.right += r.right
    all.wrong += r.wrong
    all.choices += r.choices
    all.total += r.total
  }
  return { settings, t, all, objective: (all.right - 5 * all.wrong) / all.total }
})
const pct = (n: number, d: number) => `${((n / d) * 100).toFixed(1)}%`
for (const r of results
  .filter((r) => r.all.choices / r.all.total <= 0.12)
  .sort((a, b) => b.objective - a.objective)
  .slice(0, Number(process.argv[2] ?? 10))) {
  const line = Object.entries(r.t)
    .map(
      ([split, x]) =>
        `${split} right ${pct(x.right, x.total)} wrong ${pct(x.wrong, x.total)} choices ${pct(x.choices, x.total)}`
    )
    .join(' | ')
  process.stdout.write(`${JSON.stringify(r.settings)}\n   ${line}\n`)
}

if (process.argv[3] === 'misses') {
  const best = results
    .filter((r) => r.all.choices / r.all.total <= 0.12)
    .sort((a, b) => b.objective - a.objective)[0]!
  evaluate(best.settings, true)
}
