import { afterEach, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import {
  ConsoleClient,
  PASSWORD,
  addStaffMember,
  handoffOf,
  loggedIn,
  text,
} from '../helpers/console.js'
import { PUBLIC_URL } from '../helpers/twilio.js'

const PHONE = '+4791234567'
const COORDINATOR_PHONE = '+4790000009'
let t: TestApp
let now: Date
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

async function app(at = '2026-11-23T12:00:00+01:00') {
  now = new Date(at)
  t = await makeApp({ now: () => now, config: { PUBLIC_URL } })
  await addStaffMember(t, 'anne', 'volunteer')
  await addStaffMember(t, 'bjorn', 'volunteer')
  await addStaffMember(t, 'kari', 'coordinator', COORDINATOR_PHONE)
  return t
}

/** A participant who asked for a person and agreed to share. */
async function waitingParticipant(phone = PHONE, body = 'menneske'): Promise<string> {
  await text(t, phone, body)
  await text(t, phone, 'ja')
  return handoffOf(t, phone)
}

const smsTo = (to: string) =>
  Object.values(t.store.data.outbox)
    .filter((m) => m.to === to)
    .map((m) => m.body)

describe('console access', () => {
  it('Should refuse an anonymous request on every console route', async () => {
    await app()
    const id = await waitingParticipant()
    const routes = t.app.routes.filter((r) => r.path.startsWith('/console') && r.method !== 'ALL')
    const open = ['/console/login', '/console/assets/console.css', '/console/assets/console.js']
    const guarded = routes.filter((r) => !open.includes(r.path))
    expect(guarded.map((r) => `${r.method} ${r.path}`)).toEqual(
      expect.arrayContaining([
        'GET /console',
        'GET /console/events',
        'GET /console/chats/:id',
        'GET /console/chats/:id/events',
        'POST /console/chats/:id/claim',
        'POST /console/chats/:id/reply',
        'POST /console/chats/:id/note',
        'POST /console/chats/:id/transfer',
        'POST /console/chats/:id/release',
        'POST /console/chats/:id/close',
        'POST /console/segments',
        'POST /console/logout',
        'GET /console/audit',
      ])
    )
    for (const route of guarded) {
      const path = route.path.replace(':id', id)
      const res = await t.app.request(path, {
        method: route.method,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: route.method === 'GET' ? undefined : 'text=hei&outcome=helped',
      })
      const body = await res.text()
      expect([303, 401], `${route.method} ${path}`).toContain(res.status)
      if (res.status === 303) expect(res.headers.get('location')).toBe('/console/login')
      expect(body).not.toContain('Deltaker')
    }
    expect(t.store.data.handoffs[id]!.state).toBe('requested')
    expect(smsTo(PHONE)).toEqual([])
  })

  it('Should set an HttpOnly, SameSite=Strict, Secure session cookie and log out', async () => {
    await app()
    const client = new ConsoleClient(t.app)
    await client.page('/console/login')
    const res = await client.post('/console/login', { username: 'Anne', password: PASSWORD })
    expect(res.status).toBe(303)
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('__Host-console='))!
    expect(cookie).toMatch(/HttpOnly/)
    expect(cookie).toMatch(/SameSite=Strict/)
    expect(cookie).toMatch(/Secure/)
    expect(cookie).toMatch(/Path=\//)
    expect((await client.page('/console')).html).toContain('anne (frivillig)')
    expect((await client.post('/console/logout')).status).toBe(303)
    expect((await client.get('/console')).headers.get('location')).toBe('/console/login')
  })

  it('Should lock an account after five wrong passwords, and open it again later', async () => {
    await app()
    const client = new ConsoleClient(t.app)
    for (let i = 1; i <= 4; i++) {
      const res = await client.login('anne', 'wrong password')
      expect(res.status).toBe(401)
      expect(await res.text()).toContain('Feil brukernavn eller passord.')
    }
    const fifth = await client.login('anne', 'wrong password')
    expect(fifth.status).toBe(429)
    expect(await fifth.text()).toContain('Kontoen er låst i 15 minutter')
    expect((await client.login('anne')).status).toBe(429) // even the right password
    now = new Date(now.getTime() + 16 * 60_000)
    expect((await client.login('anne')).status).toBe(303)
    expect((await client.login('nobody')).status).toBe(401)
    const actions = (await t.runtime.handoffs.audit.recent()).map((e) => e.action)
    expect(actions).toEqual(expect.arrayContaining(['login-failed', 'lockout', 'login']))
  })

  it('Should refuse a form without the session CSRF token', async () => {
    await app()
    const id = await waitingParticipant()
    const anne = await loggedIn(t, 'anne')
    const bjorn = await loggedIn(t, 'bjorn')
    expect((await anne.post(`/console/chats/${id}/claim`, {}, '')).status).toBe(403)
    expect((await anne.post(`/console/chats/${id}/claim`, {}, 'forged')).status).toBe(403)
    expect((await anne.post(`/console/chats/${id}/claim`, {}, bjorn.csrf)).status).toBe(403)
    expect(t.store.data.handoffs[id]!.state).toBe('requested')
    const login = new ConsoleClient(t.app)
    const res = await login.post('/console/login', { username: 'anne', password: PASSWORD }, 'x')
    expect(res.status).toBe(403)
    expect((await anne.post(`/console/chats/${id}/claim`)).status).toBe(303)
  })
})

describe('claiming and answering', () => {
  it('Should refuse a second claim clearly, and keep the chat from another volunteer', async () => {
    await app()
    const id = await waitingParticipant()
    const anne = await loggedIn(t, 'anne')
    const bjorn = await loggedIn(t, 'bjorn')
    expect((await anne.post(`/console/chats/${id}/claim`)).headers.get('location')).toBe(
      `/console/chats/${id}?done=claimed`
    )
    const second = await bjorn.post(`/console/chats/${id}/claim`)
    expect(second.status).toBe(409)
    expect(await second.text()).toContain('anne har allerede tatt denne samtalen.')
    expect(t.store.data.handoffs[id]).toMatchObject({ state: 'claimed', assignee: 's_anne' })

    const peek = await bjorn.page(`/console/chats/${id}`)
    expect(peek.status).toBe(403)
    expect(peek.html).toContain('anne har allerede tatt denne samtalen.')
    expect((await bjorn.get(`/console/chats/${id}/events`)).status).toBe(403)
    expect((await bjorn.post(`/console/chats/${id}/reply`, { text: 'hei' })).status).toBe(409)
    expect(smsTo(PHONE)).toEqual([])

    const kari = await loggedIn(t, 'kari')
    expect((await kari.page(`/console/chats/${id}`)).status).toBe(200) // coordinators supervise
    const opened = (await t.runtime.handoffs.audit.recent()).filter((e) => e.action === 'open')
    expect(opened.map((e) => e.actor)).toEqual(['s_kari'])
  })

  it('Should deliver a reply over SMS, show the answer, count segments, and show only a masked number', async () => {
    await app()
    const id = await waitingParticipant()
    const anne = await loggedIn(t, 'anne')
    const queue = await anne.page('/console')
    expect(queue.html).toContain('+47*****567')
    expect(queue.html).not.toContain('91234567')
    await anne.post(`/console/chats/${id}/claim`)
    const count = await t.app.request('/console/segments', {
      method: 'POST',
      headers: {
        cookie: [...anne.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
        'x-csrf-token': anne.csrf,
      },
      body: JSON.stringify({ text: 'Hei! Jeg heter Anne’s. '.repeat(10) }),
    })
    expect((await count.json()).line).toMatch(/230 tegn, blir 2 SMS\. Byttes ut eller fjernes: ’/)
    const sent = await anne.post(`/console/chats/${id}/reply`, {
      text: 'Hei, jeg heter Anne. Hva gjelder det?',
    })
    expect(sent.headers.get('location')).toBe(`/console/chats/${id}?done=replied`)
    expect(smsTo(PHONE)).toEqual(['Hei, jeg heter Anne. Hva gjelder det?'])
    expect(await text(t, PHONE, 'Jeg trenger et sted å bo <b>i natt</b>')).toEqual([])
    const page = await anne.page(`/console/chats/${id}`)
    expect(page.html).toContain('Jeg trenger et sted å bo &lt;b&gt;i natt&lt;/b&gt;')
    expect(page.html).toContain('Hei, jeg heter Anne. Hva gjelder det?')
    expect(page.html).not.toContain('91234567') // volunteers never see the number
  })

  it('Should transfer only to a coordinator who is here, and let the coordinator close it', async () => {
    await app()
    const id = await waitingParticipant()
    const anne = await loggedIn(t, 'anne')
    await anne.post(`/console/chats/${id}/claim`)
    await anne.post(`/console/chats/${id}/note`, { text: 'Trenger bolig i Bergen' })
    now = new Date(now.getTime() + 10 * 60_000) // Kari has not been seen for 10 minutes
    const refused = await anne.post(`/console/chats/${id}/transfer`, { to: 's_kari' })
    expect(refused.status).toBe(409)
    expect(await refused.text()).toContain('Den du valgte er ikke pålogget.')
    const kari = await loggedIn(t, 'kari')
    expect((await anne.post(`/console/chats/${id}/transfer`, { to: 's_kari' })).status).toBe(303)
    expect(t.store.data.handoffs[id]).toMatchObject({ state: 'transferred', transferTo: 's_kari' })
    expect((await anne.page(`/console/chats/${id}`)).status).toBe(403)
    const page = await kari.page(`/console/chats/${id}`)
    expect(page.html).toContain('Trenger bolig i Bergen')
    expect(page.html).toContain(PHONE) // a coordinator may call back
    expect((await kari.post(`/console/chats/${id}/close`, { outcome: 'maybe' })).status).toBe(400)
    expect((await kari.post(`/console/chats/${id}/close`, { outcome: 'referred' })).status).toBe(
      303
    )
    expect(t.store.data.handoffs[id]).toMatchObject({ state: 'closed', outcome: 'referred' })
    expect(smsTo(PHONE).at(-1)).toContain(
      'Den frivillige har avsluttet samtalen. Nå svarer roboten deg igjen.'
    )
    expect((await text(t, PHONE, 'meny'))[0]).toContain('Hva trenger du hjelp med?')
  })
})

describe('alerts and presence', () => {
  it('Should text a coordinator when a request waits unclaimed in office hours', async () => {
    await app()
    await waitingParticipant()
    await t.runtime.handoffs.tick(new Date(now.getTime() + 9 * 60_000))
    expect(smsTo(COORDINATOR_PHONE)).toEqual([])
    await t.runtime.handoffs.tick(new Date(now.getTime() + 10 * 60_000))
    expect(smsTo(COORDINATOR_PHONE)).toEqual([
      expect.stringMatching(
        /^Ingen har tatt samtalen med Deltaker (\w{4}) på 10 min\. Logg inn: https:\/\/bot\.example\.org\/console Svar TA \1 for å ta den\.$/
      ),
    ])
    await t.runtime.handoffs.tick(new Date(now.getTime() + 20 * 60_000))
    expect(smsTo(COORDINATOR_PHONE)).toHaveLength(1)
  })

  it('Should put a chat back in the queue when its holder has gone and the participant waits', async () => {
    await app()
    const id = await waitingParticipant()
    const anne = await loggedIn(t, 'anne')
    await anne.post(`/console/chats/${id}/claim`)
    await anne.post(`/console/chats/${id}/reply`, { text: 'Hei' })
    now = new Date(now.getTime() + 60_000)
    await text(t, PHONE, 'hallo?')
    now = new Date(now.getTime() + 11 * 60_000)
    await t.runtime.handoffs.tick(now)
    expect(t.store.data.handoffs[id]).toMatchObject({ state: 'requested' })
    expect(t.store.data.handoffs[id]!.assignee).toBeUndefined()
    expect(t.store.data.handoffs[id]!.history.at(-1)).toMatchObject({
      event: 'release',
      actor: 'system',
    })
  })

  it('Should stream the queue as server-sent events', async () => {
    await app()
    await waitingParticipant()
    const anne = await loggedIn(t, 'anne')
    const res = await anne.get('/console/events')
    expect(res.headers.get('content-type')).toContain('text/event-stream')
    const reader = res.body!.getReader()
    const first = new TextDecoder().decode((await reader.read()).value)
    expect(first).toMatch(/^event: update\ndata: /)
    expect(first).toContain('Ta samtalen')
    expect(
      t.runtime.handoffs.presence.isOnline('s_anne', new Date(now.getTime() + 3_600_000))
    ).toBe(true)
    await reader.cancel()
  })
})
