/**
 * @module bot/console/content/content-view
 * The local content page's parts: the form, the SMS preview of every answer it makes (with its
 * segment count), the texts attached to topics, the version history and the unchecked facts.
 */
import type { AttachedPhrase, ConsoleContent } from '../../../content/local-profile.js'
import { languages, type Topic } from '../../../content/schema.js'
import { factLine, type VerificationReport } from '../../../content/verification.js'
import { segmentsFor } from '../../channels/sms-text.js'
import type { createI18n } from '../../i18n.js'
import { Csrf } from '../layout.js'
import { nameOf, timeOf, type ViewContext } from '../view.js'

type Both = { nb: string; en: string }
/** The form's values, valid or not. */
export type ProfileForm = {
  name: string
  phone: string
  address: string
  sourceUrl: string
  extraNumbers: string[]
  about?: Both
  openingHours?: Both
  navOffice?: Both
  afterHours?: Both
  activities?: Both
}

const bilingual = ['about', 'openingHours', 'navOffice', 'afterHours', 'activities'] as const

function Field(props: { v: ViewContext; name: string; label: string; value?: string }) {
  return (
    <p>
      <label for={props.name}>{props.label}</label>
      <input id={props.name} name={props.name} value={props.value ?? ''} />
    </p>
  )
}

function BilingualField(props: {
  v: ViewContext
  field: (typeof bilingual)[number]
  value?: Both
}) {
  const { v, field } = props
  return (
    <fieldset>
      <legend>{v.t(`content.${field}`)}</legend>
      {languages.map((lang) => (
        <p>
          <label for={`${field}.${lang}`}>
            {`${v.t(`content.${field}`)} (${v.t(lang === 'nb' ? 'content.langNb' : 'content.langEn')})`}
          </label>
          <textarea id={`${field}.${lang}`} name={`${field}.${lang}`} rows={2}>
            {props.value?.[lang] ?? ''}
          </textarea>
        </p>
      ))}
    </fieldset>
  )
}

/** Each answer as the participant's phone gets it, with the hint the bot adds. */
function Preview(props: {
  v: ViewContext
  topics: Topic[]
  translate: ReturnType<typeof createI18n>
}) {
  const { v } = props
  if (!props.topics.length) return <p class="empty">{v.t('content.noTopics')}</p>
  return (
    <div class="sms-preview">
      {props.topics.map((topic) =>
        languages.map((lang) => {
          const t = props.translate(lang)
          const hint = topic.more ? t('answer.moreHint') : t('answer.menuHint')
          const sms = `${topic.answer[lang]}\n${hint}`
          return (
            <figure data-topic={topic.id} data-lang={lang}>
              <figcaption>{`${topic.title[lang]} (${lang}, ${v.t('content.segments', { n: segmentsFor(sms).segments })})`}</figcaption>
              <pre class="sms">{sms}</pre>
            </figure>
          )
        })
      )}
    </div>
  )
}

export function ContentView(props: {
  v: ViewContext
  form?: ProfileForm
  generated: Topic[]
  errors: string[]
  translate: ReturnType<typeof createI18n>
  versions: ConsoleContent[]
  phrases: AttachedPhrase[]
  topics: Topic[]
  facts: VerificationReport
}) {
  const { v, form, facts } = props
  const t = v.t
  return (
    <>
      <h1>{t('content.title')}</h1>
      <p class="hint">{t('content.intro')}</p>
      {props.errors.length > 0 && (
        <div class="notice error" role="alert">
          <p>{t('content.errors')}</p>
          <ul>
            {props.errors.map((e) => (
              <li>{e}</li>
            ))}
          </ul>
        </div>
      )}
      <form method="post" action="/console/content" class="content-form">
        <Csrf v={v} />
        <Field v={v} name="name" label={t('content.name')} value={form?.name} />
        <Field v={v} name="phone" label={t('content.phone')} value={form?.phone} />
        <Field v={v} name="address" label={t('content.address')} value={form?.address} />
        <Field v={v} name="sourceUrl" label={t('content.sourceUrl')} value={form?.sourceUrl} />
        {bilingual.map((field) => (
          <BilingualField v={v} field={field} value={form?.[field]} />
        ))}
        <p>
          <label for="extraNumbers">{t('content.extraNumbers')}</label>
          <textarea id="extraNumbers" name="extraNumbers" rows={2}>
            {(form?.extraNumbers ?? []).join('\n')}
          </textarea>
        </p>
        <p>
          <button type="submit" name="action" value="preview" class="secondary">
            {t('content.preview')}
          </button>{' '}
          <button type="submit" name="action" value="save">
            {t('content.save')}
          </button>
        </p>
      </form>

      <h2>{t('content.previewTitle')}</h2>
      <Preview v={v} topics={props.generated} translate={props.translate} />

      <h2>{t('content.phrasesTitle')}</h2>
      <form method="post" action="/console/content/phrases" class="inline-form">
        <Csrf v={v} />
        <label for="phrase-topic">{t('content.phraseTopic')}</label>
        <select id="phrase-topic" name="topicId">
          {props.topics.map((topic) => (
            <option value={topic.id}>{`${topic.title.nb} (${topic.id})`}</option>
          ))}
        </select>
        <label for="phrase-text">{t('content.phraseText')}</label>
        <input id="phrase-text" name="text" maxlength={200} />
        <button type="submit">{t('content.phraseAdd')}</button>
      </form>
      {props.phrases.length === 0 ? (
        <p class="empty">{t('content.noPhrases')}</p>
      ) : (
        <ul>
          {props.phrases.map((p) => (
            <li>{`${p.topicId} (${p.lang}): "${p.text}" - ${nameOf(v, p.by)}, ${timeOf(v, p.at)}`}</li>
          ))}
        </ul>
      )}

      <h2>{t('content.historyTitle')}</h2>
      {props.versions.length === 0 ? (
        <p class="empty">{t('content.noHistory')}</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>{t('content.version')}</th>
              <th>{t('content.when')}</th>
              <th>{t('content.who')}</th>
              <th>{t('content.change')}</th>
            </tr>
          </thead>
          <tbody>
            {props.versions.map((c) => (
              <tr>
                <td>{c.version}</td>
                <td>{timeOf(v, c.at)}</td>
                <td>{nameOf(v, c.by)}</td>
                <td>
                  {c.change.startsWith('phrase:')
                    ? t('content.changePhrase', { topic: c.change.slice(7) })
                    : t('content.changeProfile')}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2 id="facts">{t('content.factsTitle')}</h2>
      <p>
        {t('content.factsSummary', {
          verified: facts.verified.length,
          total: facts.total,
          copies: facts.copies.length,
          unverified: facts.unverified.length,
        })}
      </p>
      <p class="hint">{t('content.factsIntro')}</p>
      <table class="facts">
        <thead>
          <tr>
            <th>{t('content.factTopic')}</th>
            <th>{t('content.factClaim')}</th>
            <th>{t('content.factSource')}</th>
            <th>{t('content.factHow')}</th>
          </tr>
        </thead>
        <tbody>
          {facts.unverified.map((f) => (
            <tr>
              <td>{f.topic}</td>
              <td>{f.claim}</td>
              <td>{`${f.title} ${f.url}`}</td>
              <td>{f.note ? `${f.verified}: ${f.note}` : f.verified}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <details>
        <summary>{t('content.copiesTitle', { n: facts.copies.length })}</summary>
        <ul>
          {facts.copies.map((f) => (
            <li>{factLine(f)}</li>
          ))}
        </ul>
      </details>
    </>
  )
}
