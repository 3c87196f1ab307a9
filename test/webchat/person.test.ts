/**
 * Web chat as a person expects, in Chromium: the greeting's menu as buttons, "1 for more" as a
 * button, phone numbers (the crisis answer's too) as tel: links, a volunteer's reply under their
 * first name and role; the default Direct Line client over the WebSocket stream; a page whose
 * server restarted goes on with the same conversation, and one the server no longer has starts a
 * new conversation and says so; and a page that cannot start a chat (429) shows the emergency
 * numbers.
 */
import { rm } from 'node:fs/promises'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { FEED_FILE } from '../../bot/channels/direct-line-file.js'
import { findParticipant } from '../../bot/store/participants.js'
import { launchChromium, listen } from '../helpers/browser.js'
import { addStaffMember, loggedIn } from '../helpers/console.js'
import { makeApp, realKnowledge, type TestApp } from '../helpers/make-app.js'

let t: TestApp
let server: { base: string; close: () => Promise<void> }
let browser: Browser
const cleanups: (() => Promise<unknown>)[] = []

beforeAll(async () => {
  t = await makeApp({ now: () => new Date() })
  await addStaffMember(t, 'anne.hansen', 'volunteer')
  server = await listen(t.app)
  browser = await launchChromium()
})
afterAll(async () => {
  await browser?.close()
  for (const cleanup of cleanups.reverse()) await cleanup()
  await server?.close()
  await t?.cleanup()
})

const bubbles = (page: Page) => page.locator('#webchat .webchat__bubble__content')
const sendBox = (page: Page) => page.getByRole('textbox')
const suggested = (page: Page, name: string | RegExp) =>
  page.getByRole('toolbar').getByRole('button', { name })

async function send(page: Page, text: string) {
  await sendBox(page).fill(text)
  await sendBox(page).press('Enter')
}

async function chatPage(base: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 390, height: 844 },
    locale: 'nb-NO',
  })
  const page = await context.newPage()
  await page.goto(`${base}/chat`)
  return page
}

const conversationOf = (page: Page) =>
  page.evaluate(
    () => JSON.parse(localStorage.getItem('reentry.webchat.v1')!).conversationId as string
  )

describe('web chat for the person writing', { timeout: 120_000 }, () => {
  it('Should show the menu as buttons, a more button, tel: links and who answers', async () => {
    const page = await chatPage(server.base)
    // The greeting brings the menu's buttons without anyone typing MENY.
    await bubbles(page).getByText('Hei! Jeg svarer på spørsmål').first().waitFor()
    await suggested(page, /^1 /).waitFor()
    expect(await page.getByRole('toolbar').getByRole('button').count()).toBe(
      realKnowledge().menu.length
    )

    // An answer with more: its number is a link, "more" and "menu" are buttons.
    await send(page, 'de trekker i lønna mi')
    const debt = bubbles(page).filter({ hasText: 'gjeldstelefon' }).last()
    await debt.waitFor()
    expect(await debt.locator('a[href="tel:+4755553339"]').textContent()).toBe('55 55 33 39')
    await suggested(page, '1 Mer om dette').click()
    await bubbles(page).getByText('Gjelder det bøter').first().waitFor()
    await suggested(page, '0 Meny').waitFor()

    // The crisis answer's numbers can be called with one tap.
    await send(page, 'jeg vil ta livet mitt')
    const crisis = bubbles(page).filter({ hasText: 'Ring 113' }).last()
    await crisis.waitFor()
    expect(await crisis.locator('a[href="tel:113"]').count()).toBeGreaterThan(0)
    expect(await crisis.locator('a[href="tel:116123"]').count()).toBe(1)

    // A volunteer answers from the console: their first name and role, not the bot's voice.
    const id = Object.values(t.store.data.handoffs).find((h) => h.channel === 'webchat')!.id
    const anne = await loggedIn(t, 'anne.hansen')
    expect((await anne.post(`/console/chats/${id}/claim`)).status).toBe(303)
    await anne.page(`/console/chats/${id}`)
    const reply = await anne.post(`/console/chats/${id}/reply`, { text: 'Hei, jeg er her nå.' })
    expect(reply.status).toBe(303)
    const answer = bubbles(page).filter({ hasText: 'Hei, jeg er her nå.' })
    await answer.waitFor()
    expect(await answer.locator('strong').textContent()).toBe('Anne, frivillig')
    // The transcript keeps the words only.
    const log = await t.transcripts.recent(t.store.data.handoffs[id]!.participantId)
    expect(log.at(-1)).toMatchObject({ text: 'Hei, jeg er her nå.', direction: 'out' })
    await page.context().close()
  })

  it('Should work with the default Direct Line client, over the WebSocket stream', async () => {
    const page = await chatPage(server.base)
    await bubbles(page).getByText('Hei! Jeg svarer').first().waitFor()
    const seen = await page.evaluate(async (base) => {
      const res = await fetch(`${base}/directline/tokens/generate`, { method: 'POST' })
      const { token, conversationId } = (await res.json()) as {
        token: string
        conversationId: string
      }
      type Client = {
        activity$: { subscribe(f: (a: { text?: string }) => void): void }
        postActivity(a: object): { subscribe(f: () => void): void }
      }
      const w = window as unknown as { WebChat: { createDirectLine(o: object): Client } }
      const client = w.WebChat.createDirectLine({ domain: `${base}/directline`, token })
      return new Promise<{ texts: string[]; conversationId: string }>((resolve) => {
        const texts: string[] = []
        client.activity$.subscribe((a) => {
          if (a.text) texts.push(a.text)
          // The greeting has the menu too: wait for the answer to our own message.
          const asked = texts.indexOf('meny')
          if (asked >= 0 && texts.slice(asked).some((x) => x.includes('Hva trenger du hjelp')))
            resolve({ texts, conversationId })
        })
        client
          .postActivity({ type: 'message', from: { id: 'me' }, text: 'meny' })
          .subscribe(() => {})
      })
    }, server.base)
    expect(seen.texts).toContain('meny')
    const conversation = t.runtime.webchat.conversations.get(seen.conversationId)!
    expect(conversation.listeners?.size).toBe(1) // a stream, not polling
    await page.context().close()
  })

  it('Should go on with the same conversation after a server restart, the history still on the page', async () => {
    const first = await makeApp({ now: () => new Date() })
    let running = await listen(first.app)
    const port = Number(new URL(running.base).port)
    const page = await chatPage(running.base)
    await bubbles(page).getByText('Hei! Jeg svarer').first().waitFor()
    await send(page, 'meny')
    await bubbles(page).getByText('Hva trenger du hjelp med?').first().waitFor()
    const before = await conversationOf(page)

    await running.close() // the streams end with it
    const second = await makeApp({ dir: first.dir, now: () => new Date() })
    running = await listen(second.app, port)
    cleanups.push(() => running.close(), second.cleanup, first.cleanup)

    await send(page, 'hjelp')
    await bubbles(page)
      .getByText(/HJELP|MENY/)
      .last()
      .waitFor({ timeout: 60_000 })
    expect(await conversationOf(page)).toBe(before)
    expect(await page.locator('#restarted').isHidden()).toBe(true)
    // A volunteer's words sent after the restart reach the same open page.
    const participant = findParticipant(second.store, 'webchat', before)!
    expect(await second.runtime.sendProactive(participant.id, 'Hei, dette er Anne.')).toBe(true)
    await bubbles(page).getByText('Hei, dette er Anne.').waitFor({ timeout: 30_000 })
    expect(await page.locator('#webchat').innerText()).toContain('Hva trenger du hjelp med?')
    expect(await page.locator('#webchat').innerText()).not.toMatch(/Send failed|Sending mislyktes/)
    await page.context().close()
  })

  it('Should start a new conversation by itself when the server no longer has the old one, and say so', async () => {
    const first = await makeApp({ now: () => new Date() })
    let running = await listen(first.app)
    const port = Number(new URL(running.base).port)
    const page = await chatPage(running.base)
    await bubbles(page).getByText('Hei! Jeg svarer').first().waitFor()
    const before = await conversationOf(page)

    await running.close()
    await rm(join(first.dir, FEED_FILE)) // as if the data folder were restored from an old backup
    const second = await makeApp({ dir: first.dir, now: () => new Date() })
    running = await listen(second.app, port)
    cleanups.push(() => running.close(), second.cleanup, first.cleanup)

    await page.locator('#restarted').getByText('Chatten startet på nytt hos oss').waitFor({
      timeout: 60_000,
    })
    await bubbles(page).getByText('Hei! Jeg svarer').first().waitFor()
    expect(await conversationOf(page)).not.toBe(before)
    await send(page, 'meny')
    await bubbles(page).getByText('Hva trenger du hjelp med?').first().waitFor()
    expect(await page.locator('#webchat').innerText()).not.toMatch(/Send failed|Sending mislyktes/)
    await page.context().close()
  })

  it('Should show the emergency numbers when a chat cannot start (429)', async () => {
    const busy = await makeApp({ config: { WEBCHAT_CONVERSATIONS_PER_HOUR: 1 } })
    const running = await listen(busy.app)
    cleanups.push(() => running.close(), busy.cleanup)
    await fetch(`${running.base}/directline/tokens/generate`, { method: 'POST' })
    const page = await chatPage(running.base)
    await page.getByText('Det er startet for mange samtaler herfra').waitFor()
    const emergency = page.locator('#emergency')
    await emergency.waitFor()
    expect(await emergency.innerText()).toContain(
      'Mental Helse hjelpetelefon 116 123 svarer hele døgnet'
    )
    expect(await emergency.locator('a[href="tel:113"]').count()).toBe(1)
    expect(await emergency.locator('a[href="tel:112"]').count()).toBe(1)
    expect(await emergency.locator('a[href="tel:116123"]').count()).toBe(1)
    await page.context().close()
  })
})
