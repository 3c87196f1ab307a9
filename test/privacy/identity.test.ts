/**
 * Identity is exact: SLETT, the privacy page and every lookup by id find one participant by
 * channel and id (or the stored E.164 number), never by a substring, a suffix or an object's
 * prototype chain, and never touch a staff account.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { aliasCode } from '../../bot/handoff/alias.js'
import { touchParticipant } from '../../bot/store/participants.js'
import { addStaffMember, loggedIn, text } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { addAppointment, addPerson, reminderApp, type ReminderApp } from '../helpers/reminders.js'

let t: TestApp
afterEach(async () => t?.cleanup())

const idOf = (t: TestApp, channel: string, address: string) =>
  t.store.data.contacts[`${channel}:${address}`]

/** SLETT and its confirmation from one number. */
async function slett(t: TestApp, from: string): Promise<string> {
  await text(t, from, 'slett')
  return (await text(t, from, '1')).join('\n')
}

describe('SLETT deletes exactly one participant', () => {
  it('Should leave the staff account alone when SLETT comes from a staff member’s own phone', async () => {
    t = await makeApp()
    const kari = await addStaffMember(t, 'kari', 'admin', '+4791234567')
    await text(t, '+4791234567', 'meny')
    expect(await slett(t, '+4791234567')).toContain('Vi har slettet alt')
    expect(t.store.data.staff[kari]).toMatchObject({ username: 'kari', phone: '+4791234567' })
    expect(await loggedIn(t, 'kari')).toBeDefined()
  })

  it('Should keep the alert SMS sent to a staff member’s phone when SLETT comes from that phone (row 1)', async () => {
    const now = new Date('2026-11-23T12:00:00+01:00') // Monday, in office hours
    const KARI = '+4790000009'
    t = await makeApp({ now: () => now, config: { HANDOFF_ONCALL: [KARI] } })
    await addStaffMember(t, 'kari', 'coordinator', KARI)
    await text(t, '+4791234567', 'menneske')
    await text(t, '+4791234567', 'ja')
    await t.runtime.handoffs.settled()
    const toKari = () => Object.values(t.store.data.outbox).filter((m) => m.to === KARI)
    const alerts = toKari().map((m) => m.id)
    expect(alerts).toHaveLength(1)
    // Kari tries the bot from her own phone, and gets a message as a participant too.
    await text(t, KARI, 'meny')
    expect(await t.runtime.sendProactive(idOf(t, 'sms', KARI)!, 'Hei fra boten')).toBe(true)
    expect(toKari()).toHaveLength(2)
    expect(await slett(t, KARI)).toContain('Vi har slettet alt')
    expect(toKari().map((m) => m.id)).toEqual(alerts)
    expect(idOf(t, 'sms', KARI)).toBeUndefined()
    await t.runtime.handoffs.settled()
  })

  it('Should delete nobody else when the sender is a short number that others’ numbers contain', async () => {
    t = await makeApp()
    await addStaffMember(t, 'kari', 'admin', '+4791234567')
    await addStaffMember(t, 'ola', 'coordinator', '+4794444444')
    for (const n of ['+4791111111', '+4792222474', '+4740000000']) await text(t, n, 'meny')
    await text(t, '+4792222474', 'bolig')
    const before = Object.keys(t.store.data.participants).length
    for (const short of ['+479', '+474']) {
      await text(t, short, 'meny')
      await slett(t, short)
    }
    expect(Object.keys(t.store.data.staff).sort()).toEqual(['s_kari', 's_ola'])
    expect(Object.keys(t.store.data.participants)).toHaveLength(before)
    for (const n of ['+4791111111', '+4792222474', '+4740000000']) {
      const id = idOf(t, 'sms', n)!
      expect(t.store.data.participants[id]?.address).toBe(n)
      expect(t.store.data.conversations[id]).toBeDefined()
      expect(t.store.data.botState[`sms/conversations/${n}/`]).toBeDefined()
    }
  })

  it('Should delete the appointments, replies and reminders kept about the person (row 10)', async () => {
    const r: ReminderApp = await reminderApp('2026-11-23T12:00')
    t = r
    const phone = '+4791234567'
    const other = addPerson(r, { name: 'Per', phone: '+4798765432' })
    const person = addPerson(r, { name: 'Ola', phone })
    addAppointment(r, person, '2026-11-25T10:00', { what: 'NAV', where: 'Storgata 1' })
    const kept = addAppointment(r, other, '2026-11-25T11:00')
    r.at('2026-11-24T18:00')
    await r.tick()
    expect(Object.values(r.store.data.outbox).some((m) => m.to === phone)).toBe(true)
    await text(r, phone, 'hei')
    expect(await slett(r, phone)).toContain('Vi har slettet alt')
    const json = JSON.stringify(r.store.data)
    for (const trace of [person.id, phone, 'Storgata 1']) expect(json).not.toContain(trace)
    expect(r.store.data.appointments[kept.id]).toBeDefined()
    expect(r.store.data.people[other.id]).toBeDefined()
  })
})

describe('the privacy page finds by exact number or alias', () => {
  it('Should find the SMS participant by its number, never a web chat id that holds the digits', async () => {
    t = await makeApp()
    await addStaffMember(t, 'kari', 'coordinator')
    const now = t.runtime.clock()
    const web = touchParticipant(t.store, 'webchat', 'dl-91234567', now, () => 'p_web').participant
    await text(t, '+4791234567', 'meny')
    const sms = idOf(t, 'sms', '+4791234567')!
    const kari = await loggedIn(t, 'kari')
    for (const q of ['+47 912 34 567', '91234567', '0047 91234567']) {
      const page = await kari.page(`/console/privacy?q=${encodeURIComponent(q)}`)
      expect(page.html, q).toContain(aliasCode(sms))
      expect(page.html, q).not.toContain(aliasCode(web.id))
      expect(page.html, q).toMatch(/Kanal<\/dt><dd>SMS/)
    }
    for (const q of ['1234567', '4567', '12345678']) {
      const page = await kari.page(`/console/privacy?q=${encodeURIComponent(q)}`)
      expect(page.html, q).toContain('Fant ingen')
    }
    const byAlias = await kari.page(`/console/privacy?q=${aliasCode(web.id)}`)
    expect(byAlias.html).toMatch(/Kanal<\/dt><dd>nettprat/)
  })

  it('Should find a short sender by exactly its stored address, and an alias as the queue shows it', async () => {
    t = await makeApp()
    await addStaffMember(t, 'kari', 'coordinator')
    for (const n of ['+479', '2222', '+4791111111']) await text(t, n, 'meny')
    const kari = await loggedIn(t, 'kari')
    const find = async (q: string) =>
      (await kari.page(`/console/privacy?q=${encodeURIComponent(q)}`)).html
    // Finding 8 of the outside review of issue 16.
    for (const short of ['+479', '2222']) {
      const code = aliasCode(idOf(t, 'sms', short)!)
      const html = await find(short)
      expect(html, short).toContain(code)
      expect(html, short).not.toContain(aliasCode(idOf(t, 'sms', '+4791111111')!))
    }
    for (const part of ['479', '222', '+47', '22222'])
      expect(await find(part), part).toContain('Fant ingen')
    const code = aliasCode(idOf(t, 'sms', '+4791111111')!)
    for (const q of [
      code,
      code.toLowerCase(),
      `Deltaker ${code}`,
      ` deltaker  ${code.toLowerCase()} `,
      `Participant ${code}`,
    ])
      expect(await find(q), q).toMatch(/Kanal<\/dt><dd>SMS/)
    expect(await find(`Deltaker`)).toContain('Fant ingen')
    expect(await find(`Deltaker ${code}X`)).toContain('Fant ingen')
  })

  it('Should answer 404 for ids on an object’s prototype chain and delete nothing', async () => {
    t = await makeApp()
    await addStaffMember(t, 'kari', 'coordinator')
    await text(t, '+4791234567', 'menneske')
    await text(t, '+4791234567', '1')
    const handoffs = Object.keys(t.store.data.handoffs)
    expect(handoffs).toHaveLength(1)
    const kari = await loggedIn(t, 'kari')
    for (const id of ['constructor', '__proto__', 'hasOwnProperty', 'toString']) {
      expect((await kari.get(`/console/privacy/${id}/export`)).status, id).toBe(404)
      const res = await kari.post(`/console/privacy/${id}/delete`, { confirm: 'yes' })
      expect(res.status, id).toBe(404)
      expect((await kari.get(`/console/chats/${id}`)).status, id).toBe(404)
    }
    expect(Object.keys(t.store.data.handoffs)).toEqual(handoffs)
    expect(Object.keys(t.store.data.participants)).toHaveLength(1)
  })
})
