import { afterEach, describe, expect, it } from 'vitest'
import { campaignProgress } from '../../bot/reminders/campaign-progress.js'
import { CampaignInput, createCampaign } from '../../bot/reminders/campaigns.js'
import { listReplies } from '../../bot/reminders/replies.js'
import { text } from '../helpers/console.js'
import {
  addAppointment,
  addPerson,
  reminderApp,
  smsTo,
  type ReminderApp,
} from '../helpers/reminders.js'

const PHONE = '+4791234567'
let t: ReminderApp
afterEach(async () => {
  await t?.runtime.handoffs.settled()
  await t?.cleanup()
})

/** A person with one appointment on Tuesday 14:00 whose day-before reminder went out on Monday. */
async function reminded(language = 'nb') {
  t = await reminderApp('2026-11-20T12:00')
  const person = addPerson(t, { language })
  const appointment = addAppointment(t, person, '2026-11-24T14:00')
  t.at('2026-11-23T18:00')
  await t.tick()
  expect(smsTo(t, PHONE)).toHaveLength(1)
  t.at('2026-11-23T18:20')
  return { person, appointment }
}

const answerOf = (id: string) => t.store.data.appointments[id]!.answer?.kind
const replies = () => listReplies(t.store).map((r) => [r.kind, r.text])

describe('answering a reminder by SMS', () => {
  it('Should mark the appointment confirmed on "1" (Norwegian)', async () => {
    const { appointment } = await reminded()
    expect(await text(t, PHONE, '1')).toEqual(['Takk! Vi har notert at du kommer.'])
    expect(answerOf(appointment.id)).toBe('coming')
    expect(listReplies(t.store, true)).toEqual([]) // nothing for a coordinator to do
    // Answered: the next "1" is the menu's again.
    expect((await text(t, PHONE, '1'))[0]).not.toContain('notert')
  })

  it('Should tell the coordinator on "2", in English for an English speaker', async () => {
    const { appointment } = await reminded('en')
    expect(await text(t, PHONE, '2')).toEqual([
      'OK. Your coordinator will be told and will contact you about a new time. To talk to someone now, send HUMAN.',
    ])
    expect(answerOf(appointment.id)).toBe('new-time')
    expect(listReplies(t.store, true).map((r) => r.kind)).toEqual(['new-time'])
  })

  it('Should pass free text to the coordinator, and still answer a question the bot knows', async () => {
    await reminded()
    // "syk" would match a topic: right after a reminder it is about the appointment.
    expect(await text(t, PHONE, 'jeg er syk i dag')).toEqual([
      'Takk, koordinatoren din har fått meldingen. Svar 1 hvis du kommer, 2 hvis du trenger ny tid. Send MENY for menyen.',
    ])
    t.at('2026-11-23T18:25')
    expect(await text(t, PHONE, '1')).toEqual(['Takk! Vi har notert at du kommer.'])
    expect(replies()).toEqual([
      ['coming', '1'],
      ['message', 'jeg er syk i dag'],
    ])
  })

  it('Should show a question to the coordinator, and answer the next one itself (English)', async () => {
    await reminded('en')
    expect(await text(t, PHONE, 'can we move it to friday')).toEqual([
      'Thank you, your coordinator has your message. Reply 1 if you are coming, 2 if you need a new time. Send MENU for the menu.',
    ])
    const [answer] = await text(t, PHONE, 'where is the nav office')
    expect(answer).toContain('NAV')
    expect(answer).not.toContain('coordinator')
    expect(replies()).toEqual([['message', 'can we move it to friday']])
  })

  it('Should answer a new question right after a reminder, and keep the reminder open', async () => {
    const { appointment } = await reminded()
    const [answer] = await text(t, PHONE, 'hvordan søker jeg sosialhjelp')
    expect(answer).toContain('sosialhjelp')
    expect(answer).not.toContain('koordinatoren din har fått')
    expect(replies()).toEqual([]) // nothing forwarded: it was not about the appointment
    expect(answerOf(appointment.id)).toBeUndefined()
    // A text about the appointment after that still reaches the coordinator.
    t.at('2026-11-23T18:25')
    await text(t, PHONE, 'jeg blir litt forsinket i morgen')
    expect(replies()).toEqual([['message', 'jeg blir litt forsinket i morgen']])
  })

  it('Should answer a new question right after a reminder (English)', async () => {
    await reminded('en')
    const [answer] = await text(t, PHONE, 'where can i get food')
    expect(answer).not.toContain('coordinator has your message')
    expect(replies()).toEqual([])
    // A text about the appointment still goes to the coordinator.
    expect(await text(t, PHONE, 'i am sick today, cant come')).toEqual([
      'Thank you, your coordinator has your message. Reply 1 if you are coming, 2 if you need a new time. Send MENU for the menu.',
    ])
  })

  it('Should let a menu shown after the reminder keep its numbers', async () => {
    const { appointment } = await reminded()
    const [menu] = await text(t, PHONE, 'meny')
    expect(menu).toContain('Svar med et tall')
    expect((await text(t, PHONE, '1'))[0]).not.toContain('notert')
    expect(answerOf(appointment.id)).toBeUndefined()
  })

  it('Should let commands and crisis words win', async () => {
    const { appointment } = await reminded()
    expect((await text(t, PHONE, 'jeg vil ta livet mitt'))[0]).toContain('113')
    expect(answerOf(appointment.id)).toBeUndefined()
    await t.runtime.handoffs.settled()
  })

  it('Should note a request for a person and open the handoff as usual', async () => {
    const { appointment } = await reminded()
    const [consent] = await text(t, PHONE, 'menneske')
    expect(consent).toContain('Kan en frivillig')
    expect(replies()).toEqual([['human', 'menneske']])
    expect(answerOf(appointment.id)).toBeUndefined()
  })

  it('Should ask which appointment when reminders of two went out together', async () => {
    t = await reminderApp('2026-11-20T12:00')
    const person = addPerson(t)
    const nav = addAppointment(t, person, '2026-11-24T10:00')
    const doctor = addAppointment(t, person, '2026-11-24T14:00', { what: 'Time hos fastlegen' })
    t.at('2026-11-23T18:00')
    await t.tick()
    t.at('2026-11-23T18:30')
    expect(await text(t, PHONE, '2')).toEqual([
      'Hvilken avtale svarer du på? Svar med et tall:\n1 Møte hos NAV tirsdag 24.11. kl. 10:00\n2 Time hos fastlegen tirsdag 24.11. kl. 14:00',
    ])
    expect(await text(t, PHONE, '1')).toEqual([expect.stringContaining('tar kontakt om ny tid')])
    expect(answerOf(nav.id)).toBe('new-time')
    expect(answerOf(doctor.id)).toBeUndefined()
    // The later 2-hours-before reminder of the doctor's appointment is the newest: no question.
    t.at('2026-11-24T12:00')
    await t.tick()
    t.at('2026-11-24T12:05')
    expect(await text(t, PHONE, '1')).toEqual(['Takk! Vi har notert at du kommer.'])
    expect(answerOf(doctor.id)).toBe('coming')
  })
})

describe('SLETT after a reminder', () => {
  it('Should let "1" confirm the deletion, not the appointment, and delete the reminders too', async () => {
    const { appointment } = await reminded()
    expect((await text(t, PHONE, 'slett'))[0]).toContain('Vil du slette alt vi har lagret om deg?')
    expect((await text(t, PHONE, '1'))[0]).toContain('Vi har slettet alt vi hadde om deg')
    await t.tick()
    expect(t.store.data.people).toEqual({})
    expect(t.store.data.appointments[appointment.id]).toBeUndefined()
    expect(Object.values(t.store.data.outbox).filter((m) => m.to === PHONE)).toEqual([])
  })
})

describe('replies to a campaign', () => {
  it('Should count the first message after a campaign SMS as its reply, once', async () => {
    t = await reminderApp('2026-11-23T12:00')
    addPerson(t)
    createCampaign(
      t.runtime.reminders.deps,
      CampaignInput.parse({ name: 'Jul', textNb: 'Julemiddag fredag kl. 17.' }),
      { now: t.now(), id: 'c1' }
    )
    await t.tick()
    await text(t, PHONE, 'kommer gjerne')
    await text(t, PHONE, 'hva er bostøtte')
    expect(campaignProgress(t.store).get('c1')).toMatchObject({ sent: 1, replies: 1 })
    expect(listReplies(t.store).map((r) => [r.campaignId, r.text])).toEqual([
      ['c1', 'kommer gjerne'],
    ])
  })
})
