/**
 * A login that cannot starve SMS or list accounts: password hashing runs in its own small pool
 * with a queue limit, so a flood of logins never delays a webhook; unknown names cost the same as
 * known ones and count towards the same limits; wrong passwords lock an account for the address
 * they come from (and everywhere only after many addresses), so nobody locks an admin out from
 * one place; the current-password check on /console/account is limited and audited.
 * Rows 6 and 13 of issue 16; the flood with SMS arriving on the real server is login-flood.test.ts.
 */
import { readdir, readFile } from 'node:fs/promises'
import { afterEach, describe, expect, it } from 'vitest'
import { hashPassword } from '../../bot/console/staff/passwords.js'
import { addStaffMember, ConsoleClient, PASSWORD, text } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

let t: TestApp
afterEach(async () => t?.cleanup())

/** A login form's token and cookie, reusable for many posts (a double-submit pair). */
async function loginForm(t: TestApp) {
  const client = new ConsoleClient(t.app)
  await client.page('/console/login')
  const cookie = [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  return { cookie, csrf: client.csrf }
}

async function login(
  t: TestApp,
  form: { cookie: string; csrf: string },
  username: string,
  password: string,
  from: string
) {
  const started = performance.now()
  const res = await t.app.request('/console/login', {
    method: 'POST',
    headers: {
      cookie: form.cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'x-forwarded-for': from,
    },
    body: new URLSearchParams({ _csrf: form.csrf, username, password }).toString(),
  })
  const body = await res.text()
  return {
    status: res.status,
    ms: performance.now() - started,
    notice: /class="notice[^"]*"[^>]*>([^<]*)</.exec(body)?.[1],
  }
}

const median = (values: number[]) =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

describe('hashing off the path that answers SMS', () => {
  it.runIf(process.platform === 'linux')(
    'Should hash in a thread of its own at a low priority (nice 10), so webhooks and file writes go first',
    async () => {
      const nice = async () => {
        const tasks = await readdir('/proc/self/task')
        const stats = await Promise.all(
          tasks.map((id) => readFile(`/proc/self/task/${id}/stat`, 'utf8').catch(() => ''))
        )
        // Field 19 is the nice value; the name in parentheses may hold spaces.
        return stats.map((s) => Number(s.slice(s.lastIndexOf(')') + 2).split(' ')[16]))
      }
      expect(await hashPassword('et passord som er langt nok')).toMatch(/^scrypt\$/)
      const values = await nice()
      expect(values.filter((n) => n === 10)).toHaveLength(1)
      expect(values.filter((n) => n === 0).length).toBeGreaterThan(1)
    }
  )
})

describe('one address flooding the login', () => {
  it('Should let others log in while one address floods it: that address is charged before it hashes, and hashes at most two at once', async () => {
    t = await makeApp({ config: { TRUST_PROXY: true, STAFF_LOGIN_FAILURES_PER_ADDRESS: 6 } })
    await addStaffMember(t, 'kari', 'admin')
    const form = await loginForm(t)
    const flood: number[] = []
    let stop = false
    let n = 0
    const attackers = Array.from({ length: 30 }, async () => {
      while (!stop) {
        flood.push((await login(t, form, `navn${n++}`, 'gjett', '10.66.66.66')).status)
        await new Promise((r) => setTimeout(r, 50))
      }
    })
    await new Promise((r) => setTimeout(r, 150))
    // Kari, at the office, while the flood runs.
    const kari: number[] = []
    for (let i = 0; i < 3; i++)
      kari.push((await login(t, form, 'kari', PASSWORD, '10.1.1.1')).status)
    stop = true
    await Promise.all(attackers)
    expect(kari).toEqual([303, 303, 303])
    // The flood hashed no more than its hourly count allows, and never filled the queue.
    expect(flood.filter((s) => s === 401).length).toBeLessThan(6)
    expect(new Set(flood)).toEqual(new Set([401, 429]))
  })
})

describe('wrong passwords', () => {
  it('Should answer an unknown name exactly as a known one, in about the same time', async () => {
    t = await makeApp({ config: { TRUST_PROXY: true } })
    await addStaffMember(t, 'kari', 'admin')
    const form = await loginForm(t)
    const known: number[] = []
    const unknown: number[] = []
    for (let i = 0; i < 4; i++) {
      const a = await login(t, form, 'kari', `feil ${i}`, `10.1.0.${i}`)
      const b = await login(t, form, `ingen${i}`, `feil ${i}`, `10.2.0.${i}`)
      expect([a.status, a.notice]).toEqual([b.status, b.notice])
      known.push(a.ms)
      unknown.push(b.ms)
    }
    const ratio = median(unknown) / median(known)
    expect(ratio).toBeGreaterThan(0.5)
    expect(ratio).toBeLessThan(2)
  })

  it('Should lock an account for the address guessing, not for the admin elsewhere, and lock unknown names alike', async () => {
    t = await makeApp({ config: { TRUST_PROXY: true, STAFF_LOCKOUT_ATTEMPTS: 5 } })
    await addStaffMember(t, 'kari', 'admin')
    const form = await loginForm(t)
    const attacker = '10.6.6.6'
    for (let i = 0; i < 4; i++)
      expect((await login(t, form, 'kari', 'gjett', attacker)).status).toBe(401)
    const locked = await login(t, form, 'kari', 'gjett', attacker)
    expect(locked.status).toBe(429)
    expect((await login(t, form, 'kari', PASSWORD, attacker)).status).toBe(429)
    for (let i = 0; i < 4; i++)
      expect((await login(t, form, 'ukjent', 'gjett', attacker)).status).toBe(401)
    const lockedUnknown = await login(t, form, 'ukjent', 'gjett', attacker)
    expect([lockedUnknown.status, lockedUnknown.notice]).toEqual([locked.status, locked.notice])
    expect((await login(t, form, 'ukjent', 'gjett', attacker)).status).toBe(429)
    // Kari, at the office.
    expect((await login(t, form, 'kari', PASSWORD, '10.1.1.1')).status).toBe(303)
  })

  it('Should count an IPv6 /64 as one address, so many addresses of one host cannot lock an admin out everywhere', async () => {
    t = await makeApp({ config: { TRUST_PROXY: true, STAFF_LOCKOUT_ATTEMPTS: 5 } })
    await addStaffMember(t, 'kari', 'admin')
    const form = await loginForm(t)
    // Finding 5 of the outside review: 5 wrong from each of four addresses of one /64.
    for (const host of ['a', 'b', 'c', 'd'])
      for (let i = 0; i < 5; i++) await login(t, form, 'kari', 'gjett', `2001:db8:1:2::${host}`)
    expect((await login(t, form, 'kari', PASSWORD, '2001:db8:1:2::e')).status).toBe(429)
    expect((await login(t, form, 'kari', PASSWORD, '::ffff:10.77.0.1')).status).toBe(303)
    expect((await login(t, form, 'kari', PASSWORD, '2001:db8:1:3::1')).status).toBe(303)
  })

  it('Should stop one address trying many names', async () => {
    t = await makeApp({ config: { TRUST_PROXY: true, STAFF_LOGIN_FAILURES_PER_ADDRESS: 8 } })
    await addStaffMember(t, 'kari', 'admin')
    const form = await loginForm(t)
    for (let i = 0; i < 7; i++)
      expect((await login(t, form, `navn${i}`, 'gjett', '10.7.7.7')).status).toBe(401)
    expect((await login(t, form, 'navn7', 'gjett', '10.7.7.7')).status).toBe(429)
    expect((await login(t, form, 'kari', PASSWORD, '10.7.7.7')).status).toBe(429)
    expect((await login(t, form, 'kari', PASSWORD, '10.8.8.8')).status).toBe(303)
  })

  it('Should limit and audit the current-password check when changing one’s password', async () => {
    t = await makeApp({ config: { TRUST_PROXY: true, STAFF_LOCKOUT_ATTEMPTS: 3 } })
    await addStaffMember(t, 'kari', 'admin')
    const kari = new ConsoleClient(t.app)
    expect((await kari.login('kari')).status).toBe(303)
    await kari.page('/console/account')
    const change = (current: string) =>
      kari.post('/console/account', {
        current,
        next: 'et helt nytt passord',
        again: 'et helt nytt passord',
      })
    for (let i = 0; i < 3; i++) expect((await change(`feil ${i}`)).status).toBe(400)
    expect((await change(PASSWORD)).status).toBe(429)
    const audit = await t.runtime.handoffs.audit.recent()
    expect(audit.filter((e) => e.action === 'password.check-failed')).toHaveLength(3)
  })
})
