import { afterEach, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { addStaffMember, loggedIn, text } from '../helpers/console.js'
import { PUBLIC_URL } from '../helpers/twilio.js'

const PHONE = '+4791234567'
let t: TestApp
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

async function app(dir?: string) {
  t = await makeApp({ config: { PUBLIC_URL }, dir })
  await addStaffMember(t, 'anne', 'volunteer')
  await addStaffMember(t, 'kari', 'coordinator')
  return t
}

/** The form as a coordinator fills it in (test data, not a real organisation). */
const profile = (phone: string, extra: Record<string, string> = {}) => ({
  name: 'Testsenteret',
  phone,
  address: 'Testveien 1, 0001 Oslo',
  sourceUrl: 'https://example.org/om-oss',
  'about.nb': 'Vi hjelper folk etter soning.',
  'about.en': 'We help people after prison.',
  'openingHours.nb': 'Åpent hverdager kl. 10-15.',
  'openingHours.en': 'Open weekdays 10-15.',
  action: 'save',
  ...extra,
})

describe('local content in the console', () => {
  it('Should let a coordinator save the organisation, checked, live at once, versioned and audited', async () => {
    await app()
    const kari = await loggedIn(t, 'kari')
    const page = await kari.page('/console/content')
    expect(page.status).toBe(200)
    // The unverified facts are listed for someone to check before launch.
    expect(page.html).toContain('RUSinfo')

    const res = await kari.post('/console/content', profile('40 00 00 01'))
    expect(res.status).toBe(303)
    expect(res.headers.get('location')).toBe('/console/content?saved=1')
    expect((await text(t, PHONE, 'hva er telefonnummeret deres')).join('\n')).toContain(
      '40 00 00 01'
    )

    await kari.post('/console/content', profile('40 00 00 02'))
    expect((await text(t, PHONE, 'ring dere')).join('\n')).toContain('40 00 00 02')
    const after = await kari.page('/console/content')
    expect(after.html).toMatch(/<td>2<\/td>[\s\S]*<td>1<\/td>/)
    const audit = await t.runtime.handoffs.audit.recent(10)
    expect(audit.filter((e) => e.action === 'content.saved').map((e) => e.detail)).toEqual([
      'v2',
      'v1',
    ])
  })

  it('Should refuse what content:check refuses, and show the SMS preview without saving', async () => {
    await app()
    const kari = await loggedIn(t, 'kari')
    await kari.page('/console/content')
    const curly = await kari.post(
      '/console/content',
      profile('40 00 00 01', { 'about.nb': 'Vi hjelper – alltid.' })
    )
    expect(curly.status).toBe(400)
    expect(await curly.text()).toMatch(/not GSM-7/)
    const long = await kari.post(
      '/console/content',
      profile('40 00 00 01', { 'about.en': 'word '.repeat(80) })
    )
    expect(await long.text()).toMatch(/SMS segments/)
    const unknown = await kari.post(
      '/console/content',
      profile('40 00 00 01', { 'openingHours.nb': 'Ring 22 33 44 55.' })
    )
    expect(await unknown.text()).toMatch(/22 33 44 55&quot; looks like a phone number/)
    const preview = await kari.post(
      '/console/content',
      profile('40 00 00 01', { action: 'preview' })
    )
    expect(preview.status).toBe(200)
    expect(await preview.text()).toContain('Ring oss på 40 00 00 01')
    expect(t.runtime.localContent.files.versions()).toEqual([])
  })

  it('Should attach a text to a topic for a coordinator only, with CSRF, live and after a restart', async () => {
    await app()
    const before = (await text(t, PHONE, 'kan jeg få hjelp med vinduspuss')).join('\n')
    expect(before).not.toContain('55 55 33 39')
    const anne = await loggedIn(t, 'anne')
    await anne.page('/console')
    expect(
      (await anne.post('/console/content/phrases', { topicId: 'debt-advice', text: 'x' })).status
    ).toBe(403)
    const kari = await loggedIn(t, 'kari')
    await kari.page('/console/content')
    const form = { topicId: 'debt-advice', text: 'kan jeg få hjelp med vinduspuss' }
    expect((await kari.post('/console/content/phrases', form, '')).status).toBe(403)
    expect(
      (await kari.post('/console/content/phrases', { ...form, topicId: 'crisis-suicide' })).status
    ).toBe(400)
    expect((await kari.post('/console/content/phrases', { ...form, topicId: 'nope' })).status).toBe(
      400
    )
    const res = await kari.post('/console/content/phrases', form)
    expect(res.status).toBe(303)
    expect((await text(t, '+4791234568', form.text)).join('\n')).toContain('55 55 33 39')
    // The insight page's way: JSON with the token in a header.
    const json = await t.app.request('/console/content/phrases', {
      method: 'POST',
      headers: {
        cookie: [...kari.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
        'x-csrf-token': kari.csrf,
      },
      body: JSON.stringify({
        topicId: 'practical-free-food',
        text: 'bread queue',
        lang: 'en',
      }),
    })
    expect(json.status).toBe(200)
    expect(await json.json()).toMatchObject({
      ok: true,
      topicId: 'practical-free-food',
      lang: 'en',
    })
    expect((await text(t, '+4791234570', 'bread queue')).join('\n')).toMatch(
      /Salvation Army|Frelsesarmeen/
    )
    const audit = await t.runtime.handoffs.audit.recent(5)
    expect(audit.some((e) => e.action === 'content.phrase' && e.detail === 'debt-advice')).toBe(
      true
    )

    // The saved version is read again at start-up.
    const dir = t.dir
    await t.runtime.handoffs.settled()
    const restarted = await makeApp({ config: { PUBLIC_URL }, dir })
    try {
      expect((await text(restarted, '+4791234569', form.text)).join('\n')).toContain('55 55 33 39')
    } finally {
      await restarted.runtime.handoffs.settled()
    }
  })
})
