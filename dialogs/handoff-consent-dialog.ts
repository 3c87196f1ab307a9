/**
 * @module dialogs/handoff-consent-dialog
 * Before a person reads the chat, the participant agrees in one short yes/no question. The answer
 * is stored with its time, channel and the wording they saw; a yes opens the handoff.
 */
import type { DialogTurnResult, FoundChoice, WaterfallStepContext } from 'botbuilder-dialogs'
import { ChoiceTaskDialog } from './choice-task.js'
import { checkedHandoff } from './crisis-check.js'
import { handoffNotice } from './handoff-notice.js'
import { scopeOf } from './scope.js'

export const HANDOFF_CONSENT_DIALOG = 'handoff-consent'

export class HandoffConsentDialog extends ChoiceTaskDialog {
  constructor() {
    super(HANDOFF_CONSENT_DIALOG)
  }

  protected steps() {
    return [(s: WaterfallStepContext) => this.ask(s), (s: WaterfallStepContext) => this.finish(s)]
  }

  private consentText(step: WaterfallStepContext): string {
    const { t, services } = scopeOf(step.context)
    return t('handoff.consent', { days: services.retentionDays })
  }

  private async ask(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t } = scopeOf(step.context)
    return this.askYesNo(step, this.consentText(step), t('handoff.yes'), t('handoff.no'))
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, language, services, participant } = scopeOf(step.context)
    const given = (step.result as FoundChoice).value === 'yes'
    services.handoff.recordConsent(participant, given, this.consentText(step))
    if (!given) {
      await step.context.sendActivity(t('handoff.declined'))
      return step.endDialog()
    }
    // A crisis check came while this question was open: the chat it opens is urgent.
    const { pendingCheck } = scopeOf(step.context)
    if (pendingCheck) {
      await step.context.sendActivity((await checkedHandoff(step.context, pendingCheck)).message)
      return step.endDialog()
    }
    const availability = await services.handoff.request(participant, 'human', '')
    await step.context.sendActivity(handoffNotice(t, language, availability, 'human'))
    return step.endDialog()
  }
}
