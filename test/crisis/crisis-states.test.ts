/**
 * What a person in danger must never lose, whatever state the chat is in: found by a tester who
 * had only the README and the running service (each case is one of their reproductions).
 */
import { afterEach, describe, expect, it } from 'vitest'
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

const NIGHT = '2026-11-29T03:00:00+01:00'
const DAY = '2026-11-23T12:00:00+01:00'
const later = (minutes: number) => (now = new Date(now.getTime() + minutes * 60_000))
const topic = (id: string) => realKnowledge().topics.get(id)!
const kind = (name: string) => realKnowledge().crisis.kinds.find((k) => k.kind === name)!
const handoff = (phone = PHONE) => t.store.data.handoffs[handoffOf(t, phone)]!
const openHandoff = (phone = PHONE) =>
  Object.values(t.store.data.handoffs).find(
    (h) =>
      h.participantId === handoff(phone).participantId && !['closed', 'expired'].includes(h.state)
  )
const smsTo = (to: string) =>
  Object.values(t.store.data.outbox)
    .filter((m) => m.to === to)
    .map((m) => m.body)
const number = (n: number) => `+4792${String(n).padStart(6, '0')}`

describe('words that look like commands', () => {
  it('Should never read "slått" or "slutt" as SLETT, in a chat with a person or outside one', async () => {
    await app(NIGHT)
    await text(t, PHONE, 'vil ikke leve mer')
    await text(t, PHONE, 'hallo')
    const during = await text(t, PHONE, 'han har slått meg mange ganger for flere år siden')
    expect(during.join('\n')).not.toContain('slett')
    expect(await text(t, PHONE, '1')).not.toContain(expect.stringContaining('slettet'))
    expect(openHandoff()).toBeDefined()
    for (const [i, message] of [
      'han har slått meg for flere år siden',
      'slutt',
      'slatt',
    ].entries()) {
      const replies = await text(t, number(i), message)
      expect(replies.join('\n'), message).not.toMatch(/slette alt|delete everything/i)
    }
    // SLETT itself still asks its one question.
    expect((await text(t, number(9), 'slett')).join('\n')).toMatch(/slette alt/i)
  })

  it('Should not end an urgent chat for "avslutter alt nå" or "vil bare avslutte", only for AVSLUTT itself', async () => {
    await app(NIGHT)
    await text(t, PHONE, 'vil ikke leve mer')
    for (const message of ['avslutter alt nå', 'vil bare avslutte']) {
      later(11)
      const replies = await text(t, PHONE, message)
      expect(replies.join('\n'), message).not.toMatch(/avsluttet/)
      expect(openHandoff(), message).toBeDefined()
    }
    expect((await text(t, PHONE, 'avslutt')).join('\n')).toMatch(/avsluttet/)
  })
})

describe('after STOPP', () => {
  it('Should let the volunteer answer someone who opted out and then wrote about a crisis', async () => {
    await app(DAY)
    await addStaffMember(t, 'vera', 'volunteer')
    await text(t, PHONE, 'STOPP')
    await text(t, PHONE, 'jeg vil dø')
    const client = new ConsoleClient(t.app)
    await client.login('vera', PASSWORD)
    const id = handoffOf(t, PHONE)
    expect((await client.post(`/console/chats/${id}/claim`, {})).status).toBe(303)
    await client.post(`/console/chats/${id}/reply`, { text: 'Jeg er her nå.' })
    expect(smsTo(PHONE)).toContain('Jeg er her nå.')
    // Campaigns and reminders still never reach them.
    expect(t.store.data.participants[handoff().participantId]!.optedOut).toBe(true)
  })
})

describe('the caps on urgent chats and alerts', () => {
  it('Should keep a crisis urgent, and acknowledged, past the caps on one number and on everyone', async () => {
    await app(NIGHT, { HANDOFF_URGENT_PER_ADDRESS: 1, HANDOFF_URGENT_PER_HOUR: 2 })
    await text(t, PHONE, 'vil ikke leve mer')
    await text(t, PHONE, 'avslutt')
    await text(t, PHONE, 'han puster ikke')
    expect(openHandoff()!.urgent).toBe(true)
    expect(await text(t, PHONE, 'hallo')).toEqual([kind('overdose').ack.nb])
    for (const n of [1, 2, 3]) await text(t, number(n), 'vil ikke leve mer')
    expect(handoff(number(3)).urgent).toBe(true)
  })

  it('Should alert on-call about every urgent chat within ten minutes, however many came at once', async () => {
    await app(NIGHT, { HANDOFF_ALERTS_PER_HOUR: 6 })
    for (let n = 0; n < 10; n++) {
      await text(t, number(n), 'han puster ikke, leppene er blå')
      later(0.1)
    }
    await t.runtime.handoffs.settled()
    const urgentAlerts = () => smsTo(ONCALL).filter((body) => body.startsWith('HASTER'))
    const first = urgentAlerts().length
    expect(first).toBeLessThanOrEqual(3)
    later(10)
    await t.runtime.handoffs.tick(now)
    await t.runtime.handoffs.settled()
    const waiting = Object.values(t.store.data.handoffs).filter((h) => !h.notifiedAt)
    expect(waiting).toEqual([])
    expect(urgentAlerts().length).toBe(first + 1)
    expect(urgentAlerts().at(-1)).toMatch(/Og \d+ til venter/)
  })
})

describe('past the SMS rate limit', () => {
  it('Should still hear JA after a check, a request for a person and the next message in a crisis', async () => {
    await app(DAY, { SMS_LIMIT_PER_NUMBER: 2 })
    await text(t, PHONE, 'meny')
    await text(t, PHONE, 'meny')
    expect(await text(t, PHONE, 'meny')).toEqual([])
    expect(await text(t, PHONE, 'alt er så håpløst')).toEqual([kind('suicide').check.nb])
    const [yes] = await text(t, PHONE, 'JA')
    expect(yes).toContain(topic('crisis-suicide').answer.nb)
    expect(handoff().urgent).toBe(true)
    expect((await text(t, number(1), 'meny')).length).toBe(1)
    await text(t, number(1), 'meny')
    expect((await text(t, number(1), 'menneske')).length).toBe(1)
  })
})

describe('never silence', () => {
  it('Should acknowledge the first message after the emergency answer in a chat that was already waiting', async () => {
    await app(NIGHT)
    await text(t, PHONE, 'menneske')
    await text(t, PHONE, '1')
    const [answer] = await text(t, PHONE, 'har tatt 30 sobril og en flaske vodka')
    expect(answer).toContain(topic('crisis-overdose').answer.nb)
    expect(await text(t, PHONE, 'hallo??')).toEqual([kind('overdose').ack.nb])
  })

  it('Should keep the urgency of a check answered through the consent question', async () => {
    await app(DAY)
    await text(t, PHONE, 'menneske')
    const [check] = await text(t, PHONE, 'alt er så håpløst')
    expect(check).toContain(kind('suicide').check.nb)
    await text(t, PHONE, '1')
    expect(handoff()).toMatchObject({ urgent: true, crisis: { level: 'possible' } })
  })

  it('Should take "j" for yes, and keep the words that were checked for the person who takes the chat', async () => {
    await app(DAY)
    await text(t, PHONE, 'alt er så håpløst')
    const [yes] = await text(t, PHONE, 'j')
    expect(yes).toContain(topic('crisis-suicide').answer.nb)
    const inbound = (await t.transcripts.recent(handoff().participantId))
      .filter((e) => e.direction === 'in')
      .map((e) => e.text)
    expect(inbound).toContain('alt er så håpløst')
  })

  it('Should answer new words of danger in a waiting urgent chat, however soon after the last acknowledgement', async () => {
    await app(NIGHT)
    await text(t, PHONE, 'jeg vil dø')
    expect(await text(t, PHONE, 'ok')).toEqual([kind('suicide').ack.nb])
    later(1)
    const [breath] = await text(t, PHONE, 'han pusta ikke')
    expect([kind('overdose').ack.nb, topic('crisis-overdose').answer.nb]).toContain(breath)
    later(1)
    // Its kind's acknowledgement, or its full answer when the words are clear danger.
    const [again] = await text(t, PHONE, 'eksen har sagt han skal komme og ta meg i kveld')
    expect([kind('violence').ack.nb, topic('crisis-violence').answer.nb]).toContain(again)
    // Other words within the ten minutes still wait for the person quietly.
    expect(await text(t, PHONE, 'hallo')).toEqual([])
  })

  it('Should answer new words of danger in a waiting urgent chat (English)', async () => {
    await app(NIGHT)
    await text(t, PHONE, 'i want to die')
    expect(await text(t, PHONE, 'ok')).toEqual([kind('suicide').ack.en])
    later(1)
    const [ack] = await text(t, PHONE, 'everything is so hopeless')
    expect(ack).toBe(kind('suicide').ack.en)
  })

  it('Should leave the consent question open after words of possible danger, not read them as a no', async () => {
    await app(DAY)
    await text(t, PHONE, 'menneske')
    const reply = await text(t, PHONE, 'jeg vet ikke om jeg orker mer')
    expect(reply).toEqual([kind('suicide').check.nb])
    await text(t, PHONE, '1')
    expect(handoff()).toMatchObject({ urgent: true, crisis: { level: 'possible' } })
  })

  it('Should keep the checklist question open after words of possible danger (English)', async () => {
    await app(DAY)
    await text(t, PHONE, 'english')
    const [first] = await text(t, PHONE, 'checklist')
    const questions = realKnowledge().mapping.questions
    expect(first).toContain(questions[0]!.question.en)
    expect(await text(t, PHONE, 'everything is so hopeless')).toEqual([kind('suicide').check.en])
    const [next] = await text(t, PHONE, '1')
    expect(next).toContain(questions[1]!.question.en)
  })

  it('Should not offer a person "now" in the check at night', async () => {
    await app(NIGHT)
    const [check] = await text(t, PHONE, 'alt er så håpløst')
    expect(check).toContain('113')
    expect(check).not.toMatch(/av oss nå|of us now/)
  })
})

describe('reading the words', () => {
  it.each(['jeg har aldri tenkt på selvmord', 'I have never taken an overdose'])(
    'Should not raise the alarm for "%s"',
    async (message) => {
      await app(DAY)
      await text(t, PHONE, message)
      expect(t.store.data.handoffs).toEqual({})
    }
  )

  it.each(['tenker på selvm0rd', 'vil ta l1vet mitt'])(
    'Should read digits written for letters: "%s"',
    async (message) => {
      await app(DAY)
      const [reply] = await text(t, PHONE, message)
      expect(reply).toMatch(/113|116 123/)
    }
  )

  it.each(['i was raped', 'suicidal', 'i was raped last night'])(
    'Should answer "%s" in English',
    async (message) => {
      await app(DAY)
      const [reply] = await text(t, PHONE, message)
      expect(reply).toMatch(/^(If|Are|Call|You|Sexual|Rape)|\bcall\b/i)
      expect(reply).not.toMatch(/\bRing\b|\bdu\b/)
    }
  )
})
