/**
 * @module bot/console/view
 * How a handoff is described to staff: an alias and a masked number instead of who the
 * participant is, who holds it, how long they have waited, times in the office's time zone.
 */
import { DateTime } from 'luxon'
import { aliasCode } from '../handoff/alias.js'
import type { ConsoleTranslate } from '../i18n.js'
import { maskPhone } from '../mask.js'
import type { Handoff, StaffAccount } from '../store/schema.js'
import type { Store } from '../store/store.js'

export type ViewContext = {
  t: ConsoleTranslate
  store: Store
  staff: StaffAccount
  csrf: string
  now: Date
  zone: string
}

export const aliasOf = (v: ViewContext, h: Handoff) =>
  v.t('participant.alias', { code: aliasCode(h.participantId) })

/** The number as a volunteer may see it; coordinators and admins may need to call back. */
export function numberOf(v: ViewContext, h: Handoff, full = false): string | undefined {
  const participant = v.store.data.participants[h.participantId]
  if (!participant || participant.channel !== 'sms') return undefined
  return full && v.staff.role !== 'volunteer' ? participant.address : maskPhone(participant.address)
}

export const channelOf = (v: ViewContext, h: Handoff) => v.t(`channel.${h.channel}`)

export function nameOf(v: ViewContext, staffId: string | undefined): string {
  if (!staffId) return v.t('someone')
  if (staffId === 'system') return v.t('system')
  if (staffId === 'participant') return v.t('chat.participant')
  return v.store.data.staff[staffId]?.username ?? v.t('someone')
}

/** "venter 12 min" since the handoff (re)entered the queue, or since the participant last wrote. */
export function waitedOf(v: ViewContext, h: Handoff): string {
  const since = h.state === 'claimed' ? h.waitingSince : (h.waitingSince ?? h.queuedAt)
  if (!since) return v.t('queue.answered')
  const minutes = minutesSince(v, since)
  if (minutes < 60) return v.t('queue.waited', { minutes })
  return v.t('queue.waitedLong', { hours: Math.floor(minutes / 60), minutes: minutes % 60 })
}

export function minutesSince(v: ViewContext, at: string): number {
  return Math.max(0, Math.floor((v.now.getTime() - Date.parse(at)) / 60_000))
}

/** "14:05" today, "3.12. 14:05" on another day, in the office's time zone. */
export function timeOf(v: ViewContext, at: string): string {
  const local = DateTime.fromISO(at, { zone: v.zone })
  const today = DateTime.fromJSDate(v.now, { zone: v.zone }).hasSame(local, 'day')
  return local.toFormat(today ? 'HH:mm' : 'd.M. HH:mm')
}

export const isLead = (staff: StaffAccount) => staff.role !== 'volunteer'

/** "selvmord eller selvskading", or "mulig overdose eller forgiftning" when only possible. */
export function crisisOf(v: ViewContext, h: Handoff): string | undefined {
  if (!h.crisis) return undefined
  const kinds = h.crisis.kinds.map((k) => v.t(`crisis.kind.${k}`)).join(', ')
  return h.crisis.level === 'danger' ? kinds : v.t('crisis.possible', { kind: kinds })
}

/** The participant's words that the crisis layer read as danger, for the one who answers. */
export const crisisWordsOf = (v: ViewContext, h: Handoff) =>
  h.crisis && h.crisis.cues.length > 0
    ? v.t('crisis.words', { cues: h.crisis.cues.map((c) => `«${c}»`).join(', ') })
    : undefined
