/**
 * @module bot/console/staff/staff-view
 * The Staff page's HTML: every account with its role, alert number, state and actions, and the
 * form that adds one. An admin's own row offers no action that could lock them out.
 */
import { StaffRole, type StaffAccount } from '../../store/schema.js'
import { isLocked } from '../../store/staff.js'
import type { ConsoleDeps } from '../context.js'
import { Csrf, Page, type Notice } from '../layout.js'
import { timeOf, type ViewContext } from '../view.js'

export const BASE = '/console/staff'

/** What the add form holds after a refusal, as typed. */
export type Draft = { username: string; role: string; phone: string }
export type Action = 'reset' | 'unlock' | 'disable' | 'enable'

/** The list of accounts, each with its actions, and the form to add one. */
export function StaffPage(props: {
  v: ViewContext
  deps: ConsoleDeps
  notice?: Notice
  draft?: Draft
}) {
  const { v, deps, draft } = props
  const t = v.t
  const accounts = Object.values(deps.store.data.staff).sort((a, b) =>
    a.username.localeCompare(b.username)
  )
  return (
    <Page
      t={t}
      language={deps.desk.settings.staffLanguage}
      title={t('staff.title')}
      v={v}
      notice={props.notice}
    >
      <h1>{t('staff.title')}</h1>
      <p>{t('staff.intro')}</p>
      <table>
        <thead>
          <tr>
            <th>{t('staff.username')}</th>
            <th>{t('staff.role')}</th>
            <th>{t('staff.phone')}</th>
            <th>{t('staff.status')}</th>
            <th>{t('staff.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((account) => (
            <Row v={v} account={account} />
          ))}
        </tbody>
      </table>
      <section class="panel">
        <h2>{t('staff.add')}</h2>
        <p class="hint">{t('staff.addHint')}</p>
        <form method="post" action={BASE}>
          <Csrf v={v} />
          <div class="row">
            <div>
              <label for="username">{t('staff.username')}</label>
              <input
                id="username"
                name="username"
                value={draft?.username ?? ''}
                autocomplete="off"
                required
                maxlength={32}
              />
            </div>
            <div>
              <label for="role">{t('staff.role')}</label>
              <RoleSelect v={v} id="role" selected={draft?.role ?? 'volunteer'} />
            </div>
            <div>
              <label for="phone">{t('staff.phoneOptional')}</label>
              <input
                id="phone"
                name="phone"
                type="tel"
                value={draft?.phone ?? ''}
                placeholder="+4791234567"
              />
            </div>
            <button class="primary" type="submit">
              {t('staff.addSubmit')}
            </button>
          </div>
        </form>
      </section>
    </Page>
  )
}

function Row(props: { v: ViewContext; account: StaffAccount }) {
  const { v, account } = props
  const t = v.t
  const self = account.id === v.staff.id
  const formId = `edit-${account.id}`
  const action = (name: Action, danger = false) => (
    <form method="post" action={`${BASE}/${account.id}/${name}`} class="inline">
      <Csrf v={v} />
      <button type="submit" class={danger ? 'danger' : ''}>
        {t(`staff.action.${name}`)}
      </button>
    </form>
  )
  return (
    <tr>
      <td>
        {account.username}
        {self && <span class="muted"> ({t('staff.you')})</span>}
      </td>
      <td>
        <RoleSelect
          v={v}
          id={`role-${account.id}`}
          selected={account.role}
          form={formId}
          disabled={self}
        />
      </td>
      <td>
        <input
          name="phone"
          type="tel"
          value={account.phone ?? ''}
          form={formId}
          aria-label={t('staff.phone')}
        />
      </td>
      <td>{statusOf(v, account)}</td>
      <td>
        <div class="buttons">
          <form id={formId} method="post" action={`${BASE}/${account.id}/edit`} class="inline">
            <Csrf v={v} />
            {self && <input type="hidden" name="role" value={account.role} />}
            <button type="submit">{t('staff.action.save')}</button>
          </form>
          {isLocked(account, v.now) && action('unlock')}
          {!self && action('reset')}
          {!self && (account.disabled ? action('enable') : action('disable', true))}
        </div>
      </td>
    </tr>
  )
}

function RoleSelect(props: {
  v: ViewContext
  id: string
  selected: string
  form?: string
  disabled?: boolean
}) {
  return (
    <select
      id={props.id}
      name="role"
      form={props.form}
      disabled={props.disabled}
      aria-label={props.v.t('staff.role')}
    >
      {StaffRole.options.map((role) => (
        <option value={role} selected={role === props.selected}>
          {props.v.t(`role.${role}`)}
        </option>
      ))}
    </select>
  )
}

function statusOf(v: ViewContext, account: StaffAccount): string {
  if (account.disabled) return v.t('staff.state.disabled')
  if (isLocked(account, v.now))
    return v.t('staff.state.locked', { until: timeOf(v, account.lockedUntil!) })
  if (account.mustChangePassword) return v.t('staff.state.temporary')
  return v.t('staff.state.active')
}
