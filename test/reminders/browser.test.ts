import { mkdir } from 'node:fs/promises'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SmsTransport } from '../../bot/channels/channel.js'
import { hasChromium, launchChromium, listen } from '../helpers/browser.js'
import { addStaffMember, PASSWORD } from '../helpers/console.js'
import { reminderApp, type ReminderApp } from '../helpers/reminders.js'
import { inboundForm, signedPost } from '../helpers/twilio.js'

/** Set SCREENSHOTS=<folder> to keep pictures of the reminder pages at phone and desktop size. */
const shots = process.env.SCREENSHOTS
const phone = { width: 390, height: 844 }
const desktop = { width: 1280, height: 900 }

let t: ReminderApp
let browser: Browser
let server: { base: string; close: () => Promise<void> }
const sent: string[] = []
let opened = 0
const waiting: (() => void)[] = []

/** Each SMS waits until the test lets it go, so the page can be seen part-way through a campaign. */
const gatedTransport: SmsTransport = {
  name: 'local',
  async send(to) {
    if (opened === 0) await new Promise<void>((resolve) => waiting.push(resolve))
    else opened--
    sent.push(to)
    return { providerId: `local_${sent.length}` }
  },
}

/** Lets `count` more SMS go. */
function release(count: number) {
  for (let i = 0; i < count; i++) {
    const next = waiting.shift()
    if (next) next()
    else opened++
  }
}

beforeAll(async () => {
  if (!hasChromium()) throw new Error('Chromium is missing at /usr/bin/chromium')
  t = await reminderApp('2026-11-23T12:00', {
    smsTransport: gatedTransport,
    config: { SMS_DISPATCH_CONCURRENCY: 1, SMS_RATE_PER_SECOND: 0 },
  })
  await addStaffMember(t, 'kari', 'coordinator')
  server = await listen(t.app)
  browser = await launchChromium()
  if (shots) await mkdir(shots, { recursive: true })
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await t?.runtime.handoffs.settled()
  await t?.cleanup()
})

async function snap(page: Page, name: string) {
  if (!shots) return
  for (const [label, size] of [
    ['phone', phone],
    ['desktop', desktop],
  ] as const) {
    await page.setViewportSize(size)
    await page.screenshot({ path: `${shots}/reminders-${name}-${label}.png`, fullPage: true })
  }
  await page.setViewportSize(desktop)
}

const CSV = [
  'Navn;Telefon;Språk;Grupper;Samtykke',
  'Ola;912 34 567;norsk;nav;ja',
  'Sara;92345678;engelsk;nav;ja',
  'Per;1234;norsk;nav;ja',
  'Nina;93456789;norsk;nav, bolig;ja',
  'Ali;94567890;norsk;bolig;nei',
].join('\n')

describe('reminders in a browser', { timeout: 120_000 }, () => {
  it('Should import a CSV, schedule a campaign, show it progress live, and show a reply', async () => {
    const page = await (await browser.newContext({ viewport: desktop })).newPage()
    await page.goto(`${server.base}/console`)
    await page.getByLabel('Brukernavn').fill('kari')
    await page.getByLabel('Passord').fill(PASSWORD)
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page.getByRole('link', { name: 'Påminnelser' }).first().click()
    await page.getByRole('heading', { name: 'Påminnelser' }).waitFor()

    // Import: the check shows the bad row and why, and saves nothing.
    await page.getByRole('link', { name: 'Importer CSV' }).click()
    await page
      .getByLabel('Velg fil')
      .setInputFiles({ name: 'deltakere.csv', mimeType: 'text/csv', buffer: Buffer.from(CSV) })
    await snap(page, 'import')
    await page.getByRole('button', { name: 'Sjekk filen' }).click()
    await page.getByText('5 rader: 4 kan lagres, 1 har feil.').waitFor()
    expect(await page.getByRole('row', { name: /Per 1234/ }).textContent()).toContain(
      'Ugyldig mobilnummer'
    )
    expect(Object.keys(t.store.data.people)).toHaveLength(0)
    await snap(page, 'import-check')
    await page.getByRole('button', { name: 'Lagre 4 gyldige rader' }).click()
    await page.getByText('4 deltakere er importert.').waitFor()
    await snap(page, 'people')

    // A campaign to the "nav" group: preview first, then schedule.
    await page.getByRole('link', { name: 'Ny kampanje' }).click()
    await page.getByLabel('Navn på kampanjen').fill('Stengt fredag')
    await page.getByLabel('Tekst på norsk').fill('NAV-kontoret er stengt fredag. Ring 55 55 33 33.')
    await page
      .getByLabel('Tekst på engelsk')
      .fill('The NAV office is closed on Friday. Call 55 55 33 33.')
    await page.getByLabel('nav (3)').check()
    await page.getByRole('button', { name: 'Forhåndsvis' }).click()
    await page.getByText('3 mottakere (2 norsk, 1 engelsk).').waitFor()
    await snap(page, 'campaign-preview')
    await page.getByRole('button', { name: 'Planlegg utsending til 3 mottakere' }).click()
    await page.getByRole('heading', { name: 'Stengt fredag' }).waitFor()

    // The scheduler runs (main.ts does this on a timer); the open page follows without a reload.
    const ticking = t.tick()
    release(1)
    await page.locator('[data-counts]', { hasText: 'Sendt 1 av 3' }).waitFor({ timeout: 10_000 })
    expect(await page.locator('progress').getAttribute('value')).toBe('1')
    await snap(page, 'campaign-progress')
    release(2)
    await ticking
    await page.locator('[data-counts]', { hasText: 'Sendt 3 av 3' }).waitFor({ timeout: 10_000 })
    await page.getByText('Ferdig').first().waitFor()

    // Ola answers; the overview shows the reply live.
    await page.getByRole('link', { name: 'Oversikt' }).click()
    await page.getByText('Ingen svar venter.').waitFor()
    const res = await fetch(
      `${server.base}/sms/twilio`,
      signedPost('/sms/twilio', inboundForm('+4791234567', 'Takk, kommer innom mandag'))
    )
    expect(res.status).toBe(200)
    await page.getByText('Takk, kommer innom mandag').waitFor({ timeout: 10_000 })
    await page.getByText('1 svar venter på deg').waitFor()
    await snap(page, 'overview')
  })

  it('Should let a coordinator set a reminder in one form and say when it goes', async () => {
    const page = await (await browser.newContext({ viewport: phone })).newPage()
    await page.goto(`${server.base}/console/login`)
    await page.getByLabel('Brukernavn').fill('kari')
    await page.getByLabel('Passord').fill(PASSWORD)
    await page.getByRole('button', { name: 'Logg inn' }).click()
    await page.goto(`${server.base}/console/reminders/people`)
    await page.getByRole('link', { name: 'Nina' }).click()
    await page.getByLabel('Hva').fill('Møte hos NAV')
    await page.getByLabel('Dato').fill('2026-11-25')
    await page.getByLabel('Klokkeslett').fill('10:00')
    await snap(page, 'appointment-form')
    await page.getByRole('button', { name: 'Lagre avtale' }).click()
    const saved = page.getByRole('status').filter({ hasText: 'Avtalen er lagret.' })
    expect(await saved.textContent()).toContain(
      'Påminnelser sendes tir. 24.11. kl. 18:00 og ons. 25.11. kl. 08:00.'
    )
    await snap(page, 'appointment-saved')
  })
})
