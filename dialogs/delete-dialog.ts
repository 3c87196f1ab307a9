/**
 * @module dialogs/delete-dialog
 * SLETT/DELETE: one confirmation, then everything about the participant is deleted and they
 * are told so on the same channel. The next message starts a new, empty conversation.
 */
import {
  ChoicePrompt,
  ComponentDialog,
  ListStyle,
  WaterfallDialog,
  type DialogTurnResult,
  type FoundChoice,
  type WaterfallStepContext,
} from 'botbuilder-dialogs'
import { choiceMessage } from './choices.js'
import { scopeOf } from './scope.js'

export const DELETE_DIALOG = 'delete'
const CONFIRM = 'delete-confirm'

export class DeleteDialog extends ComponentDialog {
  constructor() {
    super(DELETE_DIALOG)
    const prompt = new ChoicePrompt(CONFIRM)
    prompt.style = ListStyle.none
    this.addDialog(
      new WaterfallDialog(`${DELETE_DIALOG}-steps`, [(s) => this.ask(s), (s) => this.act(s)])
    )
    this.addDialog(prompt)
    this.initialDialogId = `${DELETE_DIALOG}-steps`
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t } = scopeOf(step.context)
    return step.prompt(CONFIRM, {
      prompt: choiceMessage(step.context, t('privacy.deleteConfirm'), [
        { title: t('privacy.deleteYes') },
        { title: t('privacy.deleteNo') },
      ]),
      retryPrompt: choiceMessage(step.context, t('privacy.deleteConfirm'), [
        { title: t('privacy.deleteYes') },
        { title: t('privacy.deleteNo') },
      ]),
      choices: [
        { value: 'yes', synonyms: ['ja', 'yes', 'slett', 'delete', 'ja slett', 'yes delete'] },
        { value: 'no', synonyms: ['nei', 'no', 'avbryt', 'cancel', 'ikke'] },
      ],
    })
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, services, participant } = scopeOf(step.context)
    if ((step.result as FoundChoice).value !== 'yes') {
      await step.context.sendActivity(t('privacy.notDeleted'))
      return step.endDialog()
    }
    await services.forgetParticipant(step.context, participant)
    await step.context.sendActivity(t('privacy.deleted'))
    return step.endDialog()
  }
}
