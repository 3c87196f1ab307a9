/**
 * Runs labelled texts through the real SMS webhook (signed, one fresh number each) and reads
 * what the bot understood from its `turn.understood` log event. Every *.jsonl in test/corpus/
 * is read (holdout/ is not: it is run on its own); each text belongs to one split (split.ts).
 *
 * `npm run corpus` prints right / wrong topic / asked / not understood per split and per area,
 * and the misses of train and dev only: test misses are never printed, so nobody tunes on them.
 * `npm run corpus -- holdout` runs the held-out set instead (its misses are not printed either);
 * `npm run corpus -- keywords` (or `-- holdout keywords`) reads with the keywords alone.
 * test/corpus.test.ts holds the bar.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { commandsFile } from '../../content/commands.js'
import { makeApp, realKnowledge } from '../helpers/make-app.js'
import { inboundForm, messagesOf, signedPost } from '../helpers/twilio.js'
import { crisisOutcomes, report } from '../crisis/run-crisis.js'
import { splitOf, type Split } from './split.js'

export type Sample = { text: string; expect: string; file: string; split: Split }
/**
 * right: the expected topic or command, a choice that offers it, or for 'unclear' an honest
 * "did not understand", a choice or the help/menu; wrong: another topic or command answered
 * outright (the costly mistake); asked: a choice without the right one; missed: not understood.
 */
export type Verdict = 'right' | 'wrong' | 'asked' | 'missed'
export type Outcome = Sample & {
  got: string
  verdict: Verdict
  correct: boolean
  clarified: boolean
  reply: string
}

const dir = import.meta.dirname

/** Labels a text may carry besides a topic id: an intent of commands.json, 'none' (out of scope), 'unclear'. */
export function knownLabels(): Set<string> {
  return new Set([
    ...realKnowledge().topics.keys(),
    ...Object.keys(commandsFile().commands).map((c) => `cmd:${c}`),
    'none',
    'unclear',
  ])
}

/** Every *.jsonl in test/corpus/ (or the files named), in name order. */
export function corpusFiles(): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
}

function readSamples(files: string[]): Sample[] {
  return files.flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => {
        const { text, expect } = JSON.parse(l) as { text: string; expect: string }
        return { text, expect, file, split: splitOf(text) }
      })
  )
}

/**
 * The labelled texts. A label that names no topic (yet) is left out and listed by
 * `unknownLabels`: a new topic's texts may land before the topic itself.
 */
export function loadCorpus(files = corpusFiles()): Sample[] {
  const known = knownLabels()
  return readSamples(files).filter((s) => known.has(s.expect))
}

export function unknownLabels(files = corpusFiles()): Sample[] {
  const known = knownLabels()
  return readSamples(files).filter((s) => !known.has(s.expect))
}

export function loadHoldout(): Sample[] {
  return loadCorpus(['holdout/holdout.jsonl'])
}

export async function runCorpus(samples: Sample[]): Promise<Outcome[]> {
  const t = await makeApp()
  const outcomes: Outcome[] = []
  try {
    let n = 0
    for (const sample of samples) {
      const from = `+4799${String(++n).padStart(6, '0')}`
      const res = await t.app.request(
        '/sms/twilio',
        signedPost('/sms/twilio', inboundForm(from, sample.text))
      )
      if (res.status !== 200)
        throw new Error(`webhook answered ${res.status} for ${JSON.stringify(sample.text)}`)
      const reply = messagesOf(await res.text()).join('\n')
      const event = t.logger.lines
        .map((l) => JSON.parse(l))
        .filter((e) => e.event === 'turn.understood')
        .at(-1)
      const got = labelOf(event.kind, event.what)
      const clarified = event.kind === 'clarify'
      const offered = clarified ? String(event.what).split('|') : []
      const verdict = verdictOf(sample.expect, got, offered)
      outcomes.push({
        ...sample,
        got,
        verdict,
        correct: verdict === 'right',
        clarified,
        reply,
      })
    }
  } finally {
    await t.cleanup()
  }
  return outcomes
}

function labelOf(kind: string, what?: string): string {
  if (kind === 'topic' || kind === 'crisis') return what!
  if (kind === 'command') return `cmd:${what}`
  if (kind === 'clarify') return `clarify:${what}`
  return kind
}

/** What counts as an answer: a topic, a command or a crisis answer (not a choice, not "none"). */
const answered = (got: string) => !got.startsWith('clarify:') && got !== 'none' && got !== 'number'

export function verdictOf(expect: string, got: string, offered: string[]): Verdict {
  if (got === expect) return 'right'
  if (expect === 'unclear') {
    if (got === 'none' || offered.length > 0 || got === 'cmd:help' || got === 'cmd:menu')
      return 'right'
    return 'wrong'
  }
  if (offered.includes(expect)) return 'right'
  if (offered.length > 0) return 'asked'
  if (answered(got)) return 'wrong'
  return 'missed'
}

export type Tally = Record<Verdict, number> & { total: number }

export function tally(outcomes: Outcome[]): Tally {
  const t: Tally = { right: 0, wrong: 0, asked: 0, missed: 0, total: 0 }
  for (const o of outcomes) {
    t[o.verdict]++
    t.total++
  }
  return t
}

/** The area of a label: the topic's area, "command" or "none" (none and unclear). */
export function areaOf(expect: string): string {
  if (expect.startsWith('cmd:')) return 'command'
  if (expect === 'none' || expect === 'unclear') return 'none'
  return realKnowledge().topics.get(expect)?.area ?? '?'
}

/** Tallies per area. */
export function byArea(outcomes: Outcome[]): Record<string, Tally> {
  const areas: Record<string, Outcome[]> = {}
  for (const o of outcomes) (areas[areaOf(o.expect)] ??= []).push(o)
  return Object.fromEntries(Object.entries(areas).map(([area, list]) => [area, tally(list)]))
}

const percent = (n: number, total: number) => `${((n / Math.max(total, 1)) * 100).toFixed(1)}%`

export function formatTally(name: string, t: Tally): string {
  return (
    `  ${name.padEnd(11)} ${String(t.total).padStart(5)}  right ${percent(t.right, t.total).padStart(6)}` +
    `  wrong ${percent(t.wrong, t.total).padStart(5)}  asked ${percent(t.asked, t.total).padStart(5)}` +
    `  missed ${percent(t.missed, t.total).padStart(5)}`
  )
}

/** The table for one part of the corpus: the whole, then each area. */
export function formatPart(name: string, outcomes: Outcome[]): string {
  const lines = [`${name}:`, formatTally('all', tally(outcomes))]
  for (const [area, t] of Object.entries(byArea(outcomes)).sort()) lines.push(formatTally(area, t))
  return lines.join('\n')
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2)
  const out = (s: string) => process.stdout.write(`${s}\n`)
  // `keywords`: the keyword matcher alone, as before the learned reader (for the "before" figures).
  if (args.includes('keywords')) realKnowledge().examples = undefined
  if (args.includes('holdout')) {
    out(formatPart('holdout', await runCorpus(loadHoldout())))
  } else {
    for (const s of unknownLabels()) out(`SKIPPED (no such topic yet) [${s.expect}] ${s.file}`)
    const outcomes = await runCorpus(loadCorpus())
    // Misses of train and dev only: the test split is for reporting, never for tuning.
    for (const o of outcomes.filter((x) => !x.correct && x.split !== 'test')) {
      out(`${o.verdict.toUpperCase()} ${o.split} [${o.expect}] ${o.text}\n     => ${o.got}`)
    }
    for (const split of ['train', 'dev', 'test'] as const)
      out(
        `\n${formatPart(
          split,
          outcomes.filter((o) => o.split === split)
        )}`
      )
    out(`\n${formatPart('all', outcomes)}`)
    // The crisis layer's own corpus: its confusion table per kind, for both halves.
    if (args.includes('crisis'))
      for (const half of ['tune', 'test'] as const) out(`\n${report(half, crisisOutcomes(half))}`)
  }
}
