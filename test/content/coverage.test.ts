import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { realKnowledge } from '../helpers/make-app.js'
import { loadCorpus, runCorpus } from '../corpus/run-corpus.js'

const corpusDir = join(import.meta.dirname, '..', 'corpus')

/** Labelled texts per expected topic, from every corpus file (the held-out split included). */
function labelled(): Map<string, number> {
  const counts = new Map<string, number>()
  const files = readdirSync(corpusDir).filter((f) => f.endsWith('.jsonl'))
  files.push(...readdirSync(join(corpusDir, 'holdout')).map((f) => join('holdout', f)))
  for (const file of files) {
    for (const line of readFileSync(join(corpusDir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue
      const { expect: id } = JSON.parse(line) as { expect: string }
      counts.set(id, (counts.get(id) ?? 0) + 1)
    }
  }
  return counts
}

describe('what the bot covers', () => {
  it('Should know at least 70 topics, each non-crisis topic with at least 5 labelled texts', () => {
    const topics = [...realKnowledge().topics.values()]
    expect(topics.length).toBeGreaterThanOrEqual(70)
    const counts = labelled()
    const thin = topics
      .filter((t) => !t.urgent && (counts.get(t.id) ?? 0) < 5)
      .map((t) => `${t.id}: ${counts.get(t.id) ?? 0}`)
    expect(thin).toEqual([])
  })

  it('Should reach every topic of the first weeks from texts people write', async () => {
    const outcomes = await runCorpus(loadCorpus(['new-topics.jsonl']))
    const byTopic = new Map<string, { correct: number; total: number }>()
    for (const o of outcomes) {
      const t = byTopic.get(o.expect) ?? { correct: 0, total: 0 }
      t.total++
      if (o.correct) t.correct++
      byTopic.set(o.expect, t)
    }
    const weak = [...byTopic].filter(([, t]) => t.correct < 4).map(([id]) => id)
    expect(weak).toEqual([])
    const correct = outcomes.filter((o) => o.correct).length
    expect(correct / outcomes.length).toBeGreaterThanOrEqual(0.9)
  }, 120_000)
})
