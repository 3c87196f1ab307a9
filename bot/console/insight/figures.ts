/**
 * @module bot/console/insight/figures
 * The coordinators' figures, per week (ISO weeks in the office's time zone) and in total:
 * messages and people (from the insight log), topics asked, texts not understood and
 * clarifications; requests for a person, the time to the first human reply and crises (from the
 * chats still kept); reminders sent, confirmed and asked to move; campaign delivery. Aggregates
 * only: no text or person leaves this module except the masked not-understood groups.
 */
import { DateTime } from 'luxon'
import { campaignProgress } from '../../reminders/campaign-progress.js'
import type { InsightEvent, UnknownText } from '../../store/insight-log.js'
import type { Store } from '../../store/store.js'

export const WEEK_FIGURES = [
  'messages',
  'people',
  'topics',
  'notUnderstood',
  'clarifications',
  'requests',
  'firstReplyMinutes',
  'crises',
  'crisisChecks',
  'remindersSent',
  'confirmed',
  'newTime',
] as const
export type WeekFigure = (typeof WEEK_FIGURES)[number]
export type WeekRow = { week: string } & Record<WeekFigure, number>

export type Figures = {
  weeks: WeekRow[]
  total: Record<WeekFigure, number>
  topics: { id: string; count: number }[]
  unknown: { text: string; count: number; last: string }[]
  campaigns: {
    id: string
    name: string
    sent: number
    delivered: number
    failed: number
    waiting: number
  }[]
}

const median = (values: number[]) => {
  if (values.length === 0) return 0
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return Math.round(sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2)
}

/** "2026-W48" for an instant, in the zone. */
export const weekOf = (at: string, zone: string) =>
  DateTime.fromISO(at, { zone }).toFormat("kkkk-'W'WW")

/** Grouping key of a masked text: lower case, letters, digits and brackets only. */
const groupKey = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}[\]\s]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()

export function computeFigures(
  store: Store,
  events: InsightEvent[],
  texts: UnknownText[],
  zone: string,
  now: Date,
  weeksShown = 12
): Figures {
  const rows = new Map<string, WeekRow>()
  const empty = (week: string): WeekRow =>
    ({ week, ...Object.fromEntries(WEEK_FIGURES.map((f) => [f, 0])) }) as WeekRow
  const row = (at: string) => {
    const week = weekOf(at, zone)
    let r = rows.get(week)
    if (!r) rows.set(week, (r = empty(week)))
    return r
  }
  const people = new Map<string, Set<string>>()
  const everyone = new Set<string>()
  const topicCounts = new Map<string, number>()
  for (const e of events) {
    const r = row(e.at)
    if (e.k === 'check') {
      r.crisisChecks++
      continue
    }
    if (e.k === 'answer') {
      // Not a message of its own: the topic answer of one counted as not matched to a topic.
      r.topics++
      topicCounts.set(e.t, (topicCounts.get(e.t) ?? 0) + 1)
      continue
    }
    if (e.k === 'none') {
      r.notUnderstood++
      continue
    }
    r.messages++
    everyone.add(e.p)
    const seen = people.get(r.week) ?? new Set<string>()
    seen.add(e.p)
    people.set(r.week, seen)
    if (e.m === 'topic' || e.m === 'crisis') {
      r.topics++
      if (e.t) topicCounts.set(e.t, (topicCounts.get(e.t) ?? 0) + 1)
    }
    if (e.m === 'clarify') r.clarifications++
  }
  for (const [week, seen] of people) rows.get(week)!.people = seen.size

  const waits = new Map<string, number[]>()
  const allWaits: number[] = []
  for (const h of Object.values(store.data.handoffs)) {
    if (h.reason === 'outreach') continue
    const r = row(h.createdAt)
    r.requests++
    if (h.reason === 'crisis' || h.crisis) r.crises++
    if (h.answeredAt) {
      const minutes = (Date.parse(h.answeredAt) - Date.parse(h.createdAt)) / 60_000
      waits.set(r.week, [...(waits.get(r.week) ?? []), minutes])
      allWaits.push(minutes)
    }
  }
  for (const [week, list] of waits) rows.get(week)!.firstReplyMinutes = median(list)

  for (const m of Object.values(store.data.outbox)) {
    if (m.source?.kind === 'reminder' && (m.state === 'sent' || m.state === 'delivered'))
      row(m.updatedAt).remindersSent++
  }
  for (const reply of Object.values(store.data.replies)) {
    if (reply.kind === 'coming') row(reply.at).confirmed++
    if (reply.kind === 'new-time') row(reply.at).newTime++
  }

  // The last weeks, empty ones included, so a quiet week shows as a gap and not as nothing.
  const weeks: WeekRow[] = []
  for (let i = weeksShown - 1; i >= 0; i--) {
    const week = weekOf(DateTime.fromJSDate(now).minus({ weeks: i }).toISO()!, zone)
    weeks.push(rows.get(week) ?? empty(week))
  }
  const total = empty('total')
  for (const r of rows.values())
    for (const f of WEEK_FIGURES) if (f !== 'people' && f !== 'firstReplyMinutes') total[f] += r[f]
  total.people = everyone.size
  total.firstReplyMinutes = median(allWaits)

  const groups = new Map<string, { text: string; count: number; last: string }>()
  for (const t of texts) {
    const key = groupKey(t.text)
    if (!key) continue
    const g = groups.get(key)
    if (!g) groups.set(key, { text: t.text, count: 1, last: t.at })
    else {
      g.count++
      if (t.at > g.last) Object.assign(g, { text: t.text, last: t.at })
    }
  }
  const progress = campaignProgress(store)
  return {
    weeks,
    total,
    topics: [...topicCounts]
      .map(([id, count]) => ({ id, count }))
      .sort((a, b) => b.count - a.count),
    unknown: [...groups.values()].sort((a, b) => b.count - a.count || b.last.localeCompare(a.last)),
    campaigns: Object.values(store.data.campaigns)
      .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
      .map((c) => {
        const p = progress.get(c.id)
        return {
          id: c.id,
          name: c.name,
          sent: p?.sent ?? 0,
          delivered: p?.delivered ?? 0,
          failed: p?.failed ?? 0,
          waiting: p?.waiting ?? 0,
        }
      }),
  }
}
