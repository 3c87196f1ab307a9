/**
 * @module dialogs/mapping-dialog
 * The needs mapping (kartlegging): one numbered question for each of the five areas the Asker
 * prison team maps before release. Every question can be skipped; answers so far are kept in
 * conversation state, so KARTLEGG after an interruption carries on where it stopped. At the end
 * the participant chooses whether a coordinator may see the answers, then gets the topics that fit.
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
import type { Mapping } from '../content/schema.js'
import { choiceMessage } from './choices.js'
import { scopeOf } from './scope.js'

export const MAPPING_DIALOG = 'mapping'
const CHOICE = 'mapping-choice'
const SKIP = 'skip'

/** What the router shows when the mapping ends. */
export type MappingResult = { saved: boolean; suggestions: string[] }

export class MappingDialog extends ComponentDialog {
  constructor(private readonly mapping: Mapping) {
    super(MAPPING_DIALOG)
    const prompt = new ChoicePrompt(CHOICE)
    prompt.style = ListStyle.none
    const steps = mapping.questions.flatMap((_, i) => [
      (step: WaterfallStepContext) => this.ask(step, i),
      (step: WaterfallStepContext) => this.record(step, i),
    ])
    this.addDialog(
      new WaterfallDialog(`${MAPPING_DIALOG}-steps`, [
        (step) => this.intro(step),
        ...steps,
        (step) => this.askConsent(step),
        (step) => this.finish(step),
      ])
    ).addDialog(prompt)
    this.initialDialogId = `${MAPPING_DIALOG}-steps`
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
    return step.prompt(CHOICE, {
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
    return step.prompt(CHOICE, {
      prompt: choiceMessage(step.context, text, [
        { title: t('mapping.yes') },
        { title: t('mapping.no') },
      ]),
      choices: [
        { value: 'yes', synonyms: ['ja', 'yes', 'jepp', 'ok', 'lagre', 'save'] },
        { value: 'no', synonyms: ['nei', 'no', 'nope', 'ikke'] },
      ],
    })
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
