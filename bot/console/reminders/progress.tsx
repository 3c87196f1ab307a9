/**
 * @module bot/console/reminders/progress
 * The live parts of the reminder pages: replies waiting for a coordinator, each campaign's
 * progress (sent, delivered, failed, waiting, replies), and the appointments of the next days.
 * Rendered on the server and swapped in over server-sent events by the console's script.
 */
import { campaignProgress, type Progress } from '../../reminders/campaign-progress.js'
import { listReplies } from '../../reminders/replies.js'
import type { Campaign, ReminderReply } from '../../store/reminder-records.js'
import { Csrf } from '../layout.js'
import { AppointmentList } from './appointments.js'
import { BASE, whenOf, type RemView } from './view.js'

export function CampaignCard(props: {
  rv: RemView
  campaign: Campaign
  progress: Progress
  detail?: boolean
}) {
  const { rv, campaign, progress: p } = props
  const r = rv.r
  const done = p.sent + p.failed + p.cancelled
  const open = campaign.state === 'scheduled' || campaign.state === 'sending'
  // Started at night: the messages wait in the outbox for quiet hours to end. Say so, and when.
  const nextDue = Object.values(rv.store.data.outbox)
    .filter((m) => m.source?.kind === 'campaign' && m.source.id === campaign.id)
    .filter((m) => m.state === 'pending' && m.dueAt)
    .map((m) => m.dueAt!)
    .sort()[0]
  const held =
    campaign.state === 'sending' && nextDue !== undefined && nextDue > rv.now.toISOString()
  return (
    <div class="card campaign">
      <div class="grow">
        <div>
          {!props.detail && (
            <a class="who" href={`${BASE}/campaigns/${campaign.id}`}>
              {campaign.name}
            </a>
          )}{' '}
          <span class="badge">
            {held ? r('console.campaignState.held') : r(`console.campaignState.${campaign.state}`)}
          </span>{' '}
          <span class="muted">
            {campaign.startedAt
              ? r('console.campaign.started', { when: whenOf(rv, campaign.startedAt) })
              : r('console.campaign.sendsAt', { when: whenOf(rv, campaign.sendAt) })}
          </span>
        </div>
        {campaign.state !== 'scheduled' && (
          <progress
            max={Math.max(1, p.recipients)}
            value={done}
            aria-label={r('console.progress.label')}
          >
            {`${done}/${p.recipients}`}
          </progress>
        )}
        {held && (
          <p class="meta">{r('console.campaign.heldUntil', { when: whenOf(rv, nextDue!) })}</p>
        )}
        <p class="meta counts" data-counts>
          {p.recipients > 0 ? r('console.progress.counts', { ...p }) : r('console.progress.none')}
        </p>
        {props.detail && campaign.counts && (
          <p class="meta">{r('console.campaign.skipped', campaign.counts)}</p>
        )}
      </div>
      {open && (
        <form method="post" action={`${BASE}/campaigns/${campaign.id}/cancel`}>
          <Csrf v={rv} />
          <button class="danger" type="submit">
            {r(
              campaign.state === 'scheduled' ? 'console.campaign.cancel' : 'console.campaign.stop'
            )}
          </button>
        </form>
      )}
    </div>
  )
}

function ReplyCard(props: { rv: RemView; reply: ReminderReply }) {
  const { rv, reply } = props
  const r = rv.r
  const person = rv.store.data.people[reply.personId]
  const appointment = reply.appointmentId
    ? rv.store.data.appointments[reply.appointmentId]
    : undefined
  const campaign = reply.campaignId ? rv.store.data.campaigns[reply.campaignId] : undefined
  const about = appointment
    ? `${appointment.what}, ${whenOf(rv, appointment.at)}`
    : (campaign?.name ?? '')
  return (
    <li class={`card reply ${reply.kind}`}>
      <div class="grow">
        <div>
          <span class="badge">{r(`console.replyKind.${reply.kind}`)}</span>{' '}
          {person ? (
            <a class="who" href={`${BASE}/people/${person.id}`}>
              {person.name}
            </a>
          ) : (
            r('console.reply.deleted')
          )}{' '}
          <span class="muted">{whenOf(rv, reply.at)}</span>
        </div>
        {reply.text && (
          <p class="said">
            <q>{reply.text}</q>
          </p>
        )}
        <div class="meta">{about}</div>
      </div>
      {person && appointment && reply.kind === 'new-time' && (
        <a class="button" href={`${BASE}/people/${person.id}?replace=${appointment.id}#a-date`}>
          {r('console.reply.newTime')}
        </a>
      )}
      <form method="post" action={`${BASE}/replies/${reply.id}/handled`}>
        <Csrf v={rv} />
        <button type="submit">{r('console.reply.handled')}</button>
      </form>
    </li>
  )
}

/** The overview's live part. */
export function OverviewLive(props: { rv: RemView }) {
  const { rv } = props
  const r = rv.r
  const open = listReplies(rv.store, true)
  const progress = campaignProgress(rv.store)
  const campaigns = Object.values(rv.store.data.campaigns)
    .sort((a, b) => b.sendAt.localeCompare(a.sendAt))
    .slice(0, 10)
  return (
    <div>
      <h2>{r('console.overview.replies', { count: open.length })}</h2>
      {open.length === 0 ? (
        <p class="empty">{r('console.overview.noReplies')}</p>
      ) : (
        <ul class="cards">
          {open.map((reply) => (
            <ReplyCard rv={rv} reply={reply} />
          ))}
        </ul>
      )}
      <h2>{r('console.overview.campaigns')}</h2>
      {campaigns.length === 0 ? (
        <p class="empty">{r('console.overview.noCampaigns')}</p>
      ) : (
        <div class="cards">
          {campaigns.map((c) => (
            <CampaignCard rv={rv} campaign={c} progress={progress.get(c.id)!} />
          ))}
        </div>
      )}
      <h2>{r('console.overview.upcoming')}</h2>
      <AppointmentList rv={rv} back={BASE} days={14} />
    </div>
  )
}
