/**
 * @module dialogs/reminder-reply-dialog
 * When reminders of several appointments went out together and the participant answers "1" or
 * "2", one numbered question finds out which appointment the answer is about.
 */
import type { DialogTurnResult, FoundChoice, WaterfallStepContext } from 'botbuilder-dialogs'
import type { AwaitingReply } from '../bot/reminders/reply-services.js'
import { choiceMessage } from './choices.js'
import { ComponentDialog, WaterfallDialog } from './dialog-kit.js'
import { NumberedPrompt } from './numbered-prompt.js'
import { scopeOf } from './scope.js'

export const REMINDER_REPLY_DIALOG = 'reminder-reply'
const CHOICE = 'reminder-reply-choice'

export type ReminderReplyOptions = { kind: 'coming' | 'new-time'; ids: string[] }

/** The appointments in the order they were offered, so the number maps back. */
type StepValues = { ids?: string[] }

export class ReminderReplyDialog extends ComponentDialog {
  constructor() {
    super(REMINDER_REPLY_DIALOG)
    this.addDialog(
      new WaterfallDialog(`${REMINDER_REPLY_DIALOG}-steps`, [
        (step) => this.ask(step),
        (step) => this.finish(step),
      ])
    ).addDialog(new NumberedPrompt(CHOICE))
    this.initialDialogId = `${REMINDER_REPLY_DIALOG}-steps`
  }

  private candidates(step: WaterfallStepContext): AwaitingReply[] {
    const { services, participant } = scopeOf(step.context)
    const { ids } = step.options as ReminderReplyOptions
    return (services.reminders?.awaiting(participant) ?? []).filter((a) =>
      ids.includes(a.appointmentId)
    )
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { services, participant } = scopeOf(step.context)
    const candidates = this.candidates(step)
    if (!services.reminders || candidates.length === 0) return step.endDialog()
    const language = participant.language ?? candidates[0]!.language
    const t = services.reminders.t(language)
    const titles = candidates.map((a) => ({ title: services.reminders!.label(a, language) }))
    const values: StepValues = step.values
    values.ids = candidates.map((a) => a.appointmentId)
    return step.prompt(CHOICE, {
      prompt: choiceMessage(step.context, t('reply.which'), titles),
      choices: candidates.map((a) => a.appointmentId),
    })
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { services, participant, language } = scopeOf(step.context)
    const { kind } = step.options as ReminderReplyOptions
    // The language they were asked in, even if this turn's default differs.
    const ids = (step.values as StepValues).ids ?? []
    const id = ids[(step.result as FoundChoice).index]
    if (services.reminders && id) {
      services.reminders.answer(participant, id, kind, step.context.activity.text ?? '')
      const t = services.reminders.t(participant.language ?? language)
      await step.context.sendActivity(t(kind === 'coming' ? 'reply.coming' : 'reply.newTime'))
    }
    return step.endDialog()
  }
}
