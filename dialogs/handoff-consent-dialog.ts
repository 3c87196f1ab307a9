/**
 * @module dialogs/handoff-consent-dialog
 * Before a person reads the chat, the participant agrees in one short yes/no question. The answer
 * is stored with its time, channel and the wording they saw; a yes opens the handoff.
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
import { handoffNotice } from './handoff-notice.js'
import { scopeOf } from './scope.js'

export const HANDOFF_CONSENT_DIALOG = 'handoff-consent'
const CHOICE = 'handoff-consent-choice'

export class HandoffConsentDialog extends ComponentDialog {
  constructor() {
    super(HANDOFF_CONSENT_DIALOG)
    const prompt = new ChoicePrompt(CHOICE)
    prompt.style = ListStyle.none
    this.addDialog(
      new WaterfallDialog(`${HANDOFF_CONSENT_DIALOG}-steps`, [
        (step) => this.ask(step),
        (step) => this.finish(step),
      ])
    ).addDialog(prompt)
    this.initialDialogId = `${HANDOFF_CONSENT_DIALOG}-steps`
  }

  private consentText(step: WaterfallStepContext): string {
    const { t, services } = scopeOf(step.context)
    return t('handoff.consent', { days: services.retentionDays })
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t } = scopeOf(step.context)
    return step.prompt(CHOICE, {
      prompt: choiceMessage(step.context, this.consentText(step), [
        { title: t('handoff.yes') },
        { title: t('handoff.no') },
      ]),
      choices: [
        { value: 'yes', synonyms: ['ja', 'yes', 'jepp', 'ok', 'javisst', 'gjerne', 'sure'] },
        { value: 'no', synonyms: ['nei', 'no', 'nope', 'ikke', 'niks'] },
      ],
    })
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, language, services, participant } = scopeOf(step.context)
    const given = (step.result as FoundChoice).value === 'yes'
    services.handoff.recordConsent(participant, given, this.consentText(step))
    if (!given) {
      await step.context.sendActivity(t('handoff.declined'))
      return step.endDialog()
    }
    const availability = await services.handoff.request(participant, 'human', '')
    await step.context.sendActivity(handoffNotice(t, language, availability, 'human'))
    return step.endDialog()
  }
}
