/**
 * @module bot/console/reminders/appointment-routes
 * The form posts on appointments: save one, change one in place (the page again with the reason
 * in words when it is refused, what was typed kept), and cancel one. All are audited.
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { editAppointment, isEditable } from '../../reminders/appointment-edit.js'
import {
  AppointmentInput,
  cancelAppointment,
  createAppointment,
} from '../../reminders/appointments.js'
import type { Reminders } from '../../reminders/service.js'
import type { Person } from '../../store/reminder-records.js'
import type { ConsoleDeps, ConsoleEnv } from '../context.js'
import type { Notice } from '../layout.js'
import { editPage } from './appointment-edit.js'
import type { AppointmentDraft } from './appointments.js'
import { BASE, refusalText, remViewOf, type RemView } from './view.js'

const Back = z
  .string()
  .regex(/^\/console\/reminders(\/[\w/-]*)?$/)
  .catch(BASE)

type AppointmentAction = 'create' | 'edit' | 'cancel'

export function appointmentRoutes(
  deps: ConsoleDeps,
  reminders: Reminders,
  personPage: (
    c: Context<ConsoleEnv>,
    rv: RemView,
    person: Person,
    o: { notice: Notice; appointment?: AppointmentDraft; status: 400 | 409 }
  ) => Response | Promise<Response>
) {
  const app = new Hono<ConsoleEnv>()
  const audit = async (rv: RemView, action: AppointmentAction) => {
    deps.desk.audit.append({
      at: rv.now.toISOString(),
      actor: rv.staff.id,
      action: `reminders.appointment.${action}`,
    })
    await deps.desk.audit.flush()
  }
  /** A cancelled or past appointment: the person's page says it cannot be changed. */
  const closed = (c: Context<ConsoleEnv>, rv: RemView, person: Person) =>
    personPage(c, rv, person, {
      notice: { kind: 'error', text: rv.r('console.error.closed') },
      status: 409,
    })

  app.post('/people/:id/appointments', async (c) => {
    const rv = remViewOf(c, deps, reminders)
    const person = deps.store.data.people[c.req.param('id')]
    if (!person) return c.text(rv.r('console.error.not-found'), 404)
    const draft = await readDraft(c)
    const parsed = AppointmentInput.safeParse({ ...draft, personId: person.id })
    const id = reminders.newId('apt')
    const result = parsed.success
      ? await reminders.commit(() =>
          createAppointment(reminders.deps, parsed.data, { now: rv.now, by: rv.staff.id, id })
        )
      : undefined
    if (!result?.ok) {
      const codes = result ? [result.error] : parsed.error!.issues.map((i) => i.message)
      const notice = refusal(rv, codes)
      return personPage(c, rv, person, { notice, appointment: draft, status: 400 })
    }
    await audit(rv, 'create')
    return c.redirect(`${BASE}/people/${person.id}?done=appointment&apt=${id}`, 303)
  })
  /** The appointment to edit and its person, or the answer when there is none or it is closed. */
  const toEdit = (c: Context<ConsoleEnv>, rv: RemView) => {
    const appointment = deps.store.data.appointments[c.req.param('id') ?? '']
    const person = appointment && deps.store.data.people[appointment.personId]
    if (!appointment || !person) return { refused: c.text(rv.r('console.error.not-found'), 404) }
    if (!isEditable(appointment, rv.now)) return { refused: closed(c, rv, person) }
    return { appointment, person }
  }
  app.get('/appointments/:id/edit', (c) => {
    const rv = remViewOf(c, deps, reminders)
    const found = toEdit(c, rv)
    return found.refused ?? editPage(c, rv, found.appointment, found.person)
  })
  app.post('/appointments/:id/edit', async (c) => {
    const rv = remViewOf(c, deps, reminders)
    const found = toEdit(c, rv)
    if (found.refused) return found.refused
    const { appointment, person } = found
    // An edit replaces nothing: it is the same appointment.
    const draft = { ...(await readDraft(c)), replaces: undefined }
    // The same schema and checks as a new appointment (checkAppointment inside the edit).
    const parsed = AppointmentInput.safeParse({ ...draft, personId: person.id })
    const context = { now: rv.now, by: rv.staff.id }
    const result = parsed.success
      ? await reminders.commit(() =>
          editAppointment(reminders.deps, appointment.id, parsed.data, context)
        )
      : undefined
    if (result?.ok === false && result.error === 'closed') return closed(c, rv, person)
    if (!result?.ok) {
      const codes = result ? [result.error] : parsed.error!.issues.map((i) => i.message)
      return editPage(c, rv, appointment, person, { notice: refusal(rv, codes), draft })
    }
    await audit(rv, 'edit')
    return c.redirect(`${BASE}/people/${person.id}?done=edited&apt=${appointment.id}`, 303)
  })
  app.post('/appointments/:id/cancel', async (c) => {
    const rv = remViewOf(c, deps, reminders)
    const form = await c.req.parseBody()
    const appointment = deps.store.data.appointments[c.req.param('id')]
    if (!appointment) return c.text(rv.r('console.error.not-found'), 404)
    await reminders.commit(() => cancelAppointment(deps.store, appointment.id, rv.now))
    await audit(rv, 'cancel')
    return c.redirect(`${Back.parse(form.back)}?done=cancelled`, 303)
  })
  return app
}

/** The appointment form as typed, to check it or show it again. */
async function readDraft(c: Context<ConsoleEnv>): Promise<AppointmentDraft> {
  const form = await c.req.parseBody({ all: true })
  const one = (k: string) => String([form[k]].flat()[0] ?? '')
  return {
    what: one('what'),
    where: one('where'),
    date: one('date'),
    time: one('time'),
    rules: [form.rules ?? []].flat().map(String),
    replaces: one('replaces') || undefined,
  }
}

/** The reasons a form was refused, in words. */
const refusal = (rv: RemView, codes: string[]): Notice => ({
  kind: 'error',
  text: refusalText(rv, codes),
})
