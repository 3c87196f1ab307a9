/**
 * @module bot/console/insight/insight-page
 * /console/insight, for coordinators and admins: what people ask and how the service answers,
 * per week and in total, as charts drawn on the server and a table, with a CSV of the same
 * aggregates for funders. The texts the bot did not understand are shown grouped and masked,
 * each with a form that teaches the bot the text as a phrase of a topic (where the content
 * editor's route, POST /console/content/phrases, is there).
 */
import { Hono } from 'hono'
import type { Knowledge } from '../../../content/load.js'
import { phraseFromMasked, type InsightLog } from '../../store/insight-log.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import { Csrf, Page } from '../layout.js'
import { isLead, timeOf, type ViewContext } from '../view.js'
import { BarChart } from './bar-chart.js'
import { computeFigures, WEEK_FIGURES, type Figures, type WeekFigure } from './figures.js'

export type InsightDeps = {
  log: InsightLog
  /** TRANSCRIPT_RETENTION_DAYS: how long the masked texts are kept. */
  retentionDays: number
  /** Whether POST /console/content/phrases exists (asked when the page is drawn). */
  hasPhrases: () => boolean
}

const CHARTS: WeekFigure[] = [
  'messages',
  'people',
  'requests',
  'firstReplyMinutes',
  'notUnderstood',
  'remindersSent',
]

/** Groups of texts not understood shown at most. */
const GROUPS = 30

async function figuresFor(deps: ConsoleDeps, insight: InsightDeps): Promise<Figures> {
  const now = deps.clock()
  const [events, texts] = await Promise.all([
    insight.log.events(),
    insight.log.unknownTexts(now, insight.retentionDays),
  ])
  return computeFigures(deps.store, events, texts, deps.desk.settings.TZ, now)
}

function Unknown(props: {
  v: ViewContext
  figures: Figures
  knowledge?: Knowledge
  language: 'nb' | 'en'
  phrases: boolean
}) {
  const { v, figures, knowledge, language, phrases } = props
  const t = v.t
  if (figures.unknown.length === 0) return <p class="empty">{t('insight.noUnknown')}</p>
  // Crisis topics take no phrases from here (the content editor refuses them too).
  const topics = knowledge ? [...knowledge.topics.values()].filter((x) => !x.urgent) : []
  return (
    <ul class="cards unknown">
      {figures.unknown.slice(0, GROUPS).map((g) => (
        <li class="card">
          <div>
            <div class="who">{`«${g.text}»`}</div>
            <div class="meta">
              {t('insight.times', { count: g.count, when: timeOf(v, g.last) })}
            </div>
          </div>
          {phrases && topics.length > 0 && (
            <form method="post" action="/console/content/phrases" class="buttons">
              <Csrf v={v} />
              {/* The masked placeholders are no use to the bot: the words, editable. */}
              <label class="inline-label">
                {t('insight.phrase')}
                <input
                  type="text"
                  name="text"
                  value={phraseFromMasked(g.text)}
                  required
                  maxlength={200}
                />
              </label>
              <label class="inline-label">
                {t('insight.topic')}
                <select name="topicId">
                  {topics.map((topic) => (
                    <option value={topic.id}>{topic.title[language]}</option>
                  ))}
                </select>
              </label>
              <button type="submit">{t('insight.teach')}</button>
            </form>
          )}
        </li>
      ))}
    </ul>
  )
}

function WeekTable(props: { v: ViewContext; figures: Figures }) {
  const { v, figures } = props
  const t = v.t
  return (
    <table class="figures">
      <thead>
        <tr>
          <th>{t('insight.week')}</th>
          {WEEK_FIGURES.map((f) => (
            <th>{t(`insight.figure.${f}`)}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {figures.weeks.map((r) => (
          <tr>
            <td>{r.week}</td>
            {WEEK_FIGURES.map((f) => (
              <td>{String(r[f])}</td>
            ))}
          </tr>
        ))}
        <tr class="total">
          <th>{t('insight.total')}</th>
          {WEEK_FIGURES.map((f) => (
            <th>{String(figures.total[f])}</th>
          ))}
        </tr>
      </tbody>
    </table>
  )
}

export function insightRoutes(deps: ConsoleDeps, insight: InsightDeps) {
  const app = new Hono<ConsoleEnv>()
  app.get('/', async (c) => {
    const v = viewOf(c, deps)
    const t = v.t
    if (!isLead(v.staff)) return c.text(t('refused.role'), 403)
    const figures = await figuresFor(deps, insight)
    const language = deps.desk.settings.staffLanguage
    const titleOf = (id: string) => deps.knowledge?.topics.get(id)?.title[language] ?? id
    return c.html(
      <Page t={t} language={language} title={t('insight.title')} v={v}>
        <h1>{t('insight.title')}</h1>
        <p class="hint">{t('insight.intro', { days: insight.retentionDays })}</p>
        <p>
          <a class="button" href="/console/insight/figures.csv" download>
            {t('insight.csv')}
          </a>
        </p>
        <div class="charts">
          {CHARTS.map((f) => (
            <BarChart
              title={t(`insight.figure.${f}`)}
              rows={figures.weeks.map((r) => ({ label: r.week.slice(-3), value: r[f] }))}
            />
          ))}
        </div>
        <h2>{t('insight.perWeek')}</h2>
        <div class="scroll">
          <WeekTable v={v} figures={figures} />
        </div>
        <h2>{t('insight.topics')}</h2>
        {figures.topics.length === 0 ? (
          <p class="empty">{t('insight.noTopics')}</p>
        ) : (
          <ol>
            {figures.topics.slice(0, 15).map((x) => (
              <li>{`${titleOf(x.id)}: ${x.count}`}</li>
            ))}
          </ol>
        )}
        <h2>{t('insight.unknown')}</h2>
        <p class="hint">
          {insight.hasPhrases() ? t('insight.unknownHint') : t('insight.unknownNoEditor')}
        </p>
        <Unknown
          v={v}
          figures={figures}
          knowledge={deps.knowledge}
          language={language}
          phrases={insight.hasPhrases()}
        />
        <h2>{t('insight.campaigns')}</h2>
        {figures.campaigns.length === 0 ? (
          <p class="empty">{t('insight.noCampaigns')}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th>{t('insight.campaign')}</th>
                <th>{t('insight.sent')}</th>
                <th>{t('insight.delivered')}</th>
                <th>{t('insight.failed')}</th>
                <th>{t('insight.waiting')}</th>
              </tr>
            </thead>
            <tbody>
              {figures.campaigns.map((x) => (
                <tr>
                  <td>{x.name}</td>
                  <td>{String(x.sent)}</td>
                  <td>{String(x.delivered)}</td>
                  <td>{String(x.failed)}</td>
                  <td>{String(x.waiting)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </Page>
    )
  })

  // The aggregates for funders: one row a week and a total, never a text or a person.
  app.get('/figures.csv', async (c) => {
    const v = viewOf(c, deps)
    if (!isLead(v.staff)) return c.text(v.t('refused.role'), 403)
    const figures = await figuresFor(deps, insight)
    const lines = [
      ['week', ...WEEK_FIGURES].join(','),
      ...figures.weeks.map((r) => [r.week, ...WEEK_FIGURES.map((f) => r[f])].join(',')),
      ['total', ...WEEK_FIGURES.map((f) => figures.total[f])].join(','),
    ]
    return c.body(lines.join('\n') + '\n', 200, {
      'content-type': 'text/csv; charset=utf-8',
      'content-disposition': 'attachment; filename="insight.csv"',
    })
  })
  return app
}
