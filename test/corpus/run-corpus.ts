/**
 * Runs labelled texts through the real SMS webhook (signed, one fresh number each) and reads
 * what the bot understood from its `turn.understood` log event. `npm run corpus` prints the
 * misses; test/corpus.test.ts holds the bar.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { makeApp, realKnowledge } from '../helpers/make-app.js'
import { inboundForm, messagesOf, signedPost } from '../helpers/twilio.js'
import { crisisOutcomes, report } from '../crisis/run-crisis.js'

export type Sample = { text: string; expect: string; file: string }
export type Outcome = Sample & { got: string; correct: boolean; clarified: boolean; reply: string }

const dir = import.meta.dirname

export function loadCorpus(files = ['nb.jsonl', 'en.jsonl', 'mixed.jsonl']): Sample[] {
  return files.flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => ({ ...(JSON.parse(l) as { text: string; expect: string }), file }))
  )
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
      const correct =
        got === sample.expect ||
        (clarified && String(event.what).split('|').includes(sample.expect))
      outcomes.push({ ...sample, got, correct, clarified, reply })
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

/** Accuracy per area (topic area, "command" or "none"). */
export function byArea(outcomes: Outcome[]): Record<string, { correct: number; total: number }> {
  const topics = realKnowledge().topics
  const areas: Record<string, { correct: number; total: number }> = {}
  for (const o of outcomes) {
    const area = o.expect.startsWith('cmd:')
      ? 'command'
      : o.expect === 'none'
        ? 'none'
        : (topics.get(o.expect)?.area ?? '?')
    const a = (areas[area] ??= { correct: 0, total: 0 })
    a.total++
    if (o.correct) a.correct++
  }
  return areas
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const files = process.argv.slice(2)
  const outcomes = await runCorpus(loadCorpus(files.length ? files : undefined))
  for (const o of outcomes.filter((x) => !x.correct)) {
    process.stdout.write(`MISS [${o.expect}] ${o.text}\n     => ${o.got}\n`)
  }
  const correct = outcomes.filter((o) => o.correct).length
  process.stdout.write(
    `\n${correct}/${outcomes.length} correct (${((correct / outcomes.length) * 100).toFixed(1)}%), ${outcomes.filter((o) => o.clarified).length} answered with a choice\n`
  )
  for (const [area, a] of Object.entries(byArea(outcomes))) {
    process.stdout.write(
      `  ${area.padEnd(11)} ${a.correct}/${a.total} (${((a.correct / a.total) * 100).toFixed(1)}%)\n`
    )
  }
  // The crisis layer's own corpus: its confusion table per kind, for both halves.
  if (files.length === 0)
    for (const half of ['tune', 'test'] as const)
      process.stdout.write(`\n${report(half, crisisOutcomes(half))}\n`)
}
