/**
 * @module dialogs/numbered-prompt
 * A numbered question that waits for its answer, in place of botbuilder's ChoicePrompt (which
 * brings the text recognizers, see dialog-kit.ts). An answer is a choice found by name or synonym
 * with botbuilder's own findChoices ("ja", "hopp over"), or else the first number in the text
 * that is on the list ("2", "nr 2."). Anything else asks again with the retry prompt, unless the
 * turn has already answered. The result is a FoundChoice, as ChoicePrompt gives.
 */
import { ActivityTypes, type TurnContext } from 'botbuilder'
import type {
  Choice,
  DialogContext,
  DialogInstance,
  DialogTurnResult,
  FoundChoice,
  PromptOptions,
} from 'botbuilder-dialogs'
import { Dialog, findChoices } from './dialog-kit.js'

type State = { options: PromptOptions }

export class NumberedPrompt extends Dialog<PromptOptions> {
  async beginDialog(dc: DialogContext, options: PromptOptions = {}): Promise<DialogTurnResult> {
    const state: State = { options }
    dc.activeDialog!.state = state
    await ask(dc.context, options, false)
    return Dialog.EndOfTurn
  }

  async continueDialog(dc: DialogContext): Promise<DialogTurnResult> {
    if (dc.context.activity.type !== ActivityTypes.Message) return Dialog.EndOfTurn
    const { options } = dc.activeDialog!.state as State
    const found = recognizeChoice(dc.context.activity.text ?? '', options.choices ?? [])
    if (found) return dc.endDialog(found)
    if (!dc.context.responded) await ask(dc.context, options, true)
    return Dialog.EndOfTurn
  }

  /** Back from an interruption (a command in the middle): ask the question again. */
  async resumeDialog(dc: DialogContext): Promise<DialogTurnResult> {
    await this.repromptDialog(dc.context, dc.activeDialog!)
    return Dialog.EndOfTurn
  }

  async repromptDialog(context: TurnContext, instance: DialogInstance): Promise<void> {
    await ask(context, (instance.state as State).options, false)
  }
}

async function ask(context: TurnContext, options: PromptOptions, retry: boolean): Promise<void> {
  const prompt = (retry && options.retryPrompt) || options.prompt
  if (prompt) await context.sendActivity(prompt)
}

/** The choice an answer names, or the one its first listed number points at. */
export function recognizeChoice(
  text: string,
  choices: (string | Choice)[]
): FoundChoice | undefined {
  if (!text.trim() || choices.length === 0) return undefined
  const [byName] = findChoices(text, choices).sort((a, b) => a.start - b.start)
  if (byName) return byName.resolution
  for (const [digits] of text.matchAll(/\d+/g)) {
    const index = Number(digits) - 1
    const choice = choices[index]
    if (choice !== undefined) {
      return { value: typeof choice === 'string' ? choice : choice.value, index, score: 1 }
    }
  }
  return undefined
}
