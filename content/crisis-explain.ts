/**
 * @module content/crisis-explain
 * `npm run crisis:explain -- "text" ...`: what the crisis layer makes of a text, and every
 * pattern, exclusion and model reading behind it. For whoever writes or checks the patterns.
 */
import { commandsFile } from './commands.js'
import { loadKnowledge } from './load.js'
import { createUnderstanding } from '../dialogs/understand.js'

const { crisis } = createUnderstanding(loadKnowledge(), commandsFile())
for (const text of process.argv.slice(2)) {
  const { signal, trace } = crisis.explain(text)
  process.stdout.write(`${JSON.stringify(text)}\n  => ${signal.level} ${signal.kind ?? ''}\n`)
  for (const line of trace) process.stdout.write(`     ${line}\n`)
}
