/**
 * @module bot/console/reminders/campaigns
 * Campaigns: one form with a preview (each language's final SMS, its encoding and segments, who
 * gets it and who is skipped and why, and when it really goes given quiet hours); scheduling
 * only from a preview without errors; then a page whose progress updates itself while it sends.
 */
import { Hono, type Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import { campaignProgress, cancelCampaign } from '../../reminders/campaign-progress.js'
import {
  CampaignInput,
  createCampaign,
  previewCampaign,
  type CampaignPreview,
} from '../../reminders/campaigns.js'
import type { Reminders } from '../../reminders/service.js'
import type { ConsoleDeps, ConsoleEnv } from '../context.js'
import type { Notice } from '../layout.js'
import { CampaignForm, draftOf, emptyDraft, fingerprint, type Draft } from './campaign-form.js'
import { CampaignCard } from './progress.js'
import { BASE, RemindersPage, remViewOf, streamLive, type RemView } from './view.js'

export function campaignRoutes(deps: ConsoleDeps, reminders: Reminders) {
  const app = new Hono<ConsoleEnv>()
  const rvOf = (c: Context<ConsoleEnv>) => remViewOf(c, deps, reminders)
  const formPage = (
    c: Context<ConsoleEnv>,
    rv: RemView,
    draft: Draft,
    preview?: CampaignPreview,
    notice?: Notice,
    status: 200 | 400 = 200
  ) =>
    c.html(
      <RemindersPage rv={rv} title={rv.r('console.campaign.title')} notice={notice}>
        <h1>{rv.r('console.campaign.title')}</h1>
        <CampaignForm rv={rv} draft={draft} preview={preview} />
      </RemindersPage>,
      status
    )
  /** The form as the campaign's input, or the page again with what is wrong. */
  const parse = async (c: Context<ConsoleEnv>) => {
    const form = await c.req.parseBody({ all: true })
    const draft = draftOf(form)
    return {
      draft,
      parsed: CampaignInput.safeParse(draft),
      previewed: String(form.previewed ?? ''),
    }
  }

  /** Shows the form again, with its error, when it does not parse. */
  const unnamed = (
    c: Parameters<typeof formPage>[0],
    rv: RemView,
    draft: Parameters<typeof formPage>[2]
  ) => formPage(c, rv, draft, undefined, { kind: 'error', text: rv.r('console.error.name') }, 400)

  app.get('/new', (c) => formPage(c, rvOf(c), emptyDraft))
  app.post('/preview', async (c) => {
    const rv = rvOf(c)
    const { draft, parsed } = await parse(c)
    if (!parsed.success) return unnamed(c, rv, draft)
    return formPage(c, rv, draft, previewCampaign(reminders.deps, parsed.data, rv.now))
  })
  app.post('/', async (c) => {
    const rv = rvOf(c)
    const { draft, parsed, previewed } = await parse(c)
    if (!parsed.success) return unnamed(c, rv, draft)
    // What is sent is exactly what was previewed: a change since then shows the preview again.
    if (previewed !== fingerprint(draft)) {
      const preview = previewCampaign(reminders.deps, parsed.data, rv.now)
      const notice: Notice = { kind: 'error', text: rv.r('console.campaign.changed') }
      return formPage(c, rv, draft, preview, notice, 400)
    }
    const id = reminders.newId('cmp')
    const made = await reminders.commit(() =>
      createCampaign(reminders.deps, parsed.data, { now: rv.now, by: rv.staff.id, id })
    )
    if (!made.ok) return formPage(c, rv, draft, made.preview, undefined, 400)
    deps.desk.audit.append({
      at: rv.now.toISOString(),
      actor: rv.staff.id,
      action: 'reminders.campaign.create',
      detail: id,
    })
    await deps.desk.audit.flush()
    return c.redirect(`${BASE}/campaigns/${id}`, 303)
  })
  app.get('/:id', (c) => {
    const rv = rvOf(c)
    const campaign = deps.store.data.campaigns[c.req.param('id')]
    if (!campaign) return c.text(rv.r('console.error.not-found'), 404)
    const progress = campaignProgress(deps.store).get(campaign.id)!
    return c.html(
      <RemindersPage rv={rv} title={campaign.name}>
        <h1>{campaign.name}</h1>
        <section id="live" data-live={`${BASE}/campaigns/${campaign.id}/events`} aria-live="polite">
          <CampaignCard rv={rv} campaign={campaign} progress={progress} detail />
        </section>
      </RemindersPage>
    )
  })
  app.get('/:id/events', (c) => {
    const campaign = deps.store.data.campaigns[c.req.param('id')]
    if (!campaign) return c.text('', 404)
    return streamSSE(c, (stream) =>
      streamLive(reminders, stream, () => {
        const progress = campaignProgress(deps.store).get(campaign.id)!
        return (
          <CampaignCard
            rv={rvOf(c)}
            campaign={deps.store.data.campaigns[campaign.id] ?? campaign}
            progress={progress}
            detail
          />
        ).toString()
      })
    )
  })
  app.post('/:id/cancel', async (c) => {
    const rv = rvOf(c)
    const id = c.req.param('id')
    if (!deps.store.data.campaigns[id]) return c.text(rv.r('console.error.not-found'), 404)
    await reminders.commit(() => cancelCampaign(deps.store, id, rv.now))
    deps.desk.audit.append({
      at: rv.now.toISOString(),
      actor: rv.staff.id,
      action: 'reminders.campaign.cancel',
      detail: id,
    })
    await deps.desk.audit.flush()
    return c.redirect(`${BASE}/campaigns/${id}`, 303)
  })
  return app
}
