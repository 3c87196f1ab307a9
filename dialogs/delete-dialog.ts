/**
 * @module dialogs/delete-dialog
 * SLETT/DELETE: one confirmation, then everything about the participant is deleted and they
 * are told so on the same channel (by the bot, once the deletion is on disk). The next message starts a new, empty conversation.
 */
import type { DialogTurnResult, FoundChoice, WaterfallStepContext } from 'botbuilder-dialogs'
import { ChoiceTaskDialog } from './choice-task.js'
import { scopeOf } from './scope.js'

export const DELETE_DIALOG = 'delete'

export class DeleteDialog extends ChoiceTaskDialog {
  constructor() {
    super(DELETE_DIALOG)
  }

  protected steps() {
    return [(s: WaterfallStepContext) => this.ask(s), (s: WaterfallStepContext) => this.act(s)]
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t } = scopeOf(step.context)
    return this.askYesNo(
      step,
      t('privacy.deleteConfirm'),
      t('privacy.deleteYes'),
      t('privacy.deleteNo')
    )
  }

  private async act(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, services, participant } = scopeOf(step.context)
    if ((step.result as FoundChoice).value !== 'yes') {
      await step.context.sendActivity(t('privacy.notDeleted'))
      return step.endDialog()
    }
    // The bot deletes after the turn and says "deleted" only once everything is gone.
    await services.forgetParticipant(step.context, participant)
    return step.endDialog()
  }
}
