/**
 * @module bot/console/reminders/campaign-form
 * The campaign form and its preview: each language's final SMS, its encoding and segments, who
 * gets it and who is skipped and why, and when it really goes given quiet hours. The preview
 * carries a fingerprint of the form, so what is scheduled is exactly what was previewed.
 */
import { createHash } from 'node:crypto'
import type { CampaignPreview } from '../../reminders/campaigns.js'
import { knownGroups, listPeople } from '../../reminders/people.js'
import { Csrf } from '../layout.js'
import { BASE, whenOf, type RemView } from './view.js'

export type Draft = Record<
  'name' | 'textNb' | 'textEn' | 'language' | 'when' | 'date' | 'time',
  string
> & {
  groups: string[]
}

export const emptyDraft: Draft = {
  name: '',
  textNb: '',
  textEn: '',
  language: '',
  when: 'now',
  date: '',
  time: '',
  groups: [],
}

export function CampaignForm(props: { rv: RemView; draft: Draft; preview?: CampaignPreview }) {
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
export const fingerprint = (draft: Draft) =>
  createHash('sha256').update(JSON.stringify(draft)).digest('hex').slice(0, 16)

export const draftOf = (form: Record<string, string | File | (string | File)[]>): Draft => {
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
