/**
 * @module bot/console/reminders-campaigns
 * Campaigns: one form with a preview (each language's final SMS, its encoding and segments, who
 * gets it and who is skipped and why, and when it really goes given quiet hours); scheduling
 * only from a preview without errors; then a page whose progress updates itself while it sends.
 */
import { createHash } from 'node:crypto'
import { Hono, type Context } from 'hono'
import { streamSSE } from 'hono/streaming'
import {
  CampaignInput,
  campaignProgress,
  cancelCampaign,
  createCampaign,
  previewCampaign,
  type CampaignPreview,
} from '../reminders/campaigns.js'
import { knownGroups, listPeople } from '../reminders/people.js'
import type { Reminders } from '../reminders/service.js'
import type { ConsoleDeps, ConsoleEnv } from './context.js'
import { Csrf, type Notice } from './layout.js'
import { CampaignCard } from './reminders-progress.js'
import {
  BASE,
  RemindersPage,
  remViewOf,
  streamLive,
  whenOf,
  type RemView,
} from './reminders-view.js'

type Draft = Record<
  'name' | 'textNb' | 'textEn' | 'language' | 'when' | 'date' | 'time',
  string
> & {
  groups: string[]
}

const emptyDraft: Draft = {
  name: '',
  textNb: '',
  textEn: '',
  language: '',
  when: 'now',
  date: '',
  time: '',
  groups: [],
}

function CampaignForm(props: { rv: RemView; draft: Draft; preview?: CampaignPreview }) {
  const { rv, draft, preview } = props
  const r = rv.r
  const members = (g: string) => listPeople(rv.store).filter((p) => p.groups.includes(g)).length
  return (
    <form method="post" action={`${BASE}/campaigns/preview`} class="panel form-grid">
      <Csrf v={rv} />
      <div class="wide">
        <label for="c-name">{r('console.campaign.name')}</label>
        <input id="c-name" name="name" value={draft.name} maxlength={80} required />
      </div>
      <div>
        <label for="c-nb">{r('console.campaign.textNb')}</label>
        <textarea id="c-nb" name="textNb" rows={5} maxlength={1000}>
          {draft.textNb}
        </textarea>
      </div>
      <div>
        <label for="c-en">{r('console.campaign.textEn')}</label>
        <textarea id="c-en" name="textEn" rows={5} maxlength={1000}>
          {draft.textEn}
        </textarea>
      </div>
      <fieldset>
        <legend>{r('console.campaign.groups')}</legend>
        {knownGroups(rv.store).map((g) => (
          <label class="check">
            <input type="checkbox" name="groups" value={g} checked={draft.groups.includes(g)} />{' '}
            {r('console.campaign.group', { group: g, count: members(g) })}
          </label>
        ))}
        <p class="hint">{r('console.campaign.groupsHint')}</p>
        <label for="c-language">{r('console.campaign.language')}</label>
        <select id="c-language" name="language">
          <option value="" selected={!draft.language}>
            {r('console.campaign.anyLanguage')}
          </option>
          <option value="nb" selected={draft.language === 'nb'}>
            {r('console.language.nb')}
          </option>
          <option value="en" selected={draft.language === 'en'}>
            {r('console.language.en')}
          </option>
        </select>
      </fieldset>
      <fieldset>
        <legend>{r('console.campaign.when')}</legend>
        <label class="check">
          <input type="radio" name="when" value="now" checked={draft.when !== 'at'} />{' '}
          {r('console.campaign.now')}
        </label>
        <label class="check">
          <input type="radio" name="when" value="at" checked={draft.when === 'at'} />{' '}
          {r('console.campaign.at')}
        </label>
        <div class="row">
          <div>
            <label for="c-date">{r('console.appointment.date')}</label>
            <input id="c-date" name="date" type="date" value={draft.date} />
          </div>
          <div>
            <label for="c-time">{r('console.appointment.time')}</label>
            <input id="c-time" name="time" type="time" value={draft.time} />
          </div>
        </div>
      </fieldset>
      {preview && <PreviewPanel rv={rv} preview={preview} />}
      <div class="wide">
        <button type="submit">{r('console.campaign.preview')}</button>{' '}
        {preview && preview.errors.length === 0 && (
          <input type="hidden" name="previewed" value={fingerprint(draft)} />
        )}
        {preview && preview.errors.length === 0 && (
          <button class="primary" type="submit" formaction={`${BASE}/campaigns`}>
            {r('console.campaign.schedule', {
              count: preview.recipients.nb + preview.recipients.en,
            })}
          </button>
        )}
      </div>
    </form>
  )
}

function PreviewPanel(props: { rv: RemView; preview: CampaignPreview }) {
  const { rv, preview } = props
  const r = rv.r
  const total = preview.recipients.nb + preview.recipients.en
  return (
    <section class="wide preview" aria-labelledby="preview-title">
      <h2 id="preview-title">{r('console.campaign.previewTitle')}</h2>
      {preview.errors.length > 0 && (
        <ul class="notice error plain" role="alert">
          {preview.errors.map((e) => (
            <li>{r(`console.campaign.error.${e}`)}</li>
          ))}
        </ul>
      )}
      <p>
        {preview.heldUntil
          ? r('console.campaign.held', { when: whenOf(rv, preview.heldUntil) })
          : r('console.campaign.sendsAt', { when: whenOf(rv, preview.sendAt) })}
      </p>
      <p>
        {r('console.campaign.recipients', {
          count: total,
          nb: preview.recipients.nb,
          en: preview.recipients.en,
        })}{' '}
        {r('console.campaign.skipped', preview.skipped)}
      </p>
      <div class="bodies">
        {(['nb', 'en'] as const).map((language) => {
          const body = preview.bodies[language]
          if (!body) return null
          return (
            <div>
              <h3>{r(`console.language.${language}`)}</h3>
              <pre class="sms">{body.body}</pre>
              <p class={body.fits ? 'hint' : 'hint bad'}>
                {r('console.campaign.cost', {
                  characters: body.characters,
                  encoding: body.encoding,
                  segments: body.segments,
                })}
                {body.replaced.length > 0 &&
                  ` ${r('console.campaign.replaced', { chars: body.replaced.join(' ') })}`}
              </p>
            </div>
          )
        })}
      </div>
    </section>
  )
}

/** A short fingerprint of everything the form says. */
const fingerprint = (draft: Draft) =>
  createHash('sha256').update(JSON.stringify(draft)).digest('hex').slice(0, 16)

const draftOf = (form: Record<string, string | File | (string | File)[]>): Draft => {
  const one = (k: keyof Draft) => String([form[k]].flat()[0] ?? '')
  return {
    name: one('name'),
    textNb: one('textNb'),
    textEn: one('textEn'),
    language: one('language'),
    when: one('when') || 'now',
    date: one('date'),
    time: one('time'),
    groups: [form.groups ?? []].flat().map(String),
  }
}

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

  app.get('/new', (c) => formPage(c, rvOf(c), emptyDraft))
  app.post('/preview', async (c) => {
    const rv = rvOf(c)
    const { draft, parsed } = await parse(c)
    if (!parsed.success)
      return formPage(
        c,
        rv,
        draft,
        undefined,
        { kind: 'error', text: rv.r('console.error.name') },
        400
      )
    return formPage(c, rv, draft, previewCampaign(reminders.deps, parsed.data, rv.now))
  })
  app.post('/', async (c) => {
    const rv = rvOf(c)
    const { draft, parsed, previewed } = await parse(c)
    if (!parsed.success)
      return formPage(
        c,
        rv,
        draft,
        undefined,
        { kind: 'error', text: rv.r('console.error.name') },
        400
      )
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
