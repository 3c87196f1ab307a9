/**
 * @module bot/console/privacy/privacy-page
 * For coordinators and admins: find one participant, see what is stored, download a copy (the
 * right of access) or delete everything (as SLETT does). Every look-up, export and deletion is
 * in the audit log.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { aliasCode } from '../../handoff/alias.js'
import { forgetParticipant } from '../../privacy/forget.js'
import {
  exportParticipant,
  findByNumberOrAlias,
  recordsOf,
} from '../../privacy/participant-data.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Csrf, Page, type Notice } from '../layout.js'
import { isLead, timeOf, type ViewContext } from '../view.js'

const BASE = '/console/privacy'
const DeleteForm = z.object({ confirm: z.literal('yes').optional() })

export function privacyRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  const { store, desk, clock } = deps
  const audit = (c: { get(k: 'staff'): { id: string } }, action: string, participantId: string) =>
    desk.audit.append({
      at: clock().toISOString(),
      actor: c.get('staff').id,
      action,
      participantId,
    })

  app.use('*', async (c, next) => {
    if (!isLead(c.get('staff'))) return c.text(viewOf(c, deps).t('refused.role'), 403)
    await next()
  })

  app.get('/', async (c) => {
    const v = viewOf(c, deps)
    const q = (c.req.query('q') ?? '').slice(0, 40)
    // The alias as the queue shows it, in either staff language ("Deltaker K7M2").
    const labels = (['nb', 'en'] as const).map(
      (language) => (code: string) =>
        deps.translate.console(language)('participant.alias', { code })
    )
    const ids = q ? findByNumberOrAlias(store, q, aliasCode, labels) : []
    for (const id of ids) audit(c, 'participant.viewed', id)
    await desk.audit.flush()
    const notice: Notice | undefined =
      q && ids.length === 0 ? { kind: 'error', text: v.t('privacy.notFound') } : undefined
    return c.html(<PrivacyPage v={v} deps={deps} q={q} ids={ids} notice={notice} />)
  })

  app.get('/:id/export', async (c) => {
    const id = c.req.param('id')
    if (!store.data.participants[id]) return c.text(viewOf(c, deps).t('privacy.notFound'), 404)
    const data = await exportParticipant(store, desk.transcripts, id, clock())
    audit(c, 'participant.exported', id)
    await desk.audit.flush()
    c.header('content-disposition', `attachment; filename="participant-${aliasCode(id)}.json"`)
    return c.json(data)
  })

  app.post('/:id/delete', async (c) => {
    const v = viewOf(c, deps)
    const id = c.req.param('id')
    if (!store.data.participants[id]) return c.text(v.t('privacy.notFound'), 404)
    const form = DeleteForm.safeParse(await c.req.parseBody())
    if (!form.success || form.data.confirm !== 'yes') {
      const notice: Notice = { kind: 'error', text: v.t('privacy.mustConfirm') }
      return c.html(<PrivacyPage v={v} deps={deps} q="" ids={[id]} notice={notice} />, 400)
    }
    const done = await forgetParticipant(
      { store, transcripts: desk.transcripts, audit: desk.audit, clock },
      id,
      c.get('staff').id
    )
    desk.changed()
    const notice: Notice = {
      kind: 'ok',
      text: v.t('privacy.deleted', { records: done.records, messages: done.transcriptLines }),
    }
    return c.html(<PrivacyPage v={v} deps={deps} q="" ids={[]} notice={notice} />)
  })
  return app
}

function PrivacyPage(props: {
  v: ViewContext
  deps: ConsoleDeps
  q: string
  /** Everyone the search found, each shown with their channel before any export or delete. */
  ids: string[]
  notice?: Notice
}) {
  const { v, deps, q, ids } = props
  const t = v.t
  return (
    <Page
      t={t}
      language={deps.desk.settings.staffLanguage}
      title={t('privacy.title')}
      v={v}
      notice={props.notice}
    >
      <h1>{t('privacy.title')}</h1>
      <p>{t('privacy.intro')}</p>
      <form method="get" action={BASE} class="search">
        <label>
          {t('privacy.search')}{' '}
          <input name="q" value={q} autocomplete="off" required maxlength={40} />
        </label>
        <button type="submit">{t('privacy.find')}</button>
      </form>
      {ids.map((id) => (
        <Stored v={v} deps={deps} id={id} />
      ))}
    </Page>
  )
}

function Stored(props: { v: ViewContext; deps: ConsoleDeps; id: string }) {
  const { v, deps, id } = props
  const t = v.t
  const p = deps.store.data.participants[id]!
  const records = recordsOf(deps.store, id)
  const count = Object.values(records).reduce((n, r) => n + Object.keys(r ?? {}).length, 0)
  return (
    <section>
      <h2>{t('privacy.stored', { alias: t('participant.alias', { code: aliasCode(id) }) })}</h2>
      <dl>
        <dt>{t('privacy.channel')}</dt>
        <dd>{t(`channel.${p.channel}`)}</dd>
        <dt>{t('privacy.language')}</dt>
        <dd>{p.language ?? '-'}</dd>
        <dt>{t('privacy.since')}</dt>
        <dd>{timeOf(v, p.createdAt)}</dd>
        <dt>{t('privacy.lastSeen')}</dt>
        <dd>{timeOf(v, p.lastSeenAt)}</dd>
        <dt>{t('privacy.consent')}</dt>
        <dd>
          {p.consent?.given
            ? t('privacy.consentGiven', { when: timeOf(v, p.consent.at) })
            : t('privacy.consentNone')}
        </dd>
        <dt>{t('privacy.optedOut')}</dt>
        <dd>{p.optedOut ? t('privacy.yes') : t('privacy.no')}</dd>
        <dt>{t('privacy.records')}</dt>
        <dd>{count}</dd>
      </dl>
      <p>
        <a class="button" href={`${BASE}/${encodeURIComponent(id)}/export`}>
          {t('privacy.export')}
        </a>
      </p>
      <form method="post" action={`${BASE}/${encodeURIComponent(id)}/delete`} class="danger">
        <Csrf v={v} />
        <label>
          <input type="checkbox" name="confirm" value="yes" required /> {t('privacy.confirm')}
        </label>
        <button type="submit" class="danger">
          {t('privacy.delete')}
        </button>
      </form>
    </section>
  )
}
