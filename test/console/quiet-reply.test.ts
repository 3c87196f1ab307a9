import { afterEach, describe, expect, it } from 'vitest'
import { replyNotBefore } from '../../bot/handoff/staff-actions.js'
import { parseQuietHours } from '../../bot/reminders/quiet-hours.js'
import { addStaffMember, handoffOf, loggedIn, text } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { PUBLIC_URL } from '../helpers/twilio.js'

const PHONE = '+4791234567'
let t: TestApp
let now: Date
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

const repliesTo = () => Object.values(t.store.data.outbox).filter((m) => m.body.startsWith('Hei,'))

/** Someone asked for a person at 15:00 and Anne took the chat. */
async function chatTakenAt3pm() {
  now = new Date('2026-11-23T15:00:00+01:00')
  t = await makeApp({ now: () => now, config: { PUBLIC_URL } })
  await addStaffMember(t, 'anne', 'volunteer')
  await text(t, PHONE, 'menneske')
  await text(t, PHONE, 'ja')
  const id = handoffOf(t, PHONE)
  const anne = await loggedIn(t, 'anne')
  await anne.post(`/console/chats/${id}/claim`)
  return { id, anne }
}

describe('a volunteer answering at night (QUIET_HOURS 21:00-08:00)', () => {
  it('Should hold an SMS reply until morning for someone who wrote hours ago, but not for someone writing now', async () => {
    const { id, anne } = await chatTakenAt3pm()

    now = new Date('2026-11-23T23:00:00+01:00')
    const chat = await anne.page(`/console/chats/${id}`)
    expect(chat.html).toContain('Stille timer nå: et SMS-svar sendes 24.11. 08:00')
    const held = await anne.post(`/console/chats/${id}/reply`, {
      text: 'Hei, jeg kan ringe deg i morgen.',
    })
    expect(held.headers.get('location')).toBe(`/console/chats/${id}?done=held`)
    expect((await anne.page(held.headers.get('location')!)).html).toContain('sendes 24.11. 08:00')
    expect(repliesTo()).toEqual([
      expect.objectContaining({ state: 'pending', dueAt: '2026-11-24T07:00:00.000Z' }),
    ])

    // The participant writes again at 23:10: now they are in the conversation.
    now = new Date('2026-11-23T23:10:00+01:00')
    await text(t, PHONE, 'er du der?')
    now = new Date('2026-11-23T23:12:00+01:00')
    const live = await anne.post(`/console/chats/${id}/reply`, { text: 'Hei, ja, jeg er her.' })
    expect(live.headers.get('location')).toBe(`/console/chats/${id}?done=replied`)
    expect(repliesTo().map((m) => m.state)).toEqual(['pending', 'sent'])

    // In the morning the scheduler sends what was held.
    now = new Date('2026-11-24T08:00:00+01:00')
    await t.runtime.reminders.tick(now)
    expect(repliesTo().map((m) => m.state)).toEqual(['sent', 'sent'])
  })

  it('Should send at once when the volunteer ticks "send now anyway", and never hold web chat', async () => {
    const { id, anne } = await chatTakenAt3pm()
    now = new Date('2026-11-24T02:00:00+01:00')
    await anne.page(`/console/chats/${id}`)
    const sent = await anne.post(`/console/chats/${id}/reply`, {
      text: 'Hei, dette haster.',
      now: 'yes',
    })
    expect(sent.headers.get('location')).toBe(`/console/chats/${id}?done=replied`)
    expect(repliesTo()).toEqual([expect.objectContaining({ state: 'sent' })])

    // Web chat shows a reply in the open page; nothing rings at night, so nothing is held.
    const h = t.store.data.handoffs[id]!
    const quiet = parseQuietHours('21:00-08:00', 'Europe/Oslo')
    expect(replyNotBefore({ ...h, channel: 'webchat' }, now, quiet)).toBeUndefined()
    expect(replyNotBefore(h, now, quiet)).toEqual(new Date('2026-11-24T07:00:00.000Z'))
  })
})
