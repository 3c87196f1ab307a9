/**
 * @module bot/console/content/content-page
 * /console/content, for coordinators and admins: the organisation's local content (who we are,
 * contact, hours, address, the local NAV office, after-hours help, own activities) with an SMS
 * preview and the same checks as content:check; saving writes a new version, audits it and takes
 * it into use at once. POST /console/content/phrases {topicId, text} attaches a text the bot did
 * not understand to a topic (the insight page links here). The page also lists the facts not yet
 * checked on a live page.
 */
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import {
  checkConsoleContent,
  consoleFile,
  loadTemplate,
  OrganisationProfile,
  withConsoleContent,
  type ConsoleContent,
} from '../../../content/local-profile.js'
import type { Knowledge } from '../../../content/load.js'
import { Lang } from '../../../content/schema.js'
import { verificationReport } from '../../../content/verification.js'
import type { LocalContentFiles } from '../../local-content.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Page, type Notice } from '../layout.js'
import { isLead } from '../view.js'
import { phraseFromMasked } from '../../store/insight-log.js'
import { ContentView, type ProfileForm } from './content-view.js'

/** What the runtime offers the console: the saved versions, the base content, and a switch. */
export type ContentDeps = {
  files: LocalContentFiles
  base: Knowledge
  use: (content: ConsoleContent | undefined) => void
  /** The content in use now. */
  current: () => Knowledge
  /** The language a text is most likely in (for an attached phrase). */
  detectLanguage: (text: string) => 'nb' | 'en' | undefined
}

const bilingual = ['about', 'openingHours', 'navOffice', 'afterHours', 'activities'] as const

/** A posted form as the profile it describes (not yet validated). */
function profileFrom(form: Record<string, unknown>): ProfileForm {
  const s = (key: string) => (typeof form[key] === 'string' ? (form[key] as string) : '').trim()
  const profile: ProfileForm = {
    name: s('name'),
    phone: s('phone'),
    address: s('address'),
    sourceUrl: s('sourceUrl'),
    extraNumbers: s('extraNumbers')
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter(Boolean),
  }
  for (const field of bilingual) profile[field] = { nb: s(`${field}.nb`), en: s(`${field}.en`) }
  return profile
}

const PhraseBody = z.object({
  topicId: z.string().min(1).max(100),
  text: z.string().trim().min(1).max(200),
  lang: Lang.optional(),
})

export function contentRoutes(deps: ConsoleDeps, content: ContentDeps) {
  const app = new Hono<ConsoleEnv>()
  const { desk, clock } = deps
  const template = loadTemplate()

  const render = (
    c: Context<ConsoleEnv>,
    status: ContentfulStatusCode,
    options: { form?: ProfileForm; preview?: ConsoleContent; errors?: string[]; notice?: Notice }
  ) => {
    const v = viewOf(c, deps)
    const latest = content.files.latest()
    const shown = options.preview ?? latest
    const knowledge = withConsoleContent(content.base, shown, template)
    const generated = [...knowledge.files]
      .filter(([, file]) => file === consoleFile)
      .map(([id]) => knowledge.topics.get(id)!)
    return c.html(
      <Page
        t={v.t}
        language={desk.settings.staffLanguage}
        title={v.t('content.title')}
        v={v}
        notice={options.notice}
      >
        <ContentView
          v={v}
          form={options.form ?? (latest?.profile as ProfileForm | undefined)}
          generated={generated}
          errors={options.errors ?? []}
          translate={deps.translate}
          versions={content.files.versions()}
          phrases={latest?.phrases ?? []}
          topics={[...content.current().topics.values()].filter((t) => !t.urgent)}
          facts={verificationReport(content.current())}
        />
      </Page>,
      status
    )
  }

  app.use('*', async (c, next) => {
    const v = viewOf(c, deps)
    if (!isLead(v.staff)) return c.text(v.t('refused.role'), 403)
    await next()
  })

  app.get('/', (c) => {
    const t = viewOf(c, deps).t
    const saved = c.req.query('saved')
    const notice: Notice | undefined = saved
      ? { kind: 'ok', text: t('content.saved', { version: saved }) }
      : c.req.query('phrase')
        ? { kind: 'ok', text: t('content.phraseAdded') }
        : undefined
    return render(c, 200, { notice })
  })

  app.post('/', async (c) => {
    const v = viewOf(c, deps)
    const body = await c.req.parseBody()
    const form = profileFrom(body)
    const parsed = OrganisationProfile.safeParse(form)
    if (!parsed.success) {
      const errors = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`)
      return render(c, 400, { form, errors })
    }
    const latest = content.files.latest()
    const next = {
      at: clock().toISOString(),
      by: v.staff.id,
      change: 'profile',
      profile: parsed.data,
      phrases: latest?.phrases ?? [],
    }
    const errors = checkConsoleContent(content.base, { ...next, version: 1 }, template)
    const action = body.action
    if (errors.length) return render(c, 400, { form, errors, preview: { ...next, version: 0 } })
    if (action === 'preview') return render(c, 200, { form, preview: { ...next, version: 0 } })
    const saved = content.files.save(next)
    content.use(saved)
    desk.audit.append({
      at: next.at,
      actor: v.staff.id,
      action: 'content.saved',
      detail: `v${saved.version}`,
    })
    await desk.audit.flush()
    return c.redirect(`/console/content?saved=${saved.version}`, 303)
  })

  // The contract with the insight page: {topicId, text} as a form or JSON, CSRF as everywhere.
  app.post('/phrases', async (c) => {
    const v = viewOf(c, deps)
    const json = c.req.header('content-type')?.includes('application/json')
    const body = json ? await c.req.json().catch(() => ({})) : await c.req.parseBody()
    const parsed = PhraseBody.safeParse(body)
    const refuse = (
      key: 'content.badTopic' | 'content.badText' | 'content.onlyMasked',
      errors: string[] = []
    ) =>
      json
        ? c.json({ ok: false, error: v.t(key), errors }, 400)
        : c.text([v.t(key), ...errors].join('\n'), 400)
    if (!parsed.success) return refuse('content.badText')
    const { topicId } = parsed.data
    // Texts from insight are masked; nobody writes "[navn]", so only the words are taught.
    const text = phraseFromMasked(parsed.data.text)
    if (!text) return refuse('content.onlyMasked')
    const topic = content.current().topics.get(topicId)
    if (!topic || topic.urgent) return refuse('content.badTopic')
    const lang = parsed.data.lang ?? content.detectLanguage(text) ?? 'nb'
    const latest = content.files.latest()
    const at = clock().toISOString()
    const phrase = { topicId, lang, text: text.toLowerCase(), at, by: v.staff.id }
    const next = {
      at,
      by: v.staff.id,
      change: `phrase:${topicId}`,
      profile: latest?.profile,
      phrases: [...(latest?.phrases ?? []), phrase],
    }
    const errors = checkConsoleContent(content.base, { ...next, version: 1 }, template)
    if (errors.length) return refuse('content.badTopic', errors)
    const saved = content.files.save(next)
    content.use(saved)
    desk.audit.append({ at, actor: v.staff.id, action: 'content.phrase', detail: topicId })
    await desk.audit.flush()
    if (json) return c.json({ ok: true, version: saved.version, topicId, lang, text: phrase.text })
    return c.redirect('/console/content?phrase=1', 303)
  })

  return app
}
