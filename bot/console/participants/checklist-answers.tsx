/**
 * @module bot/console/participants/checklist-answers
 * A shared checklist (needs mapping) in words: each question and the answer chosen.
 */
import type { Mapping } from '../../../content/schema.js'
import type { MappingRecord } from '../../store/schema.js'
import type { ViewContext } from '../view.js'

export function ChecklistAnswers(props: {
  v: ViewContext
  record: MappingRecord
  mapping: Mapping
  language: 'nb' | 'en'
}) {
  const { v, record, mapping, language } = props
  return (
    <ul>
      {mapping.questions.map((q) => {
        const option = q.options.find((o) => o.id === record.answers[q.id])
        return (
          <li>
            {q.question[language]}{' '}
            <strong>{option ? option.title[language] : v.t('checklists.skipped')}</strong>
          </li>
        )
      })}
    </ul>
  )
}
