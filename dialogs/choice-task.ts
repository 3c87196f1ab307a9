/**
 * @module dialogs/choice-task
 * The shape of every small multi-turn task (checklist, consent, SLETT, reminder replies): a
 * waterfall of steps and one numbered prompt. The prompt appends no list of its own:
 * the steps render choices with choiceMessage (buttons on web chat, numbered lines on SMS).
 */
import type { DialogTurnResult, WaterfallStep, WaterfallStepContext } from 'botbuilder-dialogs'
import { choiceMessage } from './choices.js'
import { ComponentDialog, WaterfallDialog } from './dialog-kit.js'
import { NumberedPrompt } from './numbered-prompt.js'

/** Yes and no as people text them, in both languages at once. */
export const yesNo = [
  {
    value: 'yes',
    synonyms: [
      'ja',
      'jaa',
      'jada',
      'jo',
      'yes',
      'y',
      'yeah',
      'yep',
      'jepp',
      'ok',
      'okei',
      'okay',
      'javisst',
      'gjerne',
      'sure',
      'lagre',
      'save',
    ],
  },
  {
    value: 'no',
    // Not "cancel": Twilio takes it as an opt-out (content/reserved-words.ts).
    synonyms: ['nei', 'neei', 'no', 'nope', 'nah', 'ikke', 'niks', 'avbryt'],
  },
]

export abstract class ChoiceTaskDialog extends ComponentDialog {
  protected readonly choiceId: string

  constructor(id: string) {
    super(id)
    this.choiceId = `${id}-choice`
    this.addDialog(new WaterfallDialog(`${id}-steps`, this.steps())).addDialog(
      new NumberedPrompt(this.choiceId)
    )
    this.initialDialogId = `${id}-steps`
  }

  /** The task's steps, in order. */
  protected abstract steps(): WaterfallStep[]

  /** A numbered yes/no question; the answer arrives as a FoundChoice with value 'yes' or 'no'. */
  protected askYesNo(
    step: WaterfallStepContext,
    text: string,
    yes: string,
    no: string
  ): Promise<DialogTurnResult> {
    const question = choiceMessage(step.context, text, [{ title: yes }, { title: no }])
    return step.prompt(this.choiceId, { prompt: question, retryPrompt: question, choices: yesNo })
  }
}
