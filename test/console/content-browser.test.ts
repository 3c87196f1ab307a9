import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserApp } from '../helpers/browser.js'
import { PASSWORD } from '../helpers/console.js'
import { inboundForm, messagesOf, PUBLIC_URL, signedPost } from '../helpers/twilio.js'

const suite = browserApp({ config: { PUBLIC_URL } }, [['kari', 'coordinator']])

/** A participant texting through the signed Twilio webhook, over the real port. */
async function sms(body: string, from: string): Promise<string> {
  const res = await fetch(
    `${suite.base}/sms/twilio`,
    signedPost('/sms/twilio', inboundForm(from, body))
  )
  expect(res.status).toBe(200)
  return messagesOf(await res.text()).join('\n')
}

async function setPhone(page: Page, phone: string) {
  await page.getByLabel('Telefonnummer').fill(phone)
  await page.getByRole('button', { name: 'Forhåndsvis SMS' }).click()
  // The preview shows the SMS as the phone gets it, before anything is saved.
  await page.getByText(`Ring oss på ${phone}`).first().waitFor()
  await page.getByRole('button', { name: 'Lagre og ta i bruk' }).click()
  await page.getByText(/Lagret versjon \d+\. Boten bruker den nå\./).waitFor()
}

describe('local content in a browser', { timeout: 90_000 }, () => {
  it('Should answer with the phone number a coordinator just typed in the console', async () => {
    const page = await (await suite.browser.newContext()).newPage()
    await page.goto(`${suite.base}/console`)
    await page.getByLabel('Brukernavn').fill('kari')
    await page.getByLabel('Passord').fill(PASSWORD)
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page.getByRole('link', { name: 'Innhold' }).click()
    await page.getByRole('heading', { name: 'Lokalt innhold' }).waitFor()
    await page.getByLabel('Navn på organisasjonen').fill('Testsenteret')
    await page
      .getByLabel('Kilde: deres egen nettside der dette kan sjekkes')
      .fill('https://example.org/om-oss')
    await page.getByLabel('Hvem vi er (Norsk)').fill('Vi hjelper folk etter soning.')
    await page.getByLabel('Hvem vi er (Engelsk)').fill('We help people after prison.')
    await setPhone(page, '40 00 00 01')
    expect(await sms('hva er telefonnummeret deres', '+4791234567')).toContain('40 00 00 01')

    // The number changes; the next text gets the new one, no restart.
    await setPhone(page, '40 00 00 02')
    const reply = await sms('hva er telefonnummeret deres', '+4791234568')
    expect(reply).toContain('40 00 00 02')
    expect(reply).not.toContain('40 00 00 01')
    await page.getByRole('cell', { name: '2', exact: true }).waitFor()
  })
})
