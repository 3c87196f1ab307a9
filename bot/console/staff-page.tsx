/**
 * @module bot/console/staff-page
 * /console/staff, for admins: add volunteers and coordinators, change a role or alert number,
 * give a new temporary password, lift a lockout, turn an account off and on. A temporary
 * password is shown once and must be replaced at the first login. Admins cannot change their own
 * role or turn themselves off, so the console always keeps at least one admin. Every change is
 * in the audit log.
 */
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { StaffRole, type StaffAccount } from '../store/schema.js'
import {
  addStaff,
  endSessionsOf,
  findStaff,
  isLocked,
  newStaffId,
  StaffPhone,
  StaffUsername,
  unlockStaff,
  updateStaff,
} from '../store/staff.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from './context.js'
import { Csrf, Page, type Notice } from './layout.js'
import { hashPassword, temporaryPassword } from './passwords.js'
import { timeOf, type ViewContext } from './view.js'

const BASE = '/console/staff'
const optionalPhone = z
  .string()
  .trim()
  .transform((p) => p.replace(/[\s-]/g, ''))
  .pipe(z.union([z.literal(''), StaffPhone]))
const AddForm = z.object({ username: StaffUsername, role: StaffRole, phone: optionalPhone })
const EditForm = z.object({ role: StaffRole, phone: optionalPhone })

type Draft = { username: string; role: string; phone: string }
type Action = 'reset' | 'unlock' | 'disable' | 'enable'

export function staffRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  const { store, desk, clock } = deps

  const page = (
    c: Context<ConsoleEnv>,
    options: { status?: ContentfulStatusCode; notice?: Notice; draft?: Draft } = {}
  ) => c.html(<StaffPage v={viewOf(c, deps)} deps={deps} {...options} />, options.status ?? 200)
  const refuse = (c: Context<ConsoleEnv>, status: ContentfulStatusCode, text: string) =>
    page(c, { status, notice: { kind: 'error', text } })
  const audit = async (actor: string, action: string, target: string) => {
    desk.audit.append({ at: clock().toISOString(), actor, action, staffId: target })
    await Promise.all([store.flush(), desk.audit.flush()])
  }
  /** What the form got wrong, in the staff's words. */
  const problems = (c: Context<ConsoleEnv>, error: z.ZodError) =>
    [...new Set(error.issues.map((i) => String(i.path[0])))]
      .map((field) => viewOf(c, deps).t(`staff.invalid.${field as 'username' | 'role' | 'phone'}`))
      .join(' ')

  app.use('*', async (c, next) => {
    if (c.get('staff').role !== 'admin') return c.text(viewOf(c, deps).t('staff.adminsOnly'), 403)
    await next()
  })

  app.get('/', (c) => page(c))

  app.post('/', async (c) => {
    const t = viewOf(c, deps).t
    const body = await c.req.parseBody()
    const draft = {
      username: String(body.username ?? ''),
      role: String(body.role ?? ''),
      phone: String(body.phone ?? ''),
    }
    const form = AddForm.safeParse(draft)
    if (!form.success) {
      return page(c, {
        status: 400,
        draft,
        notice: { kind: 'error', text: problems(c, form.error) },
      })
    }
    const { username, role, phone } = form.data
    if (findStaff(store, username)) {
      const text = t('staff.exists', { name: username })
      return page(c, { status: 409, draft, notice: { kind: 'error', text } })
    }
    const password = temporaryPassword()
    const id = newStaffId()
    const passwordHash = await hashPassword(password)
    addStaff(
      store,
      { id, username, role, passwordHash, phone: phone || undefined, mustChangePassword: true },
      clock()
    )
    await audit(c.get('staff').id, 'staff.created', id)
    return page(c, {
      notice: { kind: 'ok', text: t('staff.created', { name: username, password }) },
    })
  })

  app.post('/:id/edit', async (c) => {
    const t = viewOf(c, deps).t
    const target = store.data.staff[c.req.param('id')]
    if (!target) return refuse(c, 404, t('staff.notFound'))
    const form = EditForm.safeParse(await c.req.parseBody())
    if (!form.success) return refuse(c, 400, problems(c, form.error))
    const { role, phone } = form.data
    if (target.id === c.get('staff').id && role !== target.role)
      return refuse(c, 409, t('staff.notYourself'))
    const change = role === target.role ? 'staff.edited' : 'staff.role-changed'
    updateStaff(store, target.id, { role, phone: phone || undefined })
    await audit(c.get('staff').id, change, target.id)
    return page(c, { notice: { kind: 'ok', text: t('staff.saved', { name: target.username }) } })
  })

  app.post('/:id/:action{reset|unlock|disable|enable}', async (c) => {
    const t = viewOf(c, deps).t
    const target = store.data.staff[c.req.param('id')]
    const action = c.req.param('action') as Action
    if (!target) return refuse(c, 404, t('staff.notFound'))
    if (target.id === c.get('staff').id && action !== 'unlock')
      return refuse(c, 409, t('staff.notYourself'))
    let text = t(`staff.done.${action}`, { name: target.username })
    if (action === 'reset') {
      const password = temporaryPassword()
      updateStaff(store, target.id, {
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
      })
      text = t('staff.done.reset', { name: target.username, password })
    } else if (action === 'unlock') unlockStaff(store, target.id)
    else updateStaff(store, target.id, { disabled: action === 'disable' })
    // A new password or a turned-off account ends every login the account had.
    if (action === 'reset' || action === 'disable') endSessionsOf(store, target.id)
    await audit(c.get('staff').id, `staff.${action}`, target.id)
    return page(c, { notice: { kind: 'ok', text } })
  })
  return app
}

function StaffPage(props: { v: ViewContext; deps: ConsoleDeps; notice?: Notice; draft?: Draft }) {
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
