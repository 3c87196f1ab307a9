import { afterEach, describe, expect, it } from 'vitest'
import { aliasCode } from '../../bot/handoff/alias.js'
import { parseClaim } from '../../bot/handoff/sms-claim.js'
import { addStaffMember, handoffOf, text } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { PUBLIC_URL } from '../helpers/twilio.js'

const PHONE = '+4791234567'
const KARI = '+4790000009'
const ANNE = '+4790000008'
let t: TestApp
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

const smsTo = (to: string) =>
  Object.values(t.store.data.outbox)
    .filter((m) => m.to === to)
    .map((m) => m.body)

describe('taking a chat by SMS', () => {
  it('Should tell on-call staff how to take it, and let the first "TA <code>" claim it', async () => {
    const now = new Date('2026-11-23T12:00:00+01:00') // Monday, in office hours
    t = await makeApp({ now: () => now, config: { PUBLIC_URL, HANDOFF_ONCALL: [KARI, ANNE] } })
    const kari = await addStaffMember(t, 'kari', 'coordinator', KARI)
    await addStaffMember(t, 'anne', 'volunteer', ANNE)
    await text(t, PHONE, 'menneske')
    await text(t, PHONE, 'ja')
    await t.runtime.handoffs.settled()
    const id = handoffOf(t, PHONE)
    const code = aliasCode(t.store.data.handoffs[id]!.participantId)
    expect(smsTo(KARI)).toEqual([
      expect.stringMatching(new RegExp(`Svar TA ${code} for å ta den\\.$`)),
    ])

    expect(await text(t, KARI, `ta ${code.toLowerCase()}`)).toEqual([
      `Du har tatt samtalen med Deltaker ${code}. Åpne den: ${PUBLIC_URL}/console/chats/${id}`,
    ])
    expect(t.store.data.handoffs[id]).toMatchObject({ state: 'claimed', assignee: kari })
    expect(
      (await t.runtime.handoffs.audit.recent()).map((e) => [e.action, e.actor])
    ).toContainEqual(['claim', kari])
    expect(await text(t, ANNE, `TA ${code}`)).toEqual(['kari har allerede tatt denne samtalen.'])
  })

  it('Should take the only waiting chat with "TA" alone, ask which when several wait, and leave other texts to the bot', async () => {
    const now = new Date('2026-11-23T12:00:00+01:00')
    t = await makeApp({ now: () => now, config: { PUBLIC_URL } })
    await addStaffMember(t, 'kari', 'coordinator', KARI)
    expect(await text(t, KARI, 'ta')).toEqual(['Fant ingen åpen samtale med den koden.'])
    const [menu] = await text(t, KARI, 'meny')
    expect(menu).toContain('Hva trenger du hjelp med?')

    await text(t, PHONE, 'menneske')
    await text(t, PHONE, 'ja')
    await text(t, '+4791234568', 'menneske')
    await text(t, '+4791234568', 'ja')
    const [which] = await text(t, KARI, 'TA')
    expect(which).toMatch(/^Flere venter: [A-Z0-9]{4}, [A-Z0-9]{4}\. Svar TA og koden/)
    expect(Object.values(t.store.data.handoffs).every((h) => h.state === 'requested')).toBe(true)
  })

  it('Should read only a claim as a claim', () => {
    expect(parseClaim('TA K7M2')).toBe('K7M2')
    expect(parseClaim(' take k7m2. ')).toBe('K7M2')
    expect(parseClaim('ta')).toBe('')
    expect(parseClaim('ta kontakt med nav')).toBeUndefined()
    expect(parseClaim('jeg vil ta livet mitt')).toBeUndefined()
  })
})
