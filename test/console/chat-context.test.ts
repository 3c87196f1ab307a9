/**
 * Context on claim: the volunteer who takes a chat sees, on one laptop screen, what the person
 * asked the bot before (with their consent: the texts, marked bot and participant; without it:
 * only the topics) and the emergency answer the bot gave.
 */
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { browserApp, tickingClock } from '../helpers/browser.js'
import { handoffOf, PASSWORD } from '../helpers/console.js'
import { inboundForm, messagesOf, PUBLIC_URL, signedPost } from '../helpers/twilio.js'

const PHONE = '+4791234567'
const QUIET_PHONE = '+4791111222'
const CRISIS_PHONE = '+4798765432'
const LONG_PHONE = '+4790000111'
const laptop = { width: 1366, height: 768 }

const suite = browserApp(
  { config: { PUBLIC_URL }, now: tickingClock('2026-11-23T12:00:00+01:00') }, // Monday noon, Oslo
  [
    ['anne', 'volunteer'],
    ['kari', 'coordinator'],
  ]
)

async function sms(body: string, from: string): Promise<string[]> {
  const res = await fetch(
    `${suite.base}/sms/twilio`,
    signedPost('/sms/twilio', inboundForm(from, body))
  )
  expect(res.status).toBe(200)
  return messagesOf(await res.text())
}

async function logIn(username: string): Promise<Page> {
  const page = await (await suite.browser.newContext({ viewport: laptop })).newPage()
  await page.goto(`${suite.base}/console`)
  await page.getByLabel('Brukernavn').fill(username)
  await page.getByLabel('Passord').fill(PASSWORD)
  await page.getByRole('button', { name: 'Logg inn' }).click()
  await page.getByRole('heading', { name: 'Samtaler', exact: true }).waitFor()
  return page
}

/** Claims the chat from the queue and waits for its page. */
async function claim(page: Page, id: string) {
  await page.goto(`${suite.base}/console`)
  await page.locator(`form[action="/console/chats/${id}/claim"] button`).click()
  await page.getByText('Du har samtalen nå.').first().waitFor()
}

/** True when the element is wholly inside the window, the page not scrolled. */
async function onScreen(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const box = el.getBoundingClientRect()
    return window.scrollY === 0 && box.top >= 0 && box.bottom <= window.innerHeight
  })
}

describe('context on claim', { timeout: 90_000 }, () => {
  it('Should show what the person asked before, marked bot and participant, on one screen', async () => {
    expect((await sms('de trekker i lønna mi', PHONE))[0]).toContain('55 55 33 39')
    await sms('Hvor kan jeg bo etter soning?', PHONE)
    const question = (await sms('menneske', PHONE))[0]!
    expect(question).toContain('ser også det du har skrevet med boten i dag')
    await sms('ja', PHONE)
    const id = handoffOf(suite.t, PHONE)
    expect(suite.t.store.data.handoffs[id]!.before).toMatchObject({ consent: true })
    expect(suite.t.store.data.handoffs[id]!.before!.topics).toContain('debt-wage-deduction')

    const anne = await logIn('anne')
    await claim(anne, id)
    const context = anne.locator('section.context')
    await context.getByText('Før samtalen').waitFor()
    expect(await context.textContent()).toContain('har sagt ja til at du leser')
    expect(await context.textContent()).toContain('Trekk i lønn eller trygd')
    const before = context.locator('ol.before li')
    expect(await before.count()).toBeGreaterThanOrEqual(4)
    await context.locator('li.in', { hasText: 'de trekker i lønna mi' }).waitFor()
    await context.locator('li.bot', { hasText: 'Roboten' }).first().waitFor()
    // The before-texts are context, not part of the chat itself.
    expect(await anne.locator('ol.messages').textContent()).not.toContain('de trekker i lønna mi')
    expect(await onScreen(anne, 'section.context')).toBe(true)
    expect(await onScreen(anne, 'form[data-segments] textarea')).toBe(true)
    if (process.env.SCREENSHOTS)
      await anne.screenshot({ path: `${process.env.SCREENSHOTS}/chat-context-laptop.png` })
    await anne.context().close()
  })

  it('Should keep the first questions of a long conversation in view, and say what was cut (review of issue 15, finding 1)', async () => {
    for (const body of [
      'hei',
      'de trekker meg i lønn, hva gjør jeg',
      'har ikke noe sted å bo',
      '<img src=x onerror=alert(1)><script>alert(2)</script>',
      'Jeg heter Kari Nordmann, ring 91234567 om blåbærsyltetøy',
      'MENNESKE',
    ])
      await sms(body, LONG_PHONE)
    await sms('1', LONG_PHONE)
    const id = handoffOf(suite.t, LONG_PHONE)
    expect(suite.t.store.data.handoffs[id]!.before).toMatchObject({ consent: true })

    const anne = await logIn('anne')
    await claim(anne, id)
    const context = anne.locator('section.context')
    await context.getByText('Før samtalen').waitFor()
    for (const question of ['de trekker meg i lønn, hva gjør jeg', 'har ikke noe sted å bo'])
      expect(await context.locator('li.in', { hasText: question }).isVisible()).toBe(true)
    // Bot lines were cut from the middle, and it says so, with a way to see them.
    const more = context.locator('li.more > details > summary')
    expect(await more.textContent()).toMatch(/^\d+ linjer til$/)
    const cut = Number((await more.textContent())!.split(' ')[0])
    expect(await context.locator('li.more ol li').count()).toBe(cut)
    expect(await onScreen(anne, 'section.context')).toBe(true)
    expect(await onScreen(anne, 'form[data-segments] textarea')).toBe(true)
    if (process.env.SCREENSHOTS)
      await anne.screenshot({ path: `${process.env.SCREENSHOTS}/chat-context-long.png` })
    await more.click()
    expect(await context.locator('li.more ol li').first().isVisible()).toBe(true)
    await anne.context().close()
  })

  it('Should keep the texts of someone who said no to nobody but themselves', async () => {
    await sms('Hvor kan jeg bo etter soning?', QUIET_PHONE)
    await sms('menneske', QUIET_PHONE)
    expect((await sms('nei', QUIET_PHONE))[0]).toContain('deler vi ikke samtalen')
    const participantId = suite.t.store.data.contacts[`sms:${QUIET_PHONE}`]!
    expect(
      Object.values(suite.t.store.data.handoffs).some((h) => h.participantId === participantId)
    ).toBe(false)
    // Nothing they wrote was written down anywhere.
    expect(await suite.t.transcripts.recent(participantId, 50, 30)).toEqual([])
  })

  it('Should show only the topics, and the emergency answer, when there was no consent', async () => {
    await sms('de trekker i lønna mi', CRISIS_PHONE)
    const answer = (await sms('jeg orker ikke mer, vil dø', CRISIS_PHONE)).join('\n')
    expect(answer).toContain('113')
    const id = handoffOf(suite.t, CRISIS_PHONE)
    expect(suite.t.store.data.handoffs[id]!.before).toMatchObject({ consent: false })

    const kari = await logIn('kari')
    await claim(kari, id)
    const context = kari.locator('section.context')
    await context.getByText('Før samtalen').waitFor()
    const text = (await context.textContent()) ?? ''
    expect(text).toContain('ikke sagt ja')
    expect(text).toContain('Trekk i lønn eller trygd')
    expect(text).toContain('Roboten ga nødsvaret')
    expect(text).not.toContain('de trekker i lønna mi')
    expect(await kari.content()).not.toContain('de trekker i lønna mi')
    // What the bot said in the crisis is in the chat, marked as the bot's.
    const bot = kari.locator('ol.messages .msg.bot', { hasText: '113' })
    await bot.first().waitFor()
    await kari.locator('ol.messages .msg.in', { hasText: 'vil dø' }).waitFor()
    expect(await onScreen(kari, 'section.context')).toBe(true)
    await kari.context().close()
  })
})
