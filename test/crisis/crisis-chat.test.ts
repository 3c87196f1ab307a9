import { afterEach, describe, expect, it } from 'vitest'
import { segmentsFor, nonGsmCharacters } from '../../bot/channels/sms-text.js'
import { addStaffMember, ConsoleClient, handoffOf, PASSWORD, text } from '../helpers/console.js'
import { makeApp, realKnowledge, type TestApp } from '../helpers/make-app.js'
import { PUBLIC_URL } from '../helpers/twilio.js'

const ONCALL = '+4790000001'
const PHONE = '+4791234567'
let t: TestApp
let now: Date
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

async function app(at: string, config: Record<string, unknown> = {}) {
  now = new Date(at)
  t = await makeApp({
    now: () => now,
    config: { HANDOFF_ONCALL: [ONCALL], PUBLIC_URL, ...config },
  })
  return t
}

const later = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000))
const topic = (id: string) => realKnowledge().topics.get(id)!
const kind = (name: string) => realKnowledge().crisis.kinds.find((k) => k.kind === name)!
const smsTo = (to: string) =>
  Object.values(t.store.data.outbox)
    .filter((m) => m.to === to)
    .map((m) => m.body)
const handoff = () => t.store.data.handoffs[handoffOf(t, PHONE)]!

describe('a crisis over SMS, at night', () => {
  it('Should answer in one whole message within two segments, never inviting MENNESKE, and alert on-call at once', async () => {
    await app('2026-11-29T03:00:00+01:00') // Sunday night
    const replies = await text(t, PHONE, 'har tatt alle pillene mine og blitt så rar')
    expect(replies).toHaveLength(1)
    const [reply] = replies as [string]
    expect(reply.startsWith(topic('crisis-overdose').answer.nb)).toBe(true)
    expect(reply).toContain('i morgen kl. 09:00')
    expect(reply).not.toMatch(/MENNESKE|AVSLUTT/)
    expect(segmentsFor(reply).segments).toBeLessThanOrEqual(2)
    expect(nonGsmCharacters(reply)).toEqual([])
    expect(handoff()).toMatchObject({
      state: 'requested',
      urgent: true,
      crisis: { level: 'danger' },
    })
    expect(handoff().crisis!.kinds[0]).toBe('overdose')
    expect(handoff().crisis!.cues.join(' ')).toContain('alle pillene')
    await t.runtime.handoffs.settled()
    expect(smsTo(ONCALL)).toEqual([
      expect.stringContaining('HASTER (overdose eller forgiftning): Deltaker'),
    ])
  })

  it('Should text coordinators again after HANDOFF_ESCALATE_MINUTES, at night too', async () => {
    await app('2026-11-29T03:00:00+01:00')
    await addStaffMember(t, 'kari', 'coordinator', '+4790000002')
    await text(t, PHONE, 'vil ikke leve mer')
    later(9)
    await t.runtime.handoffs.tick(now)
    await t.runtime.handoffs.settled()
    expect(smsTo('+4790000002')).toEqual([])
    later(2)
    await t.runtime.handoffs.tick(now)
    await t.runtime.handoffs.settled()
    expect(smsTo('+4790000002')).toEqual([expect.stringContaining('Ingen har tatt samtalen')])
  })

  it('Should never leave them in silence: an acknowledgement with 24/7 numbers, at most one every ten minutes', async () => {
    await app('2026-11-29T03:00:00+01:00')
    await text(t, PHONE, 'vil ikke leve mer')
    expect(await text(t, PHONE, 'vet ikke')).toEqual([kind('suicide').ack.nb])
    later(2)
    expect(await text(t, PHONE, 'ok')).toEqual([])
    later(9)
    expect(await text(t, PHONE, 'hjelp')).toEqual([kind('suicide').ack.nb])
    later(1)
    // Crisis words always get the full answer, however recent the last acknowledgement.
    expect(await text(t, PHONE, 'har tauet klart')).toEqual([topic('crisis-suicide').answer.nb])
    const inbound = (await t.transcripts.recent(handoff().participantId))
      .filter((e) => e.direction === 'in')
      .map((e) => e.text)
    expect(inbound).toEqual(['vil ikke leve mer', 'vet ikke', 'ok', 'hjelp', 'har tauet klart'])
  })

  it('Should fall silent once a person has answered, and send their reply at once at night', async () => {
    await app('2026-11-29T03:00:00+01:00')
    const staff = await addStaffMember(t, 'vera', 'volunteer')
    await text(t, PHONE, 'vil ikke leve mer')
    later(45) // the participant wrote 45 minutes ago: an ordinary reply would wait for the morning
    const client = new ConsoleClient(t.app)
    await client.login('vera', PASSWORD)
    const id = handoffOf(t, PHONE)
    expect((await client.post(`/console/chats/${id}/claim`, {})).status).toBe(303)
    expect(
      (await client.post(`/console/chats/${id}/reply`, { text: 'Jeg er her. Er du trygg nå?' }))
        .status
    ).toBe(303)
    const sent = Object.values(t.store.data.outbox).find((m) => m.body.includes('Jeg er her'))
    expect(sent?.dueAt).toBeUndefined()
    expect(handoff().answeredAt).toBeDefined()
    expect(await text(t, PHONE, 'ja tror det')).toEqual([])
    expect(staff).toBe('s_vera')
  })
})

describe('a possible signal', () => {
  it('Should check with the 24/7 line, and open an urgent chat when they answer JA', async () => {
    await app('2026-11-23T12:00:00+01:00')
    expect(await text(t, PHONE, 'alt er så håpløst')).toEqual([kind('suicide').check.nb])
    expect(t.store.data.handoffs).toEqual({})
    const [reply] = await text(t, PHONE, 'ja')
    expect(reply).toContain(topic('crisis-suicide').answer.nb)
    expect(reply).toContain('En av oss har fått beskjed og skriver til deg her snart.')
    expect(handoff()).toMatchObject({
      urgent: true,
      crisis: { level: 'possible', kinds: ['suicide'] },
    })
  })

  it('Should respect a no, and read anything else as a new question', async () => {
    await app('2026-11-23T12:00:00+01:00')
    await text(t, PHONE, 'alt er så håpløst')
    expect(await text(t, PHONE, 'nei')).toEqual([
      'Ok. Skriv når som helst hvis du vil snakke med noen. Er du i fare, ring 113.',
    ])
    await text(t, PHONE, 'alt er så håpløst')
    const [answer] = await text(t, PHONE, 'har ikke noe sted å bo i natt')
    expect(answer).toContain(topic('housing-tonight').answer.nb)
    expect(answer).not.toContain('113')
    expect(t.store.data.handoffs).toEqual({})
  })

  it('Should still answer the question that came with the signal, and not check a question for information', async () => {
    await app('2026-11-23T12:00:00+01:00')
    const replies = await text(t, PHONE, 'alt er så håpløst. hvor får jeg hjelp med gjelda')
    // Both fit one SMS here; each is whole, the check first.
    expect(replies.join('\n\n').startsWith(`${kind('suicide').check.nb}\n\n`)).toBe(true)
    // The debt question is answered, or offered first in a "did you mean" (the words of despair
    // before it make the matcher less sure).
    const debt = topic('debt-advice')
    const rest = replies.join('\n\n')
    expect(rest.includes(debt.answer.nb) || rest.includes(`1 ${debt.title.nb}`)).toBe(true)
    const [info] = await text(t, '+4791000002', 'hva gjør man ved overdose? hvor får jeg nalokson')
    expect(info).toContain(topic('health-naloxone').answer.nb)
    expect(info).not.toContain(kind('overdose').check.nb)
  })
})

describe('the kinds, in both languages', () => {
  it.each([
    ['skal drepe meg selv i kveld', 'crisis-suicide', 'nb'],
    ['jeg skal ta livet av ham', 'crisis-violence', 'nb'],
    ['typen slo meg i går og sier han skal gjøre det igjen', 'crisis-violence', 'nb'],
    ['ble voldtatt i natt', 'crisis-sexual-violence', 'nb'],
    ['kompisen min er blå i leppene og våkner ikke', 'crisis-overdose', 'nb'],
    ['everyone would be better off without me', 'crisis-suicide', 'en'],
    ['my friend took 20 xanax and wont wake up', 'crisis-overdose', 'en'],
    ['he choked me and i locked myself in the bathroom', 'crisis-violence', 'en'],
    ['he forced me to have sex for a place to sleep', 'crisis-sexual-violence', 'en'],
  ])('Should answer "%s" with %s in its own language', async (message, id, lang) => {
    await app('2026-11-23T12:00:00+01:00')
    const [reply] = await text(t, PHONE, message)
    expect(reply!.startsWith(topic(id).answer[lang as 'nb' | 'en'])).toBe(true)
    expect(segmentsFor(reply!).segments).toBeLessThanOrEqual(2)
  })

  it.each([
    ['jeg heter Odd', 'none'],
    ['skal ta livet med ro i helga', 'none'],
    ['homeless and need a bed tonight', 'housing-tonight'],
    ['this debt is killing me', 'debt-advice'],
    ['NAV truet med å stoppe sosialhjelpen', 'any'],
    ['kniv og gaffel til leiligheten', 'any'],
  ])('Should not raise an alarm for "%s"', async (message) => {
    await app('2026-11-23T12:00:00+01:00')
    const replies = await text(t, PHONE, message)
    expect(replies.join('\n')).not.toMatch(/113|112/)
    expect(t.store.data.handoffs).toEqual({})
  })
})

describe('crisis first, in every state', () => {
  it('Should answer a crisis during the consent question, a SLETT confirmation and the checklist', async () => {
    await app('2026-11-23T12:00:00+01:00')
    for (const opening of ['menneske', 'slett', 'kartlegg']) {
      const from = `+4791${Math.floor(Math.random() * 1e6)
        .toString()
        .padStart(6, '0')}`
      await text(t, from, opening)
      const [reply] = await text(t, from, 'han puster ikke')
      expect(reply, opening).toContain(topic('crisis-overdose').answer.nb)
    }
  })

  it('Should answer a crisis past the SMS rate limit, when everything else is dropped', async () => {
    await app('2026-11-23T12:00:00+01:00', { SMS_LIMIT_PER_NUMBER: 2 })
    await text(t, PHONE, 'meny')
    await text(t, PHONE, 'meny')
    expect(await text(t, PHONE, 'meny')).toEqual([])
    const [reply] = await text(t, PHONE, 'orker ikke mer, har tauet klart')
    expect(reply).toContain(topic('crisis-suicide').answer.nb)
  })

  it('Should answer the JA to a check past the SMS rate limit, when the words came under it', async () => {
    await app('2026-11-23T12:00:00+01:00', { SMS_LIMIT_PER_NUMBER: 2 })
    await text(t, PHONE, 'meny')
    expect(await text(t, PHONE, 'alt er så håpløst')).toEqual([kind('suicide').check.nb])
    const [reply] = await text(t, PHONE, 'ja')
    expect(reply).toContain(topic('crisis-suicide').answer.nb)
    expect(handoff()).toMatchObject({ urgent: true })
  })
})

describe('the console', () => {
  it('Should show staff the kind and the words that raised the alarm', async () => {
    await app('2026-11-23T12:00:00+01:00')
    await addStaffMember(t, 'kari', 'coordinator')
    await text(t, PHONE, 'kompisen min har tatt 30 sobril og puster rart')
    const client = new ConsoleClient(t.app)
    await client.login('kari', PASSWORD)
    const queue = await (await client.get('/console')).text()
    expect(queue).toContain('overdose eller forgiftning')
    const page = await (await client.get(`/console/chats/${handoffOf(t, PHONE)}`)).text()
    expect(page).toContain('Ord: «')
    expect(page).toMatch(/30 sobril/)
  })
})
