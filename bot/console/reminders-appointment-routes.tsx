/**
 * @module bot/console/reminders-appointment-routes
 * The form posts on appointments: save one (the page again with the reason in words when it is
 * refused, what was typed kept), and cancel one. Both are audited.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import {
  AppointmentInput,
  cancelAppointment,
  createAppointment,
} from '../reminders/appointments.js'
import type { Reminders } from '../reminders/service.js'
import type { Person } from '../store/reminder-records.js'
import type { ConsoleDeps, ConsoleEnv } from './context.js'
import type { Notice } from './layout.js'
import type { AppointmentDraft } from './reminders-appointments.js'
import { BASE, remViewOf, type RemView } from './reminders-view.js'

const Back = z
  .string()
  .regex(/^\/console\/reminders(\/[\w/-]*)?$/)
  .catch(BASE)

export function appointmentRoutes(
  deps: ConsoleDeps,
  reminders: Reminders,
  personPage: (
    c: Context<ConsoleEnv>,
    rv: RemView,
    person: Person,
    o: { notice: Notice; appointment: AppointmentDraft; status: 400 }
  ) => Response | Promise<Response>
) {
  const app = new Hono<ConsoleEnv>()
  app.post('/people/:id/appointments', async (c) => {
    const rv = remViewOf(c, deps, reminders)
    const person = deps.store.data.people[c.req.param('id')]
    if (!person) return c.text(rv.r('console.error.not-found'), 404)
    const form = await c.req.parseBody({ all: true })
    const one = (k: string) => String([form[k]].flat()[0] ?? '')
    const draft: AppointmentDraft = {
      what: one('what'),
      where: one('where'),
      date: one('date'),
      time: one('time'),
      rules: [form.rules ?? []].flat().map(String),
      replaces: one('replaces') || undefined,
    }
    const parsed = AppointmentInput.safeParse({ ...draft, personId: person.id })
    const id = reminders.newId('apt')
    const result = parsed.success
      ? await reminders.commit(() =>
          createAppointment(reminders.deps, parsed.data, { now: rv.now, by: rv.staff.id, id })
        )
      : undefined
    if (!result?.ok) {
      const codes = result ? [result.error] : parsed.error!.issues.map((i) => i.message)
      const text = codes.map((k) => errorText(rv, k)).join(' ')
      return personPage(c, rv, person, {
        notice: { kind: 'error', text },
        appointment: draft,
        status: 400,
      })
    }
    deps.desk.audit.append({
      at: rv.now.toISOString(),
      actor: rv.staff.id,
      action: 'reminders.appointment.create',
    })
    await deps.desk.audit.flush()
    return c.redirect(`${BASE}/people/${person.id}?done=appointment&apt=${id}`, 303)
  })
  app.post('/appointments/:id/cancel', async (c) => {
    const rv = remViewOf(c, deps, reminders)
    const form = await c.req.parseBody()
    const appointment = deps.store.data.appointments[c.req.param('id')]
    if (!appointment) return c.text(rv.r('console.error.not-found'), 404)
    await reminders.commit(() => cancelAppointment(deps.store, appointment.id, rv.now))
    deps.desk.audit.append({
      at: rv.now.toISOString(),
      actor: rv.staff.id,
      action: 'reminders.appointment.cancel',
    })
    await deps.desk.audit.flush()
    return c.redirect(`${Back.parse(form.back)}?done=cancelled`, 303)
  })
  return app
}

/** A form error code in words. */
const errorText = (rv: RemView, code: string) =>
  rv.r(`console.error.${code}` as 'console.error.what')
