import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasChromium, launchChromium, listen } from '../helpers/browser.js'
import { addStaffMember, handoffOf, PASSWORD } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { inboundForm, messagesOf, PUBLIC_URL, signedPost } from '../helpers/twilio.js'

const PHONE = '+4791234567'
const CRISIS_PHONE = '+4798765432'
/** Set SCREENSHOTS=<folder> to keep pictures of the console at phone and desktop size. */
const shots = process.env.SCREENSHOTS
const phone = { width: 390, height: 844 }
const desktop = { width: 1280, height: 860 }

let t: TestApp
let browser: Browser
let server: { base: string; close: () => Promise<void> }

beforeAll(async () => {
  if (!hasChromium()) {
    throw new Error('Chromium is missing at /usr/bin/chromium: run apt-get install -y chromium')
  }
  t = await makeApp({ config: { PUBLIC_URL } }) // Monday 12:00 in Oslo: office hours
  await addStaffMember(t, 'anne', 'volunteer')
  await addStaffMember(t, 'kari', 'coordinator')
  await addStaffMember(t, 'ada', 'admin')
  server = await listen(t.app)
  browser = await launchChromium()
  if (shots) await mkdir(shots, { recursive: true })
})
afterAll(async () => {
  await browser?.close() // first: open event streams keep the server from closing
  await server?.close()
  await t?.runtime.handoffs.settled()
  await t?.cleanup()
})

/** The participant texting through the signed Twilio webhook, over the real port. */
async function sms(body: string, from = PHONE): Promise<string[]> {
  const res = await fetch(
    `${server.base}/sms/twilio`,
    signedPost('/sms/twilio', inboundForm(from, body))
  )
  expect(res.status).toBe(200)
  return messagesOf(await res.text())
}

/** What the participant's phone received from the outbox, oldest first (insertion order). */
const outbox = () =>
  Object.values(t.store.data.outbox)
    .filter((m) => m.to === PHONE)
    .map((m) => m.body)

async function logIn(username: string, size = desktop): Promise<Page> {
  const page = await (await browser.newContext({ viewport: size })).newPage()
  await page.goto(`${server.base}/console`)
  await page.getByLabel('Brukernavn').fill(username)
  await page.getByLabel('Passord').fill(PASSWORD)
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page.getByRole('heading', { name: 'Samtaler' }).waitFor()
  return page
}

async function snap(page: Page, name: string) {
  if (!shots) return
  for (const [label, size] of [
    ['phone', phone],
    ['desktop', desktop],
  ] as const) {
    await page.setViewportSize(size)
    await page.screenshot({ path: `${shots}/${name}-${label}.png`, fullPage: true })
  }
  await page.setViewportSize(desktop)
}

// A real browser on a shared two-core machine: give each walk time.
describe('the console in a browser', { timeout: 90_000 }, () => {
  it('Should walk a handoff from "menneske" to a coordinator closing it, live', async () => {
    const kari = await logIn('kari')
    const anne = await logIn('anne')
    await anne.getByText('Ingen venter nå.').waitFor()

    expect((await sms('menneske'))[0]).toContain('Kan en frivillig hos oss lese')
    expect((await sms('ja'))[0]).toContain('Noen svarer deg her snart')
    const id = handoffOf(t, PHONE)
    const card = anne.locator('li.card', { hasText: 'Ba om et menneske' })
    await card.waitFor() // arrived by server-sent events, no reload
    expect(await card.textContent()).toContain('+47*****567')
    await sms('Jeg har ikke noe sted å sove i natt')
    await sms('jeg orker ikke mer, vil dø', CRISIS_PHONE)
    const urgent = anne.locator('li.card').first() // a crisis goes to the top
    await urgent.getByText('HASTER').waitFor()
    expect(await urgent.textContent()).toContain('Krise-ord')
    await snap(anne, 'queue')

    await card.getByRole('button', { name: 'Ta samtalen' }).click()
    await anne.getByText('Du har samtalen nå.').first().waitFor()
    await anne.getByText('Jeg har ikke noe sted å sove i natt').waitFor()
    const reply = 'Hei, jeg heter Anne og er frivillig. Vi finner et sted til deg. Hvor er du nå?'
    await anne.getByLabel('Svar til deltakeren').fill(reply)
    await anne.getByText(/78 tegn, blir 1 SMS\./).waitFor()
    await anne.getByRole('button', { name: 'Send svar' }).click()
    await anne.getByText('Svaret er sendt.').waitFor()
    expect(outbox().at(-1)).toBe(reply)

    expect(await sms('Jeg er på Oslo S')).toEqual([]) // the bot stays silent
    await anne.locator('.msg.in', { hasText: 'Jeg er på Oslo S' }).waitFor() // live
    await snap(anne, 'chat')

    await anne.getByLabel('Til', { exact: true }).selectOption({ label: 'kari (koordinator)' })
    await anne.getByRole('button', { name: 'Overfør' }).click()
    await anne.getByText('Samtalen er overført.').waitFor()

    const transferred = kari.locator('li.card', { hasText: 'Overført til kari' })
    await transferred.waitFor()
    await transferred.getByRole('button', { name: 'Ta samtalen' }).click()
    await kari.getByText('Jeg er på Oslo S').waitFor()
    await kari.getByLabel('Utfall').selectOption({ label: 'Henvist videre' })
    await kari.getByRole('button', { name: 'Avslutt samtalen' }).click()
    await kari.getByText('Samtalen er avsluttet. Deltakeren har fått beskjed.').waitFor()

    expect(t.store.data.handoffs[id]).toMatchObject({
      state: 'closed',
      outcome: 'referred',
    })
    expect(outbox().at(-1)).toContain('Nå svarer roboten deg igjen.')
    expect((await sms('meny'))[0]).toContain('Hva trenger du hjelp med?')
    await kari.context().close()
    await anne.context().close()
  })

  it('Should show a <script> sent by SMS as text', async () => {
    const attack = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">'
    await sms('menneske')
    await sms('ja')
    await sms(attack)
    const anne = await logIn('anne', phone)
    const id = handoffOf(t, PHONE)
    const card = anne.locator('li.card', { hasText: 'Ba om et menneske' })
    await card.getByRole('button', { name: 'Ta samtalen' }).click()
    const message = anne.locator('.msg.in p', { hasText: '<script>' })
    await message.waitFor()
    expect(await message.textContent()).toBe(attack)
    expect(await anne.locator('.msg img').count()).toBe(0)
    expect(await anne.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined()
    await sms('<b>fet</b> & "sitat"')
    await anne.locator('.msg.in p', { hasText: '<b>fet</b> & "sitat"' }).waitFor()
    expect(await anne.locator('.msg b').count()).toBe(0)
    expect(t.store.data.handoffs[id]!.state).toBe('claimed')
    await anne.context().close()
  })

  it('Should let an admin add a volunteer who then chooses her own password, first try', async () => {
    const ada = await logIn('ada')
    await ada.getByRole('link', { name: 'Ansatte' }).click()
    const form = ada.locator('section.panel')
    await form.getByLabel('Brukernavn').fill('vera')
    await form.getByLabel('Rolle').selectOption('volunteer')
    await form.getByRole('button', { name: 'Legg til' }).click()
    const notice = await ada.locator('.notice.ok').textContent()
    const temporary = /([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})/.exec(notice ?? '')?.[1]
    expect(temporary, notice ?? '').toBeDefined()
    await ada.getByRole('cell', { name: 'vera' }).waitFor()
    if (shots) await ada.screenshot({ path: `${shots}/staff-desktop.png`, fullPage: true })

    const vera = await (await browser.newContext({ viewport: phone })).newPage()
    await vera.goto(`${server.base}/console`)
    await vera.getByLabel('Brukernavn').fill('vera')
    await vera.getByLabel('Passord').fill(temporary!)
    await vera.getByRole('button', { name: 'Logg inn' }).click()
    await vera.getByRole('heading', { name: 'Bytt passord' }).waitFor()
    await vera.getByLabel('Passordet du har nå').fill(temporary!)
    await vera.getByLabel('Nytt passord (minst 10 tegn)').fill('veras eget passord')
    await vera.getByLabel('Nytt passord en gang til').fill('veras eget passord')
    await vera.getByRole('button', { name: 'Bytt passord' }).click()
    await vera.getByRole('heading', { name: 'Samtaler' }).waitFor()
    await Promise.all([ada.context().close(), vera.context().close()])
  })
})
