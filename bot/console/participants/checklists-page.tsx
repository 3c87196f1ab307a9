/**
 * @module bot/console/participants/checklists-page
 * For coordinators and admins: the needs mappings (sjekklister) participants agreed to share,
 * newest first, in words, with the topics the bot suggested. Opening the page is audited.
 */
import { Hono } from 'hono'
import type { Mapping } from '../../../content/schema.js'
import { aliasCode } from '../../handoff/alias.js'
import { suggestionsFor } from '../../../dialogs/mapping-dialog.js'
import type { Knowledge } from '../../../content/load.js'
import type { MappingRecord } from '../../store/schema.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Page } from '../layout.js'
import { ChecklistAnswers } from './checklist-answers.js'
import { isLead, timeOf, type ViewContext } from '../view.js'

export function checklistRoutes(deps: ConsoleDeps, knowledge: Knowledge) {
  const app = new Hono<ConsoleEnv>()
  app.get('/', async (c) => {
    const v = viewOf(c, deps)
    if (!isLead(v.staff)) return c.text(v.t('refused.role'), 403)
    const records = Object.values(deps.store.data.mappings).sort((a, b) => b.at.localeCompare(a.at))
    deps.desk.audit.append({
      at: deps.clock().toISOString(),
      actor: v.staff.id,
      action: 'checklists.viewed',
    })
    await deps.desk.audit.flush()
    const t = v.t
    return c.html(
      <Page t={t} language={deps.desk.settings.staffLanguage} title={t('checklists.title')} v={v}>
        <h1>{t('checklists.title')}</h1>
        <p>{t('checklists.intro')}</p>
        {records.length === 0 ? (
          <p class="empty">{t('checklists.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('checklists.when')}</th>
                <th>{t('checklists.who')}</th>
                <th>{t('checklists.answers')}</th>
                <th>{t('checklists.suggested')}</th>
                <th>{t('checklists.data')}</th>
              </tr>
            </thead>
            <tbody>
              {records.map((r) => (
                <Row
                  v={v}
                  record={r}
                  mapping={knowledge.mapping}
                  knowledge={knowledge}
                  language={deps.desk.settings.staffLanguage}
                />
              ))}
            </tbody>
          </table>
        )}
      </Page>
    )
  })
  return app
}

function Row(props: {
  v: ViewContext
  record: MappingRecord
  mapping: Mapping
  knowledge: Knowledge
  language: 'nb' | 'en'
}) {
  const { v, record, mapping, knowledge, language } = props
  const code = aliasCode(record.participantId)
  return (
    <tr>
      <td>{timeOf(v, record.at)}</td>
      <td>{v.t('participant.alias', { code })}</td>
      <td>
        <ChecklistAnswers v={v} record={record} mapping={mapping} language={language} />
      </td>
      <td>
        {suggestionsFor(mapping, record.answers)
          .map((id) => knowledge.topics.get(id)?.title[language] ?? id)
          .join(', ')}
      </td>
      <td>
        <a href={`/console/participants/${record.participantId}`}>{v.t('chat.person')}</a>{' '}
        <a href={`/console/privacy?q=${code}`}>{v.t('nav.privacy')}</a>
      </td>
    </tr>
  )
}
