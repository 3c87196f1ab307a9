import { afterEach, describe, expect, it } from 'vitest'
import { makeApp, realKnowledge, type TestApp } from '../helpers/make-app.js'
import { PUBLIC_URL } from '../helpers/twilio.js'
import { handoffOf, text } from '../helpers/console.js'

const ONCALL = '+4790000001'
const PHONE = '+4791234567'
let t: TestApp
let now: Date
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

async function app(at: string) {
  now = new Date(at)
  t = await makeApp({ now: () => now, config: { HANDOFF_ONCALL: [ONCALL], PUBLIC_URL } })
  return t
}

const smsTo = (to: string) =>
  Object.values(t.store.data.outbox)
    .filter((m) => m.to === to)
    .map((m) => m.body)
const participant = () => Object.values(t.store.data.participants).find((p) => p.address === PHONE)!
const handoff = () => t.store.data.handoffs[handoffOf(t, PHONE)]!
const suicide = realKnowledge().topics.get('crisis-suicide')!

describe('asking for a person', () => {
  it('Should ask consent in one message, record it, and say honestly that someone answers soon', async () => {
    await app('2026-11-23T12:00:00+01:00') // Monday, in office hours
    const [question, ...more] = await text(t, PHONE, 'menneske')
    expect(more).toEqual([])
    expect(question).toContain('Kan en frivillig hos oss lese det du skriver her og svare deg?')
    expect(question).toMatch(/1 Ja\n2 Nei/)
    expect(await text(t, PHONE, 'ja')).toEqual([
      'Vi har gitt beskjed til en frivillig. Noen svarer deg her snart. Send AVSLUTT for å snakke med roboten igjen.',
    ])
    expect(participant().consent).toEqual({
      given: true,
      at: '2026-11-23T11:00:00.000Z',
      channel: 'sms',
      textVersion: expect.stringMatching(/^[0-9a-f]{12}$/),
    })
    expect(handoff()).toMatchObject({ state: 'requested', urgent: false, reason: 'human' })
    await t.runtime.handoffs.settled()
    const [alert] = smsTo(ONCALL)
    expect(alert).toContain('Ny samtale venter i konsollen')
    expect(alert).toContain('https://bot.example.org/console')
    expect(alert).not.toContain('1234567')
  })

  it('Should keep the bot silent while waiting and pass every message to the console', async () => {
    await app('2026-11-23T12:00:00+01:00')
    await text(t, PHONE, 'kan jeg snakke med noen')
    await text(t, PHONE, '1')
    expect(await text(t, PHONE, 'hallo? er det noen der')).toEqual([])
    expect(await text(t, PHONE, 'meny')).toEqual([])
    const log = await t.transcripts.recent(participant().id)
    // The consent covers what they wrote to the bot before asking (the question says so).
    expect(log.filter((e) => e.direction === 'in').map((e) => e.text)).toEqual([
      'kan jeg snakke med noen',
      '1',
      'hallo? er det noen der',
      'meny',
    ])
    expect(handoff().waitingSince).toBe('2026-11-23T11:00:00.000Z')
  })

  it('Should say when someone is back, and what to do if urgent, outside office hours', async () => {
    await app('2026-11-28T20:00:00+01:00') // Saturday evening
    await text(t, PHONE, 'menneske')
    const [reply] = await text(t, PHONE, '1')
    expect(reply).toContain('ingen er på vakt nå')
    expect(reply).toContain('på mandag kl. 09:00')
    expect(reply).toContain('ring 113 eller Mental Helse 116 123')
    await t.runtime.handoffs.settled()
    expect(smsTo(ONCALL)).toEqual([]) // not urgent: nobody is woken at night
    now = new Date('2026-11-30T09:00:00+01:00')
    await t.runtime.handoffs.tick(now)
    expect(smsTo(ONCALL)).toHaveLength(1) // ... but told when the shift starts
  })

  it('Should answer in English with the English notice', async () => {
    await app('2026-11-28T20:00:00+01:00')
    await text(t, PHONE, 'english')
    expect((await text(t, PHONE, 'talk to a person'))[0]).toContain('Can a volunteer here read')
    expect((await text(t, PHONE, 'yes'))[0]).toContain(
      'Someone will answer you here on Monday at 09:00'
    )
  })

  it('Should store a no, open nothing, and carry on as a bot', async () => {
    await app('2026-11-23T12:00:00+01:00')
    await text(t, PHONE, 'menneske')
    expect((await text(t, PHONE, 'nei'))[0]).toContain('Ok, da deler vi ikke samtalen.')
    expect(participant().consent?.given).toBe(false)
    expect(Object.values(t.store.data.handoffs)).toEqual([])
    expect((await text(t, PHONE, 'meny'))[0]).toContain('Hva trenger du hjelp med?')
  })

  it('Should hand back to the bot on AVSLUTT, and say so', async () => {
    await app('2026-11-23T12:00:00+01:00')
    await text(t, PHONE, 'menneske')
    await text(t, PHONE, 'ja')
    const id = handoffOf(t, PHONE)
    expect((await text(t, PHONE, 'avslutt'))[0]).toContain('Nå svarer roboten deg igjen.')
    expect(t.store.data.handoffs[id]).toMatchObject({
      state: 'cancelled',
      outcome: 'participant-ended',
    })
    expect((await text(t, PHONE, 'meny'))[0]).toContain('Hva trenger du hjelp med?')
  })

  it('Should still opt out with STOPP during a handoff', async () => {
    await app('2026-11-23T12:00:00+01:00')
    await text(t, PHONE, 'menneske')
    await text(t, PHONE, 'ja')
    const id = handoffOf(t, PHONE)
    expect((await text(t, PHONE, 'stopp takk'))[0]).toContain(
      'Du får ingen flere meldinger fra oss'
    )
    expect(participant().optedOut).toBe(true)
    expect(t.store.data.handoffs[id]).toMatchObject({ state: 'cancelled', outcome: 'opted-out' })
  })
})

describe('crisis and handoff', () => {
  it('Should give the emergency answer during a handoff and mark it urgent', async () => {
    await app('2026-11-23T12:00:00+01:00')
    await text(t, PHONE, 'menneske')
    await text(t, PHONE, 'ja')
    await t.runtime.handoffs.settled()
    const [reply] = await text(t, PHONE, 'jeg vil ikke leve mer')
    expect(reply).toContain(suicide.answer.nb)
    expect(handoff().urgent).toBe(true)
    expect(handoff().history.map((e) => e.event)).toEqual(['request', 'urgent'])
    const log = await t.transcripts.recent(participant().id)
    expect(log.some((e) => e.text === 'jeg vil ikke leve mer')).toBe(true)
    await t.runtime.handoffs.settled()
    expect(smsTo(ONCALL).at(-1)).toContain('HASTER')
  })

  it('Should open an urgent handoff outside office hours without asking, and alert on-call at once', async () => {
    await app('2026-11-29T03:00:00+01:00') // Sunday night
    const [reply] = await text(t, PHONE, 'vil ikke leve mer')
    expect(reply).toContain(suicide.answer.nb)
    expect(reply).toContain(
      'Ingen av oss er på vakt nå. En av oss skriver til deg her i morgen kl. 09:00.'
    )
    expect(reply).not.toContain('Kan en frivillig')
    expect(handoff()).toMatchObject({ state: 'requested', urgent: true, reason: 'crisis' })
    // No consent was asked: the crisis text is kept for the volunteer (vital interest).
    // What the bot said in it too: staff see the emergency answer it gave.
    const log = await t.transcripts.recent(participant().id)
    expect(log.filter((e) => e.direction === 'in').map((e) => e.text)).toEqual([
      'vil ikke leve mer',
    ])
    expect(log.filter((e) => e.direction === 'out')).toEqual([
      expect.objectContaining({ by: 'bot', text: reply }),
    ])
    await t.runtime.handoffs.settled()
    expect(smsTo(ONCALL)).toEqual([
      expect.stringContaining('HASTER (selvmord eller selvskading): Deltaker'),
    ])
  })

  it('Should expire a handoff nobody took, and tell the participant the bot is back', async () => {
    await app('2026-11-23T12:00:00+01:00')
    await text(t, PHONE, 'menneske')
    await text(t, PHONE, 'ja')
    const id = handoffOf(t, PHONE)
    now = new Date('2026-11-24T00:30:00+01:00') // 12.5 hours later
    await t.runtime.handoffs.tick(now)
    await t.runtime.handoffs.settled()
    expect(t.store.data.handoffs[id]).toMatchObject({ state: 'expired', outcome: 'expired' })
    expect(smsTo(PHONE).at(-1)).toContain('Beklager, ingen frivillig fikk svart deg.')
    expect((await text(t, PHONE, 'meny'))[0]).toContain('Hva trenger du hjelp med?')
  })

  it('Should keep the expiry notice until quiet hours end, and drop it after STOPP', async () => {
    await app('2026-11-23T12:00:00+01:00')
    await text(t, PHONE, 'menneske')
    await text(t, PHONE, 'ja')
    const expiredAtNight = async (at: string) => {
      now = new Date(at)
      await t.runtime.handoffs.tick(now)
      await t.runtime.handoffs.settled()
      return Object.values(t.store.data.outbox).find((m) => m.body.includes('ingen frivillig'))!
    }
    const notice = await expiredAtNight('2026-11-24T00:30:00+01:00')
    // QUIET_HOURS is 21:00-08:00 in Oslo: it waits for 08:00, then the scheduler sends it.
    expect(notice).toMatchObject({ state: 'pending', dueAt: '2026-11-24T07:00:00.000Z' })
    now = new Date('2026-11-24T07:59:00+01:00')
    await t.runtime.reminders.tick(now)
    expect(t.store.data.outbox[notice.id]!.state).toBe('pending')
    now = new Date('2026-11-24T08:00:00+01:00')
    await t.runtime.reminders.tick(now)
    expect(t.store.data.outbox[notice.id]!.state).toBe('sent')

    // The next night: the participant sends STOPP before the morning, so it never goes.
    await text(t, PHONE, 'menneske')
    await text(t, PHONE, 'ja')
    t.store.remove('outbox', notice.id)
    const second = await expiredAtNight('2026-11-25T02:00:00+01:00')
    await text(t, PHONE, 'stopp')
    now = new Date('2026-11-25T08:00:00+01:00')
    await t.runtime.reminders.tick(now)
    expect(t.store.data.outbox[second.id]!.state).toBe('cancelled')
  })
})
