/**
 * @module dialogs/choices
 * A numbered choice, shown as buttons where the channel has them (web chat) and as numbered
 * lines on a basic phone. Either way the participant can answer with the number.
 */
import { ActionTypes, MessageFactory, type Activity, type TurnContext } from 'botbuilder'
import { supportsSuggestedActions } from './dialog-kit.js'

export type Choice = { title: string }

/** The message for a question with numbered options; `footer` follows the list. */
export function choiceMessage(
  context: TurnContext,
  text: string,
  choices: Choice[],
  footer?: string
): Partial<Activity> {
  const channelId = context.activity.channelId
  if (supportsSuggestedActions(channelId, choices.length)) {
    const actions = choices.map((c, i) => ({
      type: ActionTypes.ImBack,
      title: `${i + 1} ${c.title}`,
      value: String(i + 1),
    }))
    return MessageFactory.suggestedActions(actions, footer ? `${text}\n\n${footer}` : text)
  }
  const lines = choices.map((c, i) => `${i + 1} ${c.title}`)
  return MessageFactory.text([text, ...lines, ...(footer ? [footer] : [])].join('\n'))
}
