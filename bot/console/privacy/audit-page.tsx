/**
 * @module bot/console/privacy/audit-page
 * Who did what, for coordinators and admins: logins, who opened, answered or closed which
 * conversation (by alias), and which staff accounts an admin changed.
 */
import { Hono } from 'hono'
import { aliasCode } from '../../handoff/alias.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Page } from '../layout.js'
import { isLead, nameOf, timeOf } from '../view.js'

const actions = [
  'open',
  'claim',
  'reply',
  'note',
  'transfer',
  'release',
  'close',
  'login',
  'login-failed',
  'lockout',
  'logout',
  'participant.viewed',
  'participant.exported',
  'participant.deleted',
  'checklists.viewed',
  'content.saved',
  'content.phrase',
  'password.changed',
  'password.check-failed',
  'staff.created',
  'staff.edited',
  'staff.role-changed',
  'staff.reset',
  'staff.unlock',
  'staff.disable',
  'staff.enable',
  'reminders.appointment.create',
  'reminders.appointment.edit',
  'reminders.appointment.cancel',
  'reminders.campaign.create',
  'reminders.campaign.cancel',
  'reminders.import',
  'reminders.person.create',
  'reminders.person.update',
  'reminders.person.open',
  'reminders.person.delete',
  'reach-out',
  'reach-out-failed',
] as const

export function auditRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  app.get('/', async (c) => {
    const v = viewOf(c, deps)
    if (!isLead(v.staff)) return c.text(v.t('refused.role'), 403)
    const entries = await deps.desk.audit.recent(200)
    const t = v.t
    return c.html(
      <Page t={t} language={deps.desk.settings.staffLanguage} title={t('audit.title')} v={v}>
        <h1>{t('audit.title')}</h1>
        {entries.length === 0 ? (
          <p class="empty">{t('audit.none')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('audit.when')}</th>
                <th>{t('audit.who')}</th>
                <th>{t('audit.what')}</th>
                <th>{t('audit.which')}</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((e) => {
                const action = actions.find((a) => a === e.action)
                return (
                  <tr>
                    <td>{timeOf(v, e.at)}</td>
                    <td>{nameOf(v, e.actor)}</td>
                    <td>{action ? t(`audit.action.${action}`) : e.action}</td>
                    <td>
                      {e.participantId
                        ? t('participant.alias', { code: aliasCode(e.participantId) })
                        : e.staffId
                          ? nameOf(v, e.staffId)
                          : ''}
                    </td>
                  </tr>
                )
              })}
            </tbody>
          </table>
        )}
      </Page>
    )
  })
  return app
}
