/**
 * @module bot/reminders/campaigns
 * A message to a group at a chosen time. The preview shows what each language will get, what it
 * costs, who receives it and who is skipped and why; at the time, the audience is worked out
 * again (someone may have sent STOPP since) and one outbox message per person is queued, its id
 * the idempotency key. Progress and cancelling: bot/reminders/campaign-progress.ts.
 */
import { DateTime } from 'luxon'
import { z } from 'zod'
import type { Language } from '../i18n.js'
import { enqueueMessage } from '../store/outbox.js'
import type { Campaign } from '../store/reminder-records.js'
import { emptyCounts } from './campaign-progress.js'
import type { Store } from '../store/store.js'
import { resolveAudience, type Audience } from './people.js'
import { nextAllowed } from './quiet-hours.js'
import type { ReminderSettings } from './settings.js'
import { campaignBody, checkBody, type BodyCheck, type ReminderTexts } from './texts.js'

export const CampaignInput = z.object({
  name: z.string().trim().min(1, 'name').max(80, 'name'),
  textNb: z.string().max(1000, 'text-nb').default(''),
  textEn: z.string().max(1000, 'text-en').default(''),
  groups: z.array(z.string()).default([]),
  language: z
    .enum(['', 'nb', 'en'])
    .default('')
    .transform((v) => v || undefined),
  /** "now", or a date and time in TZ. */
  when: z.enum(['now', 'at']).default('now'),
  date: z.string().default(''),
  time: z.string().default(''),
})
export type CampaignInput = z.output<typeof CampaignInput>

export type CampaignError =
  'name' | 'when' | 'past' | 'no-recipients' | `text-${Language}` | `long-${Language}`

export type CampaignPreview = {
  sendAt: Date
  /** Set when quiet hours hold the campaign until then. */
  heldUntil?: Date
  bodies: Partial<Record<Language, BodyCheck>>
  recipients: Record<Language, number>
  skipped: { optedOut: number; noConsent: number; noPhone: number }
  errors: CampaignError[]
}

type Deps = { store: Store; settings: ReminderSettings; texts: ReminderTexts }

/** Everything the coordinator should see before scheduling; nothing is saved. */
export function previewCampaign(deps: Deps, input: CampaignInput, now: Date): CampaignPreview {
  const { settings } = deps
  const errors: CampaignError[] = []
  const sendAt = sendTime(input, now, settings.zone)
  if (!sendAt) errors.push('when')
  else if (input.when === 'at' && sendAt < new Date(now.getTime() - 60_000)) errors.push('past')
  const audience = resolveAudience(deps.store, audienceOf(input))
  const recipients = { nb: 0, en: 0 }
  for (const p of audience.recipients) recipients[p.language]++
  if (audience.recipients.length === 0) errors.push('no-recipients')
  const bodies: CampaignPreview['bodies'] = {}
  for (const language of ['nb', 'en'] as const) {
    const typed = language === 'nb' ? input.textNb : input.textEn
    if (!typed.trim()) {
      if (recipients[language] > 0) errors.push(`text-${language}`)
      continue
    }
    const check = checkBody(typed, campaignBody(deps.texts(language), typed), settings.maxSegments)
    bodies[language] = check
    if (!check.fits) errors.push(`long-${language}`)
  }
  const at = sendAt ?? now
  const allowed = nextAllowed(settings.quiet, at < now ? now : at)
  return {
    sendAt: at,
    heldUntil: allowed > at && allowed > now ? allowed : undefined,
    bodies,
    recipients,
    skipped: {
      optedOut: audience.optedOut.length,
      noConsent: audience.noConsent.length,
      noPhone: audience.noPhone.length,
    },
    errors,
  }
}

/** Schedules a campaign whose preview has no errors. */
export function createCampaign(
  deps: Deps,
  input: CampaignInput,
  context: { now: Date; by?: string; id: string }
): { ok: true; campaign: Campaign } | { ok: false; preview: CampaignPreview } {
  const preview = previewCampaign(deps, input, context.now)
  if (preview.errors.length) return { ok: false, preview }
  const campaign = deps.store.put('campaigns', context.id, {
    id: context.id,
    name: input.name,
    texts: { nb: input.textNb.trim(), en: input.textEn.trim() },
    audience: audienceOf(input),
    sendAt: preview.sendAt.toISOString(),
    state: 'scheduled',
    createdAt: context.now.toISOString(),
    createdBy: context.by,
  })
  return { ok: true, campaign }
}

/** The outbox id of a campaign's message to one person. */
export const campaignMessageId = (campaignId: string, personId: string) =>
  `cmp_${campaignId}_${personId}`

/** Queues the messages of every campaign whose time has come; returns how many were queued. */
export function startDueCampaigns(deps: Deps, now: Date): number {
  let queued = 0
  for (const campaign of Object.values(deps.store.data.campaigns)) {
    if (campaign.state !== 'scheduled' || Date.parse(campaign.sendAt) > now.getTime()) continue
    const audience = resolveAudience(deps.store, campaign.audience)
    const dueAt = nextAllowed(deps.settings.quiet, now).toISOString()
    for (const person of audience.recipients) {
      const id = campaignMessageId(campaign.id, person.id)
      const text = campaign.texts[person.language] || campaign.texts[deps.settings.language]
      if (deps.store.data.outbox[id] || !text) continue
      const body = campaignBody(deps.texts(person.language), text)
      const source = { kind: 'campaign' as const, id: campaign.id, personId: person.id }
      enqueueMessage(
        deps.store,
        { id, channel: 'sms', to: person.phone!, body, dueAt, source },
        now
      )
      queued++
    }
    deps.store.edit('campaigns', campaign.id, (c) => {
      c.state = 'sending'
      c.startedAt = now.toISOString()
      c.counts = {
        ...emptyCounts(),
        recipients: audience.recipients.length,
        optedOut: audience.optedOut.length,
        noConsent: audience.noConsent.length,
        noPhone: audience.noPhone.length,
      }
    })
  }
  return queued
}

function sendTime(input: CampaignInput, now: Date, zone: string): Date | undefined {
  if (input.when === 'now') return now
  const local = DateTime.fromISO(`${input.date}T${input.time}`, { zone })
  return local.isValid && /^\d{2}:\d{2}$/.test(input.time) ? local.toJSDate() : undefined
}

const audienceOf = (input: CampaignInput): Audience => ({
  groups: input.groups,
  language: input.language,
})
