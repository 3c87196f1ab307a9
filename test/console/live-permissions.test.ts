/**
 * Streams follow permissions: a live stream ends when its session ends (logout, account turned
 * off, expired) or the chat is no longer the viewer's; presence counts only a logged-in, enabled
 * session; a closed chat shows only its own messages. Rows 7 and 8 of issue 16.
 */
import { afterEach, describe, expect, it } from 'vitest'
import {
  addStaffMember,
  handoffOf,
  loggedIn,
  text,
  type ConsoleClient,
} from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

const PHONE = '+4791234567'
let t: TestApp
let now: Date
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

async function app() {
  now = new Date('2026-11-23T12:00:00+01:00')
  t = await makeApp({ now: () => now })
  await addStaffMember(t, 'anne', 'volunteer')
  await addStaffMember(t, 'kari', 'admin')
}
const later = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000))

/** A live stream's reader, and whether it has ended within `ms`. */
async function open(client: ConsoleClient, path: string) {
  const res = await client.get(path)
  expect(res.status).toBe(200)
  const reader = res.body!.getReader()
  await reader.read() // the first render
  const ended = async (ms = 2_000) => {
    const timeout = new Promise<'open'>((r) => setTimeout(() => r('open'), ms))
    for (;;) {
      const next = await Promise.race([reader.read(), timeout])
      if (next === 'open') return false
      if (next.done) return true
    }
  }
  return { ended, cancel: () => reader.cancel() }
}

/** A participant asks for a person and `client` takes the chat. */
async function claimed(client: ConsoleClient) {
  await text(t, PHONE, 'menneske')
  await text(t, PHONE, '1')
  const id = handoffOf(t, PHONE)
  await client.page('/console')
  expect((await client.post(`/console/chats/${id}/claim`)).status).toBe(303)
  return id
}

describe('live streams end with the right to see them', () => {
  it('Should end a chat stream when the volunteer puts the chat back in the queue', async () => {
    await app()
    const anne = await loggedIn(t, 'anne')
    const id = await claimed(anne)
    const stream = await open(anne, `/console/chats/${id}/events`)
    await anne.page(`/console/chats/${id}`)
    expect((await anne.post(`/console/chats/${id}/release`)).status).toBe(303)
    await text(t, PHONE, 'hei, er du der?')
    expect(await stream.ended()).toBe(true)
  })

  it('Should end every stream of a session that logs out', async () => {
    await app()
    const anne = await loggedIn(t, 'anne')
    const queue = await open(anne, '/console/events')
    const other = await loggedIn(t, 'anne')
    expect((await anne.post('/console/logout')).status).toBe(303)
    expect(await queue.ended()).toBe(true)
    // Another login of the same person is not ended by it.
    const still = await open(other, '/console/events')
    expect(await still.ended(300)).toBe(false)
    await still.cancel()
  })

  it('Should end the streams of an account an admin turns off, and not count it as present', async () => {
    await app()
    const anne = await loggedIn(t, 'anne')
    const id = await claimed(anne)
    const stream = await open(anne, `/console/chats/${id}/events`)
    expect(t.runtime.handoffs.presence.isOnline('s_anne', now)).toBe(true)
    const kari = await loggedIn(t, 'kari')
    await kari.page('/console/staff')
    expect((await kari.post('/console/staff/s_anne/disable')).status).toBe(200)
    expect(t.runtime.handoffs.presence.isOnline('s_anne', now)).toBe(false)
    expect(await stream.ended()).toBe(true)
  })

  it('Should count as present only a logged-in, enabled session: not after logout', async () => {
    await app()
    const anne = await loggedIn(t, 'anne')
    expect(t.runtime.handoffs.presence.isOnline('s_anne', now)).toBe(true)
    expect((await anne.post('/console/logout')).status).toBe(303)
    expect(t.runtime.handoffs.presence.isOnline('s_anne', now)).toBe(false)
    // The logged-out cookie no longer reaches a page, so nothing can mark her present again.
    expect((await anne.get('/console')).status).not.toBe(200)
    expect(t.runtime.handoffs.presence.isOnline('s_anne', now)).toBe(false)
  })

  it('Should end a stream when its session expires', async () => {
    await app()
    const anne = await loggedIn(t, 'anne')
    const stream = await open(anne, '/console/events')
    later(13 * 60)
    expect(t.runtime.handoffs.presence.isOnline('s_anne', now)).toBe(false)
    await t.runtime.handoffs.tick(now)
    expect(await stream.ended()).toBe(true)
  })
})

describe('history per chat', () => {
  it('Should show a closed chat only its own messages, not what came in a later chat', async () => {
    await app()
    const anne = await loggedIn(t, 'anne')
    const first = await claimed(anne)
    later(1)
    await text(t, PHONE, 'dette er til anne')
    later(1)
    await anne.page(`/console/chats/${first}`)
    expect((await anne.post(`/console/chats/${first}/close`, { outcome: 'helped' })).status).toBe(
      303
    )
    later(60)
    const kari = await loggedIn(t, 'kari')
    const second = await claimed(kari)
    later(1)
    await text(t, PHONE, 'dette er bare til kari')
    expect(second).not.toBe(first)
    const page = await anne.page(`/console/chats/${first}`)
    expect(page.status).toBe(200)
    expect(page.html).toContain('dette er til anne')
    expect(page.html).not.toContain('bare til kari')
  })
})
