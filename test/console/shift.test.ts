/**
 * A volunteer's whole shift in Chromium, as docs/volunteers.md tells it: log in, see who waits,
 * take the chat, read what the person asked before, reply, write a note, close it, and find the
 * closed chat again in the history. Then a coordinator's insight and participant pages.
 * With DOCS_SCREENSHOTS=1 the pictures for the guides are saved into docs/img/.
 */
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeAll, describe, expect, it } from 'vitest'
import { browserApp, tickingClock } from '../helpers/browser.js'
import { handoffOf, PASSWORD } from '../helpers/console.js'
import { inboundForm, messagesOf, PUBLIC_URL, signedPost } from '../helpers/twilio.js'

const PHONE = '+4791234567'
const laptop = { width: 1366, height: 768 }

const suite = browserApp(
  { config: { PUBLIC_URL }, now: tickingClock('2026-11-23T12:00:00+01:00') }, // Monday noon, Oslo
  [
    ['anne', 'volunteer'],
    ['kari', 'coordinator'],
  ]
)
let shots: string

beforeAll(async () => {
  shots = process.env.DOCS_SCREENSHOTS
    ? join(import.meta.dirname, '../../docs/img')
    : await mkdtemp(join(tmpdir(), 'shift-'))
})

async function sms(body: string): Promise<string[]> {
  const res = await fetch(
    `${suite.base}/sms/twilio`,
    signedPost('/sms/twilio', inboundForm(PHONE, body))
  )
  return messagesOf(await res.text())
}

async function logIn(username: string, shot?: string): Promise<Page> {
  const page = await (
    await suite.browser.newContext({ viewport: laptop, locale: 'nb-NO' })
  ).newPage()
  await page.goto(`${suite.base}/console`)
  await page.getByLabel('Brukernavn').fill(username)
  await page.getByLabel('Passord').fill(PASSWORD)
  if (shot) await snap(page, shot)
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page.getByRole('heading', { name: 'Samtaler' }).waitFor()
  return page
}

const snap = (page: Page, name: string) => page.screenshot({ path: join(shots, `${name}.png`) })

describe('a volunteer shift', { timeout: 120_000 }, () => {
  it('Should log in, take a chat, read the context, reply, note, close and find it again', async () => {
    await sms('de trekker i lønna mi')
    await sms('hvor kan jeg bo etter soning')
    await sms('menneske')
    await sms('ja')
    const id = handoffOf(suite.t, PHONE)

    const anne = await logIn('anne', 'login')
    const card = anne.locator('li.card', { hasText: 'Ba om et menneske' })
    await card.waitFor()
    await snap(anne, 'queue')
    await card.getByRole('button', { name: 'Ta samtalen' }).click()
    await anne.getByText('Du har samtalen nå.').first().waitFor()

    // What the person asked before, on the same screen as the reply box.
    const context = anne.locator('section.context')
    await context.getByText('Trekk i lønn eller trygd').waitFor()
    await context.locator('li.in', { hasText: 'de trekker i lønna mi' }).waitFor()
    await snap(anne, 'chat-context')

    const reply =
      'Hei, jeg heter Anne og er frivillig. Jeg ser du har spurt om trekk i lønn. Vil du at vi ringer NAV sammen?'
    await anne.getByLabel('Svar til deltakeren').fill(reply)
    await anne.getByText(/tegn, blir 1 SMS\./).waitFor()
    await anne.getByRole('button', { name: 'Send svar' }).click()
    await anne.getByText('Svaret er sendt.').waitFor()
    expect(await sms('Ja takk, i morgen tidlig')).toEqual([])
    await anne.locator('.msg.in', { hasText: 'Ja takk, i morgen tidlig' }).waitFor()

    await anne.getByLabel('Nytt notat').fill('Ringer NAV sammen med deltakeren tirsdag.')
    await anne.getByRole('button', { name: 'Lagre notat' }).click()
    await anne.getByText('Notatet er lagret.').waitFor()
    await anne.getByLabel('Utfall').selectOption({ label: 'Hjulpet' })
    await anne.getByRole('button', { name: 'Avslutt samtalen' }).click()
    await anne.getByText('Samtalen er avsluttet. Deltakeren har fått beskjed.').waitFor()
    expect(suite.t.store.data.handoffs[id]).toMatchObject({ state: 'closed', outcome: 'helped' })

    // The next day: find it again by the end of the number.
    await anne.getByRole('link', { name: 'Historikk' }).click()
    await anne.getByLabel('Deltaker eller nummer').fill('567')
    await anne.getByRole('button', { name: 'Finn' }).click()
    const row = anne.locator('tr', { hasText: '+47*****567' })
    await row.waitFor()
    expect(await row.textContent()).toContain('Hjulpet')
    await snap(anne, 'history')
    await row.getByRole('link', { name: 'Les' }).click()
    await anne.getByText('Ringer NAV sammen med deltakeren tirsdag.').waitFor()
    await anne.getByText('Ja takk, i morgen tidlig').waitFor()
    await anne.context().close()
  })

  it("Should show a coordinator the insight and the participant's page", async () => {
    const kari = await logIn('kari')
    await kari.getByRole('link', { name: 'Innsikt' }).click()
    await kari.getByRole('heading', { name: 'Innsikt' }).waitFor()
    expect(await kari.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(4)
    await snap(kari, 'insight')
    await kari.getByRole('link', { name: 'Historikk' }).click()
    await kari.locator('tr', { hasText: '+47*****567' }).getByRole('link').first().click()
    await kari.getByRole('heading', { name: 'Skriv til deltakeren' }).waitFor()
    expect(await kari.content()).toContain('Sa ja')
    await snap(kari, 'participant')
    await kari.context().close()
  })
})
