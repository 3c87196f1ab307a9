/**
 * SLETT works in every state: while a chat with a person is open it asks the same one question,
 * and yes deletes everything (the chat included), no keeps the chat going. Row 11 of issue 16.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { addStaffMember, handoffOf, loggedIn, text } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

const PHONE = '+4791234567'
let t: TestApp
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

async function inChatWithKari() {
  t = await makeApp({ now: () => new Date('2026-11-23T12:00:00+01:00') })
  await addStaffMember(t, 'kari', 'coordinator')
  await text(t, PHONE, 'menneske')
  await text(t, PHONE, '1')
  const kari = await loggedIn(t, 'kari')
  const id = handoffOf(t, PHONE)
  await kari.page('/console')
  expect((await kari.post(`/console/chats/${id}/claim`)).status).toBe(303)
  await text(t, PHONE, 'jeg trenger hjelp')
  return { kari, id }
}

describe('SLETT during a chat with a person', () => {
  it('Should ask once, then delete everything, the chat included, and say so', async () => {
    const { kari, id } = await inChatWithKari()
    expect((await text(t, PHONE, 'slett')).join('\n')).toContain('Vil du slette alt')
    expect((await text(t, PHONE, '1')).join('\n')).toContain('Vi har slettet alt')
    expect(t.store.data.contacts[`sms:${PHONE}`]).toBeUndefined()
    expect(t.store.data.handoffs[id]).toBeUndefined()
    expect(JSON.stringify(t.store.data)).not.toContain(PHONE)
    expect((await kari.get(`/console/chats/${id}`)).status).toBe(404)
    // The next message starts a new conversation with the bot, not a message to the console.
    expect((await text(t, PHONE, 'meny')).join('\n')).toContain('Hva trenger du hjelp med?')
  })

  it('Should keep everything and the chat when the answer is no', async () => {
    const { id } = await inChatWithKari()
    await text(t, PHONE, 'slett')
    expect((await text(t, PHONE, 'nei')).join('\n')).toContain('ingenting er slettet')
    expect(t.store.data.handoffs[id]?.state).toBe('claimed')
    expect(await text(t, PHONE, 'er du der?')).toEqual([])
  })

  it('Should take only the next message as the answer, not a "1" in a later chat', async () => {
    const { kari, id } = await inChatWithKari()
    await text(t, PHONE, 'slett')
    // AVSLUTT instead of an answer: the question is gone with the chat.
    expect((await text(t, PHONE, 'avslutt')).join('\n')).not.toContain('slettet')
    expect(t.store.data.handoffs[id]?.state).toBe('closed')
    await text(t, PHONE, 'menneske')
    const again = handoffOf(t, PHONE)
    expect(again).not.toBe(id)
    await kari.page('/console')
    expect((await kari.post(`/console/chats/${again}/claim`)).status).toBe(303)
    expect(await text(t, PHONE, '1')).toEqual([])
    expect(t.store.data.contacts[`sms:${PHONE}`]).toBeDefined()
  })
})
