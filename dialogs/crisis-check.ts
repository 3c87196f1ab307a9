/**
 * @module dialogs/crisis-check
 * A possible crisis signal (one weak cue, or crisis words in a setting that may be harmless)
 * gets a short check that names the 24/7 line and offers a person now ("svar JA"). The answer
 * is read on the next message: yes opens an urgent chat, no is respected, and anything else is
 * a new question and the check is dropped.
 */
import type { TurnContext } from 'botbuilder'
import type { CrisisKind } from '../content/schema.js'
import { yesNo } from './choice-task.js'
import type { CrisisSignal } from './crisis.js'
import { crisisHandoff } from './handoff-gate.js'
import { words } from './normalize.js'
import { say, type Reply } from './replies.js'
import { scopeOf } from './scope.js'

/** Kept in the router's state between the check and its answer. */
export type PendingCheck = { kinds: CrisisKind[]; cues: string[]; text: string }

/** The check for a possible signal, and what to remember until the answer. */
export function crisisCheck(
  context: TurnContext,
  signal: CrisisSignal
): Reply & { pending: PendingCheck } {
  const { language, services } = scopeOf(context)
  const kind = signal.kind ?? 'suicide'
  services.noteCrisisCheck(kind)
  return {
    ...say(services.understanding.crisisKind(kind).check[language]),
    pending: { kinds: signal.kinds, cues: signal.cues, text: context.activity.text ?? '' },
  }
}

/** The answer to a check: a reply for yes or no, or undefined when the text is something else. */
export async function answerCheck(
  context: TurnContext,
  pending: PendingCheck
): Promise<Reply | undefined> {
  const { t, services } = scopeOf(context)
  const answer = plainAnswer(context.activity.text ?? '')
  if (answer === 'no') return say(t('crisis.declined'))
  if (answer !== 'yes') return undefined
  return checkedHandoff(context, pending)
}

/**
 * An urgent chat for what was checked: after JA, or after a yes to the consent question that was
 * open when the check came. The person who takes it sees the words that were checked.
 */
export function checkedHandoff(context: TurnContext, pending: PendingCheck): Promise<Reply> {
  const { services } = scopeOf(context)
  const kind = pending.kinds[0] ?? 'suicide'
  const signal: CrisisSignal = {
    level: 'possible',
    kind,
    kinds: pending.kinds,
    cues: pending.cues,
    signs: [],
  }
  return crisisHandoff(context, services.understanding.crisisTopic(kind), signal, pending.text)
}

/**
 * A yes or a no only when that is all the text says ("ja!", "nei takk"): after "are you in
 * danger?", "vet ikke" or "ja men ..." is not a clear answer, and is read as a new message.
 */
function plainAnswer(text: string): string | undefined {
  const said = words(text).filter((w) => !polite.has(w))
  if (said.length !== 1) return undefined
  if (said[0] === 'j') return 'yes' // "j" for "ja", as on a small keyboard
  return yesNo.find((c) => c.synonyms.includes(said[0]!))?.value
}

const polite = new Set(['takk', 'thanks', 'thank', 'you', 'please', 'plis', 'pls'])
