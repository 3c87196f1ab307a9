/**
 * @module bot/reminders/campaign-progress
 * Where a campaign stands, counted from its messages in the outbox (sent, delivered, failed,
 * waiting) and the replies collection; when nothing is left to send it is done and keeps its
 * final counts, so pruning old messages loses nothing. Also stopping one.
 */
import { moveMessage } from '../store/outbox.js'
import type { CampaignCounts } from '../store/reminder-records.js'
import type { Store } from '../store/store.js'

export type Progress = CampaignCounts & { waiting: number; replies: number }

/** Live counts per campaign, in one pass over the outbox and the replies. */
export function campaignProgress(store: Store): Map<string, Progress> {
  const progress = new Map<string, Progress>()
  for (const c of Object.values(store.data.campaigns)) {
    progress.set(c.id, { ...emptyCounts(), ...c.counts, waiting: 0, replies: 0 })
  }
  const live = new Map<string, Progress>()
  for (const m of Object.values(store.data.outbox)) {
    if (m.source?.kind !== 'campaign') continue
    const p = progress.get(m.source.id)
    if (!p) continue
    if (!live.has(m.source.id)) {
      Object.assign(p, { sent: 0, delivered: 0, failed: 0, cancelled: 0 })
      live.set(m.source.id, p)
    }
    if (m.state === 'pending' || m.state === 'sending') p.waiting++
    else if (m.state === 'sent') p.sent++
    else if (m.state === 'delivered') (p.sent++, p.delivered++)
    else p[m.state]++
  }
  for (const r of Object.values(store.data.replies)) {
    const p = r.campaignId ? progress.get(r.campaignId) : undefined
    if (p) p.replies++
  }
  return progress
}

/** Marks campaigns with nothing left to send as done, keeping their final counts. */
export function finishCampaigns(store: Store, now: Date): number {
  const sending = Object.values(store.data.campaigns).filter((c) => c.state === 'sending')
  if (sending.length === 0) return 0
  const progress = campaignProgress(store)
  let finished = 0
  for (const campaign of sending) {
    const p = progress.get(campaign.id)!
    if (p.waiting > 0) continue
    store.edit('campaigns', campaign.id, (c) => {
      c.state = 'done'
      c.finishedAt = now.toISOString()
      c.counts = countsOf(p)
    })
    finished++
  }
  return finished
}

/** Stops a campaign: before its time nothing goes; while sending, what has not gone yet stays. */
export function cancelCampaign(store: Store, id: string, now: Date): boolean {
  const campaign = store.data.campaigns[id]
  if (!campaign || (campaign.state !== 'scheduled' && campaign.state !== 'sending')) return false
  for (const m of Object.values(store.data.outbox)) {
    if (m.source?.kind === 'campaign' && m.source.id === id && m.state === 'pending') {
      moveMessage(store, m.id, 'cancelled', now, { lastError: 'cancelled' })
    }
  }
  const p = campaignProgress(store).get(id)!
  store.edit('campaigns', id, (c) => {
    c.state = 'cancelled'
    c.finishedAt = now.toISOString()
    if (c.counts) c.counts = countsOf(p)
  })
  return true
}

export const emptyCounts = (): CampaignCounts => ({
  recipients: 0,
  optedOut: 0,
  noConsent: 0,
  noPhone: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  cancelled: 0,
})

const countsOf = (p: Progress): CampaignCounts => {
  const { waiting: _w, replies: _r, ...counts } = p
  return counts
}
