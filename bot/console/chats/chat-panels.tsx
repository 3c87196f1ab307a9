/**
 * @module bot/console/chats/chat-panels
 * The forms beside a conversation. Only what this person may do is shown, and each form says
 * what will happen ("the participant is told that the bot answers again").
 */
import {
  claimRefusal,
  closeRefusal,
  holderRefusal,
  noteRefusal,
} from '../../handoff/permissions.js'
import { isQuiet, nextAllowed } from '../../reminders/quiet-hours.js'
import { staffOutcomes } from '../../handoff/staff-actions.js'
import type { Handoff } from '../../store/schema.js'
import type { ConsoleDeps } from '../context.js'
import { Csrf } from '../layout.js'
import { channelOf, nameOf, timeOf, type ViewContext } from '../view.js'

type PanelProps = { v: ViewContext; deps: ConsoleDeps; h: Handoff }

const action = (h: Handoff, name: string) => `/console/chats/${h.id}/${name}`

/** When an SMS reply held for quiet hours goes out ("2.12. 08:00"). */
export const quietUntil = (v: ViewContext, deps: ConsoleDeps) =>
  timeOf(v, nextAllowed(deps.desk.quietHours, v.now).toISOString())

/** Reply box for the holder, or the claim button for someone who may take it. */
export function ReplyForm(props: PanelProps & { draft?: string }) {
  const { v, h } = props
  const t = v.t
  const quiet = h.channel === 'sms' && isQuiet(props.deps.desk.quietHours, v.now)
  if (!holderRefusal(v.staff, h)) {
    return (
      <form
        class="panel"
        method="post"
        action={action(h, 'reply')}
        data-needs-open
        data-segments={h.channel === 'sms' ? '/console/segments' : undefined}
      >
        <Csrf v={v} />
        <label for="reply-text">{t('chat.reply')}</label>
        <textarea id="reply-text" name="text" rows={4} maxlength={1000} required>
          {props.draft ?? ''}
        </textarea>
        <p class="hint" data-segments-out aria-live="polite">
          {t('chat.replyHelp', { channel: channelOf(v, h) })}
        </p>
        {quiet && <p class="hint">{t('chat.quietHint', { when: quietUntil(v, props.deps) })}</p>}
        {quiet && (
          <label class="check">
            <input type="checkbox" name="now" value="yes" />
            <span>{t('chat.sendNow')}</span>
          </label>
        )}
        <button class="primary" type="submit">
          {t('chat.send')}
        </button>
      </form>
    )
  }
  if (h.state !== 'claimed' && !claimRefusal(v.staff, h)) {
    return (
      <form class="panel" method="post" action={action(h, 'claim')}>
        <Csrf v={v} />
        <button class="primary" type="submit">
          {t('queue.claim')}
        </button>
      </form>
    )
  }
  return null
}

function Notes(props: PanelProps) {
  const { v, h } = props
  const t = v.t
  return (
    <section class="panel">
      <h2>{t('chat.notes')}</h2>
      <p class="hint">{t('chat.notesHelp')}</p>
      {h.notes.length > 0 && (
        <ul class="notes">
          {h.notes.map((n) => (
            <li>
              <span class="muted">{`${nameOf(v, n.by)} · ${timeOf(v, n.at)}: `}</span>
              {n.text}
            </li>
          ))}
        </ul>
      )}
      {!noteRefusal(v.staff, h) && (
        <form method="post" action={action(h, 'note')} data-needs-open>
          <Csrf v={v} />
          <label for="note-text">{t('chat.note')}</label>
          <textarea id="note-text" name="text" rows={2} maxlength={2000} required></textarea>
          <button type="submit">{t('chat.addNote')}</button>
        </form>
      )}
    </section>
  )
}

function Transfer(props: PanelProps) {
  const { v, deps, h } = props
  const t = v.t
  const targets = deps.desk.transferTargets(v.staff)
  return (
    <form class="panel" method="post" action={action(h, 'transfer')} data-needs-open>
      <Csrf v={v} />
      <h2>{t('chat.transfer')}</h2>
      {targets.length === 0 && <p class="hint">{t('chat.noCoordinators')}</p>}
      <div class="row">
        <div>
          <label for="transfer-to">{t('chat.transferTo')}</label>
          <select id="transfer-to" name="to">
            <option value="">{t('chat.transferAny')}</option>
            {targets.map((s) => (
              <option value={s.id}>{`${s.username} (${t(`role.${s.role}`)})`}</option>
            ))}
          </select>
        </div>
        <button type="submit">{t('chat.transferSubmit')}</button>
      </div>
    </form>
  )
}

function Close(props: PanelProps) {
  const { v, h } = props
  const t = v.t
  return (
    <form class="panel" method="post" action={action(h, 'close')} data-needs-open>
      <Csrf v={v} />
      <h2>{t('chat.close')}</h2>
      <p class="hint">{t('chat.closeHelp')}</p>
      <div class="row">
        <div>
          <label for="close-outcome">{t('chat.outcome')}</label>
          <select id="close-outcome" name="outcome" required>
            <option value="" selected>
              {t('chat.chooseOutcome')}
            </option>
            {staffOutcomes.map((o) => (
              <option value={o}>{t(`outcome.${o}`)}</option>
            ))}
          </select>
        </div>
        <button class="danger" type="submit">
          {t('chat.closeSubmit')}
        </button>
      </div>
    </form>
  )
}

function History(props: PanelProps) {
  const { v, h } = props
  return (
    <details class="panel">
      <summary>{v.t('chat.history')}</summary>
      <ul class="notes">
        {h.history.map((e) => (
          <li>
            {`${timeOf(v, e.at)} ${nameOf(v, e.actor)}: ${e.from ? v.t(`state.${e.from}`) + ' → ' : ''}${v.t(`state.${e.to}`)}${e.event === 'urgent' ? ` (${v.t('urgent')})` : ''}`}
          </li>
        ))}
      </ul>
    </details>
  )
}

/** Notes, transfer, put back, close and the history, as far as this person may use them. */
export function ChatPanels(props: PanelProps) {
  const { v, h } = props
  const t = v.t
  const holding = !holderRefusal(v.staff, h)
  return (
    <div>
      <Notes {...props} />
      {holding && <Transfer {...props} />}
      {holding && (
        <form class="panel" method="post" action={action(h, 'release')} data-needs-open>
          <Csrf v={v} />
          <h2>{t('chat.release')}</h2>
          <p class="hint">{t('chat.releaseHelp')}</p>
          <button type="submit">{t('chat.release')}</button>
        </form>
      )}
      {!closeRefusal(v.staff, h) && <Close {...props} />}
      <History {...props} />
    </div>
  )
}
