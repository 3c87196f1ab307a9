/**
 * @module bot/console/staff/staff-page
 * /console/staff, for admins: add volunteers and coordinators, change a role or alert number,
 * give a new temporary password, lift a lockout, turn an account off and on. A temporary
 * password is shown once and must be replaced at the first login. Admins cannot change their own
 * role or turn themselves off, so the console always keeps at least one admin. Every change is
 * in the audit log.
 */
import { Hono, type Context } from 'hono'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import { StaffRole } from '../../store/schema.js'
import {
  addStaff,
  endSessionsOf,
  findStaff,
  newStaffId,
  StaffPhone,
  StaffUsername,
  unlockStaff,
  updateStaff,
} from '../../store/staff.js'
import { viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import type { Notice } from '../layout.js'
import type { LoginGuard } from './login-guard.js'
import { hashPassword, temporaryPassword } from './passwords.js'
import { StaffPage, type Action, type Draft } from './staff-view.js'

const optionalPhone = z
  .string()
  .trim()
  .transform((p) => p.replace(/[\s-]/g, ''))
  .pipe(z.union([z.literal(''), StaffPhone]))
const AddForm = z.object({ username: StaffUsername, role: StaffRole, phone: optionalPhone })
const EditForm = z.object({ role: StaffRole, phone: optionalPhone })

export function staffRoutes(deps: ConsoleDeps, guard: LoginGuard) {
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
    // Only a reset has something to show once: the new temporary password.
    const password = action === 'reset' ? temporaryPassword() : undefined
    if (password) {
      updateStaff(store, target.id, {
        passwordHash: await hashPassword(password),
        mustChangePassword: true,
      })
    } else if (action === 'unlock') unlockStaff(store, target.id)
    else updateStaff(store, target.id, { disabled: action === 'disable' })
    const text = t(`staff.done.${action}`, { name: target.username, password })
    // A new password or a turned-off account ends every login the account had.
    if (action === 'reset' || action === 'disable') {
      endSessionsOf(store, target.id)
      desk.presence.leave(target.id)
    }
    await audit(c.get('staff').id, `staff.${action}`, target.id)
    // Their live streams end.
    desk.changed()
    return page(c, { notice: { kind: 'ok', text } })
  })
  return app
}
