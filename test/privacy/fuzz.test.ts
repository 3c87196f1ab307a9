import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openStore } from '../../bot/store/store.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { inboundForm, messagesOf, sign, signedPost } from '../helpers/twilio.js'

/** encodeURIComponent for any string: lone surrogates (one of the hostile inputs) become U+FFFD. */
const encode = (text: string) => encodeURIComponent(text.replace(/[\ud800-\udfff]/g, '\ufffd'))

/** A small deterministic generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0
  const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]! }
}

const hostile = [
  '',
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(1)>',
  "'; DROP TABLE participants; --",
  '{{constructor.constructor("return process")()}}',
  '__proto__',
  '{"__proto__":{"admin":true}}',
  '\u202eevil\u202c',
  '\u200b\u200b\u200b',
  '\ud800',
  '\u0000nul',
  'ÆØÅ æøå «»–’…•😀',
  '%00%ff%fe',
  '../../../../etc/passwd',
  'A'.repeat(70_000),
  '€'.repeat(2000),
  '9'.repeat(500),
  'javascript:alert(1)',
]

function body(r: ReturnType<typeof random>): { body: BodyInit; type: string } {
  switch (Math.floor(r.next() * 6)) {
    case 0:
      return {
        body: new URLSearchParams({ [r.pick(hostile).slice(0, 40)]: r.pick(hostile) }).toString(),
        type: 'application/x-www-form-urlencoded',
      }
    case 1:
      return {
        body: JSON.stringify({
          type: r.pick(['message', 'event', 42, null]),
          text: r.pick(hostile),
          from: r.pick([null, {}, 'x', { id: r.pick(hostile) }]),
        }),
        type: 'application/json',
      }
    case 2:
      return {
        body: r.pick(hostile),
        type: r.pick(['application/json', 'text/plain', 'application/x-www-form-urlencoded']),
      }
    case 3:
      return {
        body: new Uint8Array(
          Array.from({ length: Math.floor(r.next() * 300) }, () => Math.floor(r.next() * 256))
        ),
        type: 'application/octet-stream',
      }
    case 4:
      return { body: '{"unterminated": ', type: 'application/json' }
    default:
      // Percent-encoded, plus bytes that are not UTF-8 at all.
      return {
        body: `Body=${encode(r.pick(hostile))}%ED%A0%80%FF&From=${encode(r.pick(hostile))}`,
        type: 'application/x-www-form-urlencoded',
      }
  }
}

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(() => t.cleanup())

describe('fuzz: hostile and malformed requests to every route', () => {
  it('Should answer 5,000 of them without a 5xx, keep the store valid, and still work after', async () => {
    const routes = [...new Set(t.app.routes.map((route) => route.path))]
    expect(routes.length).toBeGreaterThan(3)
    const r = random(20261123)
    const statuses = new Map<number, number>()
    const failures: string[] = []
    for (let i = 0; i < 5_000; i++) {
      const template = r.pick(routes)
      const path = template
        .replace(/:[a-zA-Z]+(\{[^}]*\})?\??/g, () => encode(r.pick(hostile).slice(0, 50)) || 'x')
        .replace(/\*$/, r.pick(['', 'x', '../..', '%2e%2e']))
      const method = r.pick(['GET', 'POST', 'POST', 'POST', 'PUT', 'DELETE'])
      const { body: payload, type } = body(r)
      const headers: Record<string, string> = { 'content-type': type }
      // Header values can only carry bytes: hostile text goes in percent-encoded.
      const asHeader = (text: string) => encode(text).slice(0, 200)
      if (r.next() < 0.3)
        headers['authorization'] = r.pick([
          'Bearer ' + asHeader(r.pick(hostile)),
          'Basic Og==',
          'Bearer x.y.z',
        ])
      if (r.next() < 0.3)
        headers['cookie'] = r.pick(['session=' + asHeader(r.pick(hostile)), 'a=b; c'])
      if (path.startsWith('/sms/twilio') && typeof payload === 'string' && type.includes('form')) {
        // Signed, so the fuzz reaches the form validation behind the signature check.
        headers['x-twilio-signature'] = sign(path, Object.fromEntries(new URLSearchParams(payload)))
      }
      const res = await t.app.request(path, {
        method,
        headers,
        body: method === 'GET' ? undefined : payload,
      })
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1)
      if (res.status >= 500) failures.push(`${method} ${path} ${type} → ${res.status}`)
      await res.arrayBuffer()
    }
    expect(failures.slice(0, 10)).toEqual([])

    // Nothing stored that a valid request could not have stored, and the files still load.
    const reopened = await openStore(t.dir)
    for (const p of Object.values(reopened.data.participants))
      expect(p.address).toMatch(/^\+?[0-9]{3,15}$|^[\w-]+$/)
    // Still answering correctly.
    expect((await t.app.request('/health')).status).toBe(200)
    const res = await t.app.request(
      '/sms/twilio',
      signedPost('/sms/twilio', inboundForm('+4791111000', 'meny'))
    )
    expect(messagesOf(await res.text())[0]).toContain('Hva trenger du hjelp med?')
  }, 180_000)
})

/** Bodies that break a form parser: multipart with a wrong or missing boundary, or cut short. */
const brokenForms = [
  {
    type: 'multipart/form-data; boundary=xyz',
    body: '--xyz\r\nContent-Disposition: form-data; name="a"\r\n\r\nb',
  },
  { type: 'multipart/form-data', body: 'username=kari&password=x' },
  { type: 'multipart/form-data; boundary=', body: '--\r\n\r\n' },
  {
    type: 'multipart/form-data; boundary=a',
    body: '--a\r\nContent-Disposition: form-data\r\n\r\nx\r\n--a--',
  },
  { type: 'application/x-www-form-urlencoded', body: '%E0%A4%A=%ZZ&_csrf=%' },
]

describe('fuzz: logged in, every console route, odd ids and broken forms', () => {
  it('Should answer 400 or 404, never 500, to odd ids and malformed bodies, logged in or not', async () => {
    const { addStaffMember, loggedIn } = await import('../helpers/console.js')
    await addStaffMember(t, 'fuzz_admin', 'admin')
    const admin = await loggedIn(t, 'fuzz_admin')
    const r = random(16)
    const ids = [
      'constructor',
      '__proto__',
      'hasOwnProperty',
      'toString',
      'valueOf',
      '%2e%2e',
      'x'.repeat(300),
      '',
    ]
    const routes = [...new Set(t.app.routes.map((route) => route.path))].filter(
      (p) => p.startsWith('/console') && !p.endsWith('/events')
    )
    const failures: string[] = []
    for (let i = 0; i < 2_000; i++) {
      const path = r
        .pick(routes)
        .replace(/:[a-zA-Z]+(\{[^}]*\})?\??/g, () => encode(r.pick(ids)) || 'x')
        .replace(/\*$/, '')
      const method = r.pick(['GET', 'POST', 'POST'])
      const form = r.pick(brokenForms)
      const res = await t.app.request(path, {
        method,
        headers: {
          cookie: [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
          'x-csrf-token': admin.csrf,
          'content-type': form.type,
        },
        body: method === 'GET' ? undefined : form.body,
      })
      if (res.status >= 500) failures.push(`${method} ${path} ${form.type} → ${res.status}`)
      await res.arrayBuffer()
    }
    for (const form of brokenForms) {
      const res = await t.app.request('/console/login', {
        method: 'POST',
        headers: { 'content-type': form.type },
        body: form.body,
      })
      if (res.status !== 400)
        failures.push(`anonymous POST /console/login ${form.type} → ${res.status}`)
    }
    expect(failures.slice(0, 10)).toEqual([])
  }, 180_000)
})

describe('every console route, every odd id, a well-formed form and each broken one', () => {
  it('Should answer each with 4xx (or a page or redirect), never 5xx, and change nothing it should not', async () => {
    const { addStaffMember, loggedIn, text } = await import('../helpers/console.js')
    await addStaffMember(t, 'sweep_admin', 'admin')
    const admin = await loggedIn(t, 'sweep_admin')
    await text(t, '+4791234500', 'menneske')
    await text(t, '+4791234500', '1')
    const before = JSON.stringify(t.store.data.participants)
    const staffBefore = Object.keys(t.store.data.staff).sort()
    const ids = ['constructor', '__proto__', 'hasOwnProperty', 'toString', 'prototype']
    const routes = t.app.routes
      .filter((r) => r.path.startsWith('/console') && r.path.includes('/:'))
      .filter((r) => ['GET', 'POST'].includes(r.method) && !r.path.endsWith('/events'))
    const cookie = () => [...admin.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
    // Plausible fields of every console form, so each route gets past its form check.
    const fields = {
      _csrf: admin.csrf,
      confirm: 'yes',
      text: 'hei',
      outcome: 'helped',
      to: 'constructor',
      name: 'Ola',
      phone: '',
      language: 'nb',
      groups: '',
      consent: 'given',
    }
    const failures: string[] = []
    for (const route of routes) {
      for (const id of ids) {
        const path = route.path.replace(/:[a-zA-Z]+(\{[^}]*\})?\??/g, id).replace(/\*$/, '')
        const bodies =
          route.method === 'GET'
            ? [undefined]
            : [
                { type: 'application/x-www-form-urlencoded', body: new URLSearchParams(fields) },
                ...brokenForms,
              ]
        for (const form of bodies) {
          const res = await t.app.request(path, {
            method: route.method,
            headers: {
              cookie: cookie(),
              ...(form && { 'content-type': form.type }),
            },
            body: form?.body,
          })
          await res.arrayBuffer()
          if (res.status >= 500)
            failures.push(`${route.method} ${path} ${form?.type ?? ''} → ${res.status}`)
        }
      }
    }
    expect(routes.length).toBeGreaterThan(20)
    expect(failures.slice(0, 10)).toEqual([])
    expect(JSON.stringify(t.store.data.participants)).toBe(before)
    expect(Object.keys(t.store.data.staff).sort()).toEqual(staffBefore)
  }, 180_000)
})
