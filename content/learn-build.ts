/**
 * @module content/learn-build
 * `npm run learn:build`: after changing the labelled corpus (test/corpus/*.jsonl), writes the
 * examples the matcher's learned reader is built from: the corpus's train split only (the dev
 * and test splits stay unseen), topics and 'none' (unclear texts count as 'none'); commands and
 * crisis texts are left out, since the learned reader never proposes either. content:check warns
 * and test/corpus fails when the file is out of date.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { loadCorpus } from '../test/corpus/run-corpus.js'
import { contentDir, loadKnowledge, type Knowledge } from './load.js'
import type { LearnedExamples } from './schema.js'

export const examplesFile = join(contentDir, 'learned', 'examples.json')

/** The examples as the corpus gives them now. */
export function trainExamples(knowledge: Knowledge = loadKnowledge()): LearnedExamples {
  const learnable = (label: string) => {
    const topic = knowledge.topics.get(label)
    return label === 'none' || label === 'unclear' || (!!topic && !topic.urgent)
  }
  return {
    source: 'test/corpus/*.jsonl, train split (npm run learn:build)',
    examples: loadCorpus()
      .filter((s) => s.split === 'train' && learnable(s.expect))
      .map((s) => ({ text: s.text, label: s.expect === 'unclear' ? 'none' : s.expect })),
  }
}

/** Whether content/learned/examples.json is what learn:build would write now. */
export function examplesCurrent(knowledge: Knowledge): boolean {
  return JSON.stringify(knowledge.examples) === JSON.stringify(trainExamples(knowledge))
}

export function formatExamples(examples: LearnedExamples): string {
  // One example a line: a diff shows which texts came and went.
  const lines = examples.examples.map((e) => `    ${JSON.stringify(e)}`)
  return `{\n  "source": ${JSON.stringify(examples.source)},\n  "examples": [\n${lines.join(',\n')}\n  ]\n}\n`
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const examples = trainExamples()
  mkdirSync(join(contentDir, 'learned'), { recursive: true })
  writeFileSync(examplesFile, formatExamples(examples))
  process.stdout.write(
    `learn:build: ${examples.examples.length} examples in content/learned/examples.json\n`
  )
}
