import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, listen } from '../helpers/browser.js'
import { makeApp, realKnowledge, type TestApp } from '../helpers/make-app.js'

// test/global-setup.ts installs Debian's chromium when it is missing, or stops the run.
let t: TestApp
let server: { base: string; close: () => Promise<void> }
let browser: Browser
const problems: string[] = []

beforeAll(async () => {
  t = await makeApp({ now: () => new Date() })
  server = await listen(t.app)
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await t?.cleanup()
})

/** The message bubbles (Web Chat also copies each message into a live region for screen readers). */
const transcript = (page: Page) => page.locator('#webchat .webchat__bubble__content')
const sendBox = (page: Page) => page.getByRole('textbox')
/** A suggested-action button in Web Chat's toolbar (the transcript's live region has a copy). */
const suggested = (page: Page, name: string | RegExp) =>
  page.getByRole('toolbar').getByRole('button', { name })

/** Every message sent, none left "Sending" or "Send failed". */
async function expectNothingFailed(page: Page) {
  await expect
    .poll(() => page.locator('.webchat__activity-status--sending').count(), { timeout: 10_000 })
    .toBe(0)
  const text = await page.locator('#webchat').innerText()
  expect(text).not.toMatch(/Send failed|Sending mislyktes/)
}

async function send(page: Page, text: string) {
  await sendBox(page).fill(text)
  await sendBox(page).press('Enter')
}

describe('Web Chat in Chromium on a phone-sized screen', () => {
  it('Should greet, answer a button and a misspelled question, switch to English and resume after a reload', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
      locale: 'nb-NO',
    })
    const page = await context.newPage()
    page.on('pageerror', (error) => problems.push(`pageerror: ${error.message}`))
    page.on('console', (m) => m.type() === 'error' && problems.push(`console: ${m.text()}`))

    await page.goto(`${server.base}/chat`)
    expect(await page.getAttribute('html', 'lang')).toBe('nb')
    await transcript(page).getByText('Hei! Jeg svarer på spørsmål').first().waitFor()

    // A menu button (suggested action) answers like typing its number.
    await send(page, 'meny')
    await suggested(page, '2 Bolig').click()
    await transcript(page)
      .getByText(/^Bolig\./)
      .first()
      .waitFor()

    // A misspelled question gets the housing-tonight answer from content/topics.
    const housing = realKnowledge().topics.get('housing-tonight')!.answer
    await send(page, 'har ikke noe sted å bo i nat')
    await transcript(page).getByText(housing.nb.slice(0, 40)).first().waitFor()
    await expectNothingFailed(page)

    // The switch is a link a keyboard reaches; it tells the bot, then reloads the page in English.
    await page.getByRole('link', { name: 'English' }).focus()
    await Promise.all([page.waitForURL(/\?lang=en$/), page.keyboard.press('Enter')])
    expect(await page.getAttribute('html', 'lang')).toBe('en')
    await transcript(page).getByText(housing.nb.slice(0, 40)).first().waitFor()
    await expect.poll(() => sendBox(page).getAttribute('placeholder')).toMatch(/^Type your message/)

    await send(page, 'where do i sleep tonight')
    await transcript(page).getByText(housing.en.slice(0, 40)).first().waitFor()

    // A reload resumes the same conversation: earlier messages, no second greeting.
    const conversationId = await page.evaluate(
      () => JSON.parse(localStorage.getItem('reentry.webchat.v1')!).conversationId as string
    )
    await page.reload()
    await transcript(page).getByText(housing.en.slice(0, 40)).first().waitFor()
    await expect.poll(() => transcript(page).getByText(housing.nb.slice(0, 40)).count()).toBe(1)
    expect(await transcript(page).getByText('Hei! Jeg svarer på spørsmål').count()).toBe(1)
    expect(
      await page.evaluate(
        () => JSON.parse(localStorage.getItem('reentry.webchat.v1')!).conversationId
      )
    ).toBe(conversationId)
    await expectNothingFailed(page)

    await page.screenshot({ path: '/tmp/webchat.png' })
    expect(problems).toEqual([])
    await context.close()
  })

  it('Should start afresh with "New chat"', async () => {
    const context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'en-US',
    })
    const page = await context.newPage()
    await page.goto(`${server.base}/chat`)
    await transcript(page).getByText('Hi! I answer questions').first().waitFor()
    const first = await page.evaluate(() => localStorage.getItem('reentry.webchat.v1'))
    await send(page, 'menu')
    await suggested(page, /^1 /).waitFor()
    await Promise.all([
      page.waitForEvent('load'),
      page.getByRole('button', { name: 'New chat' }).click(),
    ])
    await transcript(page).getByText('Hi! I answer questions').first().waitFor()
    expect(await transcript(page).getByText('menu', { exact: true }).count()).toBe(0)
    expect(await page.evaluate(() => localStorage.getItem('reentry.webchat.v1'))).not.toBe(first)
    await context.close()
  })
})
