/**
 * @module dialogs/mapping-dialog
 * The needs mapping (kartlegging): one numbered question for each of the five areas the Asker
 * prison team maps before release. Every question can be skipped; answers so far are kept in
 * conversation state, so KARTLEGG after an interruption carries on where it stopped. At the end
 * the participant chooses whether a coordinator may see the answers, then gets the topics that fit.
 */
import type {
  DialogTurnResult,
  FoundChoice,
  WaterfallStep,
  WaterfallStepContext,
} from 'botbuilder-dialogs'
import type { Mapping } from '../content/schema.js'
import { ChoiceTaskDialog } from './choice-task.js'
import { choiceMessage } from './choices.js'
import { scopeOf } from './scope.js'

export const MAPPING_DIALOG = 'mapping'
const SKIP = 'skip'

/** What the router shows when the mapping ends. */
export type MappingResult = { saved: boolean; suggestions: string[] }

export class MappingDialog extends ChoiceTaskDialog {
  constructor(private readonly mapping: Mapping) {
    super(MAPPING_DIALOG)
  }

  protected steps(): WaterfallStep[] {
    // Called from the base constructor, before `mapping` is set: the steps read it when they run.
    const questions = [0, 1, 2, 3, 4].flatMap((i) => [
      (step: WaterfallStepContext) => this.ask(step, i),
      (step: WaterfallStepContext) => this.record(step, i),
    ])
    return [
      (step) => this.intro(step),
      ...questions,
      (step) => this.askConsent(step),
      (step) => this.finish(step),
    ]
  }

  private async intro(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, services } = scopeOf(step.context)
    const draft = await services.mappingDraft(step.context)
    if (Object.keys(draft).length === 0) await step.context.sendActivity(t('mapping.intro'))
    return step.next()
  }

  private async ask(step: WaterfallStepContext, index: number): Promise<DialogTurnResult> {
    const { t, language, services } = scopeOf(step.context)
    const question = this.mapping.questions[index]!
    const draft = await services.mappingDraft(step.context)
    if (draft[question.id]) return step.next({ resumed: true })
    const titles = [...question.options.map((o) => o.title[language]), t('mapping.skip')]
    return step.prompt(this.choiceId, {
      prompt: choiceMessage(
        step.context,
        question.question[language],
        titles.map((title) => ({ title }))
      ),
      choices: [
        ...question.options.map((o) => ({ value: o.id, synonyms: [o.title.nb, o.title.en] })),
        { value: SKIP, synonyms: ['hopp', 'hopp over', 'skip', 'pass', 'vet ikke', "don't know"] },
      ],
    })
  }

  private async record(step: WaterfallStepContext, index: number): Promise<DialogTurnResult> {
    const { services } = scopeOf(step.context)
    const choice = step.result as FoundChoice | { resumed: true }
    if ('value' in choice) {
      const draft = await services.mappingDraft(step.context)
      draft[this.mapping.questions[index]!.id] = choice.value
    }
    return step.next()
  }

  private async askConsent(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, services } = scopeOf(step.context)
    const draft = await services.mappingDraft(step.context)
    const answered = Object.values(draft).some((v) => v !== SKIP)
    if (!answered) return step.next({ value: 'no' })
    const text = t('mapping.consent', { days: services.retentionDays })
    return this.askYesNo(step, text, t('mapping.yes'), t('mapping.no'))
  }

  private async finish(step: WaterfallStepContext): Promise<DialogTurnResult> {
    const { t, services, participant } = scopeOf(step.context)
    const draft = { ...(await services.mappingDraft(step.context)) }
    const saved = (step.result as FoundChoice).value === 'yes'
    if (saved) {
      services.saveMapping(
        participant,
        draft,
        t('mapping.consent', { days: services.retentionDays })
      )
      await step.context.sendActivity(t('mapping.saved'))
    } else if (Object.keys(draft).length > 0) {
      await step.context.sendActivity(t('mapping.notSaved'))
    }
    await services.clearMappingDraft(step.context)
    const result: MappingResult = { saved, suggestions: suggestionsFor(this.mapping, draft) }
    return step.endDialog(result)
  }
}

/** The topics that fit the answers, most urgent area first, at most four. */
export function suggestionsFor(mapping: Mapping, answers: Record<string, string>): string[] {
  const ids = mapping.questions.flatMap(
    (q) => q.options.find((o) => o.id === answers[q.id])?.suggests ?? []
  )
  return [...new Set(ids)].slice(0, 4)
}
