import { afterEach, describe, expect, it } from 'vitest'
import { queueDueReminders } from '../../bot/reminders/appointments.js'
import { addStaffMember, loggedIn, text, type ConsoleClient } from '../helpers/console.js'
import {
  addAppointment,
  addPerson,
  oslo,
  reminderApp,
  smsTo,
  type ReminderApp,
} from '../helpers/reminders.js'

let t: ReminderApp
afterEach(async () => {
  await t?.runtime.handoffs.settled()
  await t?.cleanup()
})

const BASE = '/console/reminders'
const PHONE = '+4791234567'
const RULES = ['-1d@18:00', '0d@08:00', '-2h']

/** The text of a page without tags, for reading what a coordinator reads. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')

/** Posts the edit form with repeated `rules` fields (ticked checkboxes), as a browser does. */
function postEdit(
  client: ConsoleClient,
  id: string,
  fields: Record<string, string>,
  rules: string[] = RULES
) {
  const form = new URLSearchParams({ _csrf: client.csrf, ...fields })
  for (const rule of rules) form.append('rules', rule)
  return t.app.request(`${BASE}/appointments/${id}/edit`, {
    method: 'POST',
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: form.toString(),
  })
}

/** Ola with an appointment on Tuesday 24.11. at 14:00 and three reminders; Kari logged in. */
async function setUp() {
  t = await reminderApp('2026-11-20T12:00')
  await addStaffMember(t, 'kari', 'coordinator')
  await addStaffMember(t, 'anne', 'volunteer')
  const person = addPerson(t)
  const appointment = addAppointment(t, person, '2026-11-24T14:00', {
    where: 'Storgata 1',
    rules: RULES,
  })
  await t.store.flush()
  return { person, appointment, kari: await loggedIn(t, 'kari') }
}

const stored = (id: string) => t.store.data.appointments[id]!
/** The outbox messages of one appointment's reminders, whatever their state. */
const messagesOf = (id: string) =>
  Object.values(t.store.data.outbox).filter((m) => m.source?.id === id)
const editsIn = async () =>
  (await t.runtime.handoffs.audit.recent()).filter((e) => e.action === 'reminders.appointment.edit')

describe('editing an appointment in the console', () => {
  it('Should open a form filled in with the appointment, from an Endre link on the person page', async () => {
    const { person, appointment, kari } = await setUp()
    const page = await kari.page(`${BASE}/people/${person.id}`)
    expect(page.html).toContain(`href="${BASE}/appointments/${appointment.id}/edit"`)
    expect(words(page.html)).toContain('Endre')
    const form = await kari.page(`${BASE}/appointments/${appointment.id}/edit`)
    expect(form.status).toBe(200)
    expect(form.html).toContain(`action="${BASE}/appointments/${appointment.id}/edit"`)
    expect(form.html).toContain('value="Møte hos NAV"')
    expect(form.html).toContain('value="Storgata 1"')
    expect(form.html).toContain('value="2026-11-24"')
    expect(form.html).toContain('value="14:00"')
    for (const rule of RULES) expect(form.html).toMatch(new RegExp(`value="${rule}" checked`))
    expect(form.html).not.toMatch(/value="-1h" checked/)
    expect(words(form.html)).toContain('Endre avtale')
  })

  it('Should move the time: unsent reminders stopped, sent ones kept, new ones for the new time', async () => {
    const { person, appointment } = await setUp()
    // The day-before reminder goes; the morning one waits in the outbox, not yet sent.
    t.at('2026-11-23T18:00')
    await t.tick()
    // Ola answers that he needs a new time: that is what the edit gives him.
    await text(t, PHONE, '2')
    expect(stored(appointment.id).answer?.kind).toBe('new-time')
    t.at('2026-11-24T08:00')
    expect(queueDueReminders(t.runtime.reminders.deps, t.now())).toBe(1)
    const kari = await loggedIn(t, 'kari')
    const [sentId, waitingId] = stored(appointment.id).reminders.map((r) => r.messageId)
    expect(t.store.data.outbox[waitingId!]!.state).toBe('pending')
    await kari.page(`${BASE}/appointments/${appointment.id}/edit`)
    const res = await postEdit(kari, appointment.id, {
      what: 'Møte hos NAV',
      where: 'Storgata 2',
      date: '2026-11-26',
      time: '14:00',
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe(
      `${BASE}/people/${person.id}?done=edited&apt=${appointment.id}`
    )
    const edited = stored(appointment.id)
    expect(edited).toMatchObject({ at: '2026-11-26T14:00:00.000+01:00', where: 'Storgata 2' })
    expect(edited.answer).toBeUndefined()
    expect(Object.values(t.store.data.replies)).toMatchObject([
      { appointmentId: appointment.id, kind: 'new-time', handledBy: 's_kari' },
    ])
    expect(t.store.data.outbox[sentId!]!.state).toBe('sent')
    expect(t.store.data.outbox[waitingId!]!.state).toBe('cancelled')
    expect(edited.reminders).toEqual([
      {
        rule: '-1d@18:00',
        dueAt: oslo('2026-11-23T18:00').toISOString(),
        state: 'queued',
        messageId: sentId,
        oldAt: '2026-11-24T14:00:00.000+01:00',
      },
      { rule: '-1d@18:00', dueAt: oslo('2026-11-25T18:00').toISOString(), state: 'planned' },
      { rule: '0d@08:00', dueAt: oslo('2026-11-26T08:00').toISOString(), state: 'planned' },
      { rule: '-2h', dueAt: oslo('2026-11-26T12:00').toISOString(), state: 'planned' },
    ])
    const page = words((await kari.page(res.headers.get('location')!)).html)
    expect(page).toContain(
      'Avtalen er endret. Påminnelser sendes ons. 25.11. kl. 18:00 og tor. 26.11. kl. 08:00 og tor. 26.11. kl. 12:00.'
    )
    expect(page).toContain('sendt (for den gamle tiden tir. 24.11. kl. 14:00)')
    // Nothing goes at the old times; the new reminder goes once, with the new time and place.
    t.at('2026-11-24T12:00')
    await t.tick()
    expect(smsTo(t, PHONE, ['pending', 'sending', 'sent'])).toHaveLength(1)
    t.at('2026-11-25T18:00')
    await t.tick()
    await t.tick()
    expect(smsTo(t, PHONE)).toEqual([
      'Påminnelse: Møte hos NAV tirsdag 24.11. kl. 14:00. Sted: Storgata 1. Svar 1 hvis du kommer, 2 hvis du trenger ny tid.',
      'Påminnelse: Møte hos NAV torsdag 26.11. kl. 14:00. Sted: Storgata 2. Svar 1 hvis du kommer, 2 hvis du trenger ny tid.',
    ])
    const ids = Object.keys(t.store.data.outbox)
    expect(new Set(ids).size).toBe(3)
  })

  it('Should keep the plan when only the place changes, and not send a reminder twice', async () => {
    const { appointment } = await setUp()
    t.at('2026-11-23T18:00')
    await t.tick()
    t.at('2026-11-23T19:00')
    const kari = await loggedIn(t, 'kari')
    await kari.page(`${BASE}/appointments/${appointment.id}/edit`)
    const res = await postEdit(kari, appointment.id, {
      what: 'Møte hos NAV',
      where: 'Storgata 2',
      date: '2026-11-24',
      time: '14:00',
    })
    expect(res.status).toBe(303)
    const reminders = stored(appointment.id).reminders
    expect(reminders.map((r) => [r.rule, r.state, r.oldAt])).toEqual([
      ['-1d@18:00', 'queued', undefined],
      ['0d@08:00', 'planned', undefined],
      ['-2h', 'planned', undefined],
    ])
    t.at('2026-11-24T08:00')
    await t.tick()
    expect(smsTo(t, PHONE)).toHaveLength(2)
    expect(smsTo(t, PHONE)[1]).toContain('Sted: Storgata 2.')
  })

  it('Should not send a second catch-up when an appointment entered late is edited', async () => {
    const { person } = await setUp()
    t.at('2026-11-23T20:00')
    const late = addAppointment(t, person, '2026-11-24T14:00', { rules: ['-1d@18:00', '-2h'] })
    await t.tick()
    expect(messagesOf(late.id)).toHaveLength(1)
    const kari = await loggedIn(t, 'kari')
    await kari.page(`${BASE}/appointments/${late.id}/edit`)
    const res = await postEdit(
      kari,
      late.id,
      { what: 'Møte hos NAV', where: 'Storgata 2', date: '2026-11-24', time: '14:00' },
      ['-1d@18:00', '-2h']
    )
    expect(res.status).toBe(303)
    expect(stored(late.id).reminders.map((r) => [r.rule, r.state, r.reason])).toEqual([
      ['catch-up', 'queued', undefined],
      ['-1d@18:00', 'skipped', 'passed'],
      ['-2h', 'planned', undefined],
    ])
    t.at('2026-11-23T20:30')
    await t.tick()
    expect(messagesOf(late.id)).toHaveLength(1)
  })

  it('Should refuse a bad edit with 400 and the reason, keep what was typed, and change nothing', async () => {
    const { appointment, kari } = await setUp()
    const before = structuredClone(stored(appointment.id))
    const outbox = structuredClone(t.store.data.outbox)
    await kari.page(`${BASE}/appointments/${appointment.id}/edit`)
    const gap = await postEdit(kari, appointment.id, {
      what: 'Møte med friomsorgen',
      where: '',
      date: '2027-03-28',
      time: '02:30',
    })
    expect(gap.status).toBe(400)
    const raw = await gap.text()
    expect(raw).toContain('value="Møte med friomsorgen"')
    expect(raw).toContain('value="2027-03-28"')
    expect(raw).toContain('value="02:30"')
    expect(raw).toContain(`action="${BASE}/appointments/${appointment.id}/edit"`)
    expect(words(raw)).toContain('Det klokkeslettet finnes ikke den dagen (klokka stilles fram).')
    const empty = await postEdit(kari, appointment.id, {
      what: '',
      where: '',
      date: '2026-11-19',
      time: '25:00',
    })
    expect(empty.status).toBe(400)
    const reasons = words(await empty.text())
    expect(reasons).toContain('Skriv hva avtalen gjelder (høyst 60 tegn).')
    expect(reasons).toContain('Velg et klokkeslett.')
    const past = await postEdit(kari, appointment.id, {
      what: 'Møte hos NAV',
      where: '',
      date: '2026-11-19',
      time: '14:00',
    })
    expect(past.status).toBe(400)
    expect(words(await past.text())).toContain('Tidspunktet er passert.')
    expect(stored(appointment.id)).toEqual(before)
    expect(t.store.data.outbox).toEqual(outbox)
    expect(await editsIn()).toEqual([])
  })

  it('Should not edit a cancelled or a past appointment', async () => {
    const { person, appointment, kari } = await setUp()
    const later = addAppointment(t, person, '2026-11-21T10:00', { rules: ['-2h'] })
    await kari.page(`${BASE}/people/${person.id}`)
    await kari.post(`${BASE}/appointments/${appointment.id}/cancel`, {})
    expect(stored(appointment.id).status).toBe('cancelled')
    const page = await kari.page(`${BASE}/people/${person.id}`)
    expect(page.html).not.toContain(`${BASE}/appointments/${appointment.id}/edit`)
    expect((await kari.get(`${BASE}/appointments/${appointment.id}/edit`)).status).toBe(409)
    const before = structuredClone(stored(appointment.id))
    const res = await postEdit(kari, appointment.id, {
      what: 'Møte hos NAV',
      where: '',
      date: '2026-11-26',
      time: '14:00',
    })
    expect(res.status).toBe(409)
    expect(words(await res.text())).toContain(
      'Avtalen er avlyst eller allerede passert, og kan ikke endres.'
    )
    expect(stored(appointment.id)).toEqual(before)
    // Once it has begun, it is history too.
    t.at('2026-11-21T10:00')
    const begun = await postEdit(await loggedIn(t, 'kari'), later.id, {
      what: 'Møte hos NAV',
      where: '',
      date: '2026-11-26',
      time: '14:00',
    })
    expect(begun.status).toBe(409)
    expect(stored(later.id).at).toBe('2026-11-21T10:00:00.000+01:00')
    expect(await editsIn()).toEqual([])
  })

  it('Should refuse a volunteer, and a form without the CSRF token', async () => {
    const { appointment, kari } = await setUp()
    const before = structuredClone(stored(appointment.id))
    const fields = { what: 'Møte hos NAV', where: '', date: '2026-11-26', time: '14:00' }
    const anne = await loggedIn(t, 'anne')
    expect((await anne.get(`${BASE}/appointments/${appointment.id}/edit`)).status).toBe(403)
    expect((await postEdit(anne, appointment.id, fields)).status).toBe(403)
    await kari.page(`${BASE}/appointments/${appointment.id}/edit`)
    expect(
      (await kari.post(`${BASE}/appointments/${appointment.id}/edit`, fields, '')).status
    ).toBe(403)
    expect(stored(appointment.id)).toEqual(before)
    expect(await editsIn()).toEqual([])
  })

  it('Should write who edited in the audit trail, shown in words', async () => {
    const { appointment, kari } = await setUp()
    await kari.page(`${BASE}/appointments/${appointment.id}/edit`)
    const res = await postEdit(kari, appointment.id, {
      what: 'Møte hos NAV',
      where: '',
      date: '2026-11-25',
      time: '10:00',
    })
    expect(res.status).toBe(303)
    expect(stored(appointment.id).where).toBeUndefined()
    expect(await editsIn()).toEqual([
      { at: t.now().toISOString(), actor: 's_kari', action: 'reminders.appointment.edit' },
    ])
    expect(words((await kari.page('/console/audit')).html)).toContain('endret en avtale')
  })
})
