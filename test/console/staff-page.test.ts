import { afterEach, describe, expect, it } from 'vitest'
import { findStaff } from '../../bot/store/staff.js'
import { addStaffMember, ConsoleClient, loggedIn, PASSWORD } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

let t: TestApp
afterEach(async () => t?.cleanup())

/** The temporary password in the notice an admin sees once. */
const temporaryIn = (html: string) => /([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})/.exec(html)?.[1]

async function auditActions() {
  return (await t.runtime.handoffs.audit.recent()).map((e) =>
    `${e.action} ${e.staffId ?? ''}`.trim()
  )
}

describe('the staff page', () => {
  it('Should let an admin add a volunteer, who must choose a password before anything else', async () => {
    t = await makeApp()
    const adminId = await addStaffMember(t, 'ada', 'admin')
    const ada = await loggedIn(t, 'ada')
    await ada.page('/console/staff')
    const added = await ada.post('/console/staff', {
      username: 'Vera',
      role: 'volunteer',
      phone: '+47 912 34 567',
    })
    expect(added.status).toBe(200)
    const password = temporaryIn(await added.text())
    expect(password).toBeDefined()
    const vera = findStaff(t.store, 'vera')!
    expect(vera).toMatchObject({
      role: 'volunteer',
      phone: '+4791234567',
      mustChangePassword: true,
    })
    expect(JSON.stringify(t.store.data.staff)).not.toContain(password!)

    // Vera logs in with it and is held on the password page until she has her own.
    const client = new ConsoleClient(t.app)
    expect((await client.login('vera', password)).status).toBe(303)
    expect((await client.get('/console')).headers.get('location')).toBe('/console/account')
    const account = await client.page('/console/account')
    expect(account.html).toContain('midlertidig passord')
    expect((await client.post('/console/chats/h_x/claim')).status).toBe(403)
    const tooShort = await client.post('/console/account', {
      current: password!,
      next: 'kort',
      again: 'kort',
    })
    expect(tooShort.status).toBe(400)
    expect(await tooShort.text()).toContain('minst 10 tegn')
    const changed = await client.post('/console/account', {
      current: password!,
      next: 'mitt eget passord',
      again: 'mitt eget passord',
    })
    expect(changed.headers.get('location')).toBe('/console')
    expect((await client.page('/console')).status).toBe(200)
    expect(findStaff(t.store, 'vera')!.mustChangePassword).toBe(false)
    expect((await new ConsoleClient(t.app).login('vera', 'mitt eget passord')).status).toBe(303)

    expect(await auditActions()).toEqual(
      expect.arrayContaining([`staff.created ${vera.id}`, 'password.changed'])
    )
    const log = await ada.page('/console/audit')
    expect(log.html).toContain('opprettet en konto')
    expect(log.html).toContain('Vera')
    expect(adminId).toBe('s_ada')
  })

  it('Should say what is wrong with a bad form, keep what was typed, and add nothing', async () => {
    t = await makeApp()
    await addStaffMember(t, 'ada', 'admin')
    await addStaffMember(t, 'kari', 'coordinator')
    const ada = await loggedIn(t, 'ada')
    await ada.page('/console/staff')
    const bad = await ada.post('/console/staff', { username: 'ø', role: 'boss', phone: '12345' })
    expect(bad.status).toBe(400)
    const html = await bad.text()
    expect(html).toContain('Brukernavnet må ha 2-32 bokstaver')
    expect(html).toContain('Velg en rolle.')
    expect(html).toContain('med landskode')
    expect(html).toContain('value="12345"')
    const taken = await ada.post('/console/staff', {
      username: 'KARI',
      role: 'volunteer',
      phone: '',
    })
    expect(taken.status).toBe(409)
    expect(Object.keys(t.store.data.staff)).toHaveLength(2)
  })

  it('Should reset, lock out and turn off others, ending their logins, but never the admin themself', async () => {
    t = await makeApp()
    const adaId = await addStaffMember(t, 'ada', 'admin')
    const kariId = await addStaffMember(t, 'kari', 'coordinator')
    const ada = await loggedIn(t, 'ada')
    const kari = await loggedIn(t, 'kari')
    await ada.page('/console/staff')

    const reset = await ada.post(`/console/staff/${kariId}/reset`)
    expect(temporaryIn(await reset.text())).toBeDefined()
    expect(t.store.data.staff[kariId]!.mustChangePassword).toBe(true)
    expect((await kari.get('/console')).headers.get('location')).toBe('/console/login')
    expect((await new ConsoleClient(t.app).login('kari', PASSWORD)).status).toBe(401)

    await ada.post(`/console/staff/${kariId}/edit`, { role: 'volunteer', phone: '+4791111111' })
    expect(t.store.data.staff[kariId]).toMatchObject({ role: 'volunteer', phone: '+4791111111' })
    await ada.post(`/console/staff/${kariId}/disable`)
    expect(t.store.data.staff[kariId]!.disabled).toBe(true)
    await ada.post(`/console/staff/${kariId}/enable`)
    expect(t.store.data.staff[kariId]!.disabled).toBe(false)

    for (const [path, form] of [
      [`/console/staff/${adaId}/disable`, {}],
      [`/console/staff/${adaId}/reset`, {}],
      [`/console/staff/${adaId}/edit`, { role: 'volunteer', phone: '' }],
    ] as const) {
      const refused = await ada.post(path, form)
      expect(refused.status, path).toBe(409)
      expect(await refused.text()).toContain('Be en annen administrator')
    }
    expect(t.store.data.staff[adaId]).toMatchObject({ role: 'admin', disabled: false })
    expect(await auditActions()).toEqual(
      expect.arrayContaining([
        `staff.reset ${kariId}`,
        `staff.role-changed ${kariId}`,
        `staff.disable ${kariId}`,
        `staff.enable ${kariId}`,
      ])
    )
  })

  it('Should keep coordinators and volunteers out, and refuse a form without the CSRF token', async () => {
    t = await makeApp()
    await addStaffMember(t, 'ada', 'admin')
    await addStaffMember(t, 'kari', 'coordinator')
    const kari = await loggedIn(t, 'kari')
    expect((await kari.get('/console/staff')).status).toBe(403)
    expect(
      (await kari.post('/console/staff', { username: 'x1', role: 'admin', phone: '' })).status
    ).toBe(403)
    expect(findStaff(t.store, 'x1')).toBeUndefined()
    expect((await kari.page('/console')).html).not.toContain('/console/staff')

    const ada = await loggedIn(t, 'ada')
    expect(
      (await ada.post('/console/staff', { username: 'x2', role: 'admin', phone: '' }, 'wrong'))
        .status
    ).toBe(403)
    expect(findStaff(t.store, 'x2')).toBeUndefined()
  })
})
