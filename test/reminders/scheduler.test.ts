import { afterEach, describe, expect, it } from 'vitest'
import { SendError, type SmsTransport } from '../../bot/channels/channel.js'
import { cancelAppointment, queueDueReminders } from '../../bot/reminders/appointments.js'
import { campaignProgress, cancelCampaign } from '../../bot/reminders/campaign-progress.js'
import { createCampaign, CampaignInput } from '../../bot/reminders/campaigns.js'
import { setOptedOut } from '../../bot/store/participants.js'
import { openStore } from '../../bot/store/store.js'
import { addStaffMember, loggedIn, text } from '../helpers/console.js'
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

const participantId = () =>
  Object.values(t.store.data.participants).find((p) => p.address === PHONE)!.id

describe('appointment reminders', () => {
  it("Should send each reminder once, at its time, in the person's language, and survive a reopen", async () => {
    t = await reminderApp('2026-11-20T12:00')
    const person = addPerson(t, { language: 'en' })
    const appointment = addAppointment(t, person, '2026-11-24T14:00', { where: 'Storgata 1' })
    await t.store.flush()
    t.at('2026-11-23T17:59')
    await t.tick()
    expect(smsTo(t, PHONE)).toEqual([])
    t.at('2026-11-23T18:00')
    await t.tick()
    await t.tick() // a second tick must not queue it again
    expect(smsTo(t, PHONE)).toEqual([
      'Reminder: Møte hos NAV Tuesday 24 Nov at 14:00. Place: Storgata 1. Reply 1 if you are coming, 2 if you need a new time.',
    ])
    // A restart re-reads the plan from disk: nothing planned is lost, nothing queued repeats.
    const reopened = await openStore(t.dir)
    expect(reopened.data.appointments[appointment.id]!.reminders.map((r) => r.state)).toEqual([
      'queued',
      'planned',
    ])
    t.at('2026-11-24T12:00')
    await t.tick()
    expect(smsTo(t, PHONE)).toHaveLength(2)
  })

  it('Should not send a reminder of a cancelled appointment, nor one queued but not yet sent', async () => {
    t = await reminderApp('2026-11-20T12:00', { config: { QUIET_HOURS: '21:00-08:00' } })
    const person = addPerson(t)
    const first = addAppointment(t, person, '2026-11-24T14:00')
    cancelAppointment(t.store, first.id, t.now())
    t.at('2026-11-23T18:00')
    await t.tick()
    expect(smsTo(t, PHONE, ['pending', 'sent'])).toEqual([])
    // Queued during quiet hours (held), then cancelled before morning.
    t.at('2026-11-23T20:00')
    const second = addAppointment(t, person, '2026-11-24T09:30', { rules: ['-2h'] })
    t.at('2026-11-24T07:30')
    await t.runtime.reminders.tick(t.now())
    expect(smsTo(t, PHONE, ['pending'])).toHaveLength(0)
    t.at('2026-11-24T07:59')
    expect(cancelAppointment(t.store, second.id, t.now())).toBe(1)
    t.at('2026-11-24T08:00')
    await t.tick()
    expect(smsTo(t, PHONE, ['pending', 'sending', 'sent'])).toEqual([])
  })

  it('Should hold a retry that falls in quiet hours until morning, and drop it once the appointment began', async () => {
    let failures = 2
    const sent: string[] = []
    const flaky: SmsTransport = {
      name: 'local',
      async send(_to, body) {
        if (failures-- > 0) throw new SendError('Twilio 503', true)
        sent.push(body)
        return { providerId: `local_${sent.length}` }
      },
    }
    t = await reminderApp('2026-11-20T12:00', { smsTransport: flaky })
    const person = addPerson(t)
    addAppointment(t, person, '2026-11-24T08:40', { rules: ['-1d@18:00'] })
    addAppointment(t, person, '2026-11-24T10:00', { rules: ['0d@08:00'], what: 'Time hos lege' })
    t.at('2026-11-23T20:59')
    await t.tick() // fails: retry in 30 s, which is 21:00 (quiet)
    t.at('2026-11-23T23:00')
    await t.tick() // held
    expect(sent).toEqual([])
    t.at('2026-11-24T08:00')
    await t.tick() // the NAV reminder fails once more (back-off 2 min); the doctor one goes
    expect(sent).toHaveLength(1)
    t.at('2026-11-24T08:41')
    await t.tick()
    const nav = Object.values(t.store.data.outbox).find((m) => m.body.includes('NAV'))!
    expect(nav).toMatchObject({
      state: 'cancelled',
      lastError: expect.stringContaining('too late'),
    })
    expect(sent).toHaveLength(1)
  })

  it('Should skip people without consent or a phone, and stop at send time for someone who sent STOPP', async () => {
    t = await reminderApp('2026-11-20T12:00')
    const noConsent = addPerson(t, { phone: '+4790000001', consent: 'unknown' })
    const noPhone = addPerson(t, { phone: '' })
    const person = addPerson(t)
    const a = addAppointment(t, noConsent, '2026-11-24T14:00')
    const b = addAppointment(t, noPhone, '2026-11-24T14:00')
    addAppointment(t, person, '2026-11-24T14:00')
    await text(t, PHONE, 'hei') // the bot now knows the number
    t.at('2026-11-23T18:00')
    await t.runtime.reminders.tick(t.now())
    expect(t.store.data.appointments[a.id]!.reminders[0]).toMatchObject({
      state: 'skipped',
      reason: 'no-consent',
    })
    expect(t.store.data.appointments[b.id]!.reminders[0]).toMatchObject({
      state: 'skipped',
      reason: 'no-phone',
    })
    expect(smsTo(t, PHONE)).toHaveLength(1)
    // STOPP after the next reminder is queued but before the dispatcher sends it.
    t.at('2026-11-24T12:00')
    expect(queueDueReminders(t.runtime.reminders.deps, t.now())).toBe(1)
    setOptedOut(t.store, participantId(), true)
    await t.tick()
    expect(smsTo(t, PHONE)).toHaveLength(1)
    const stopped = Object.values(t.store.data.outbox).find((m) => m.state === 'cancelled')
    expect(stopped?.lastError).toBe('opted-out')
  })

  it('Should let START bring reminders back', async () => {
    t = await reminderApp('2026-11-20T12:00')
    const person = addPerson(t)
    addAppointment(t, person, '2026-11-24T14:00')
    expect(await text(t, PHONE, 'stopp')).toEqual([
      expect.stringContaining('Du får ingen flere meldinger'),
    ])
    t.at('2026-11-23T18:00')
    await t.tick()
    expect(smsTo(t, PHONE, ['pending', 'sent'])).toEqual([])
    expect(await text(t, PHONE, 'start')).toEqual([expect.stringContaining('Velkommen tilbake')])
    t.at('2026-11-24T12:00')
    await t.tick()
    expect(smsTo(t, PHONE)).toEqual([
      expect.stringContaining('Påminnelse: Møte hos NAV tirsdag 24.11. kl. 14:00.'),
    ])
  })

  it('Should stop reminders to a number whose owner answers "feil nummer", and show why to coordinators', async () => {
    t = await reminderApp('2026-11-20T12:00')
    await addStaffMember(t, 'kari', 'coordinator')
    const person = addPerson(t)
    addAppointment(t, person, '2026-11-24T14:00')
    t.at('2026-11-23T18:00')
    await t.tick()
    expect(smsTo(t, PHONE)).toHaveLength(1)
    // A reused number: whoever has it now did not ask for this.
    expect(await text(t, PHONE, 'feil nummer')).toEqual([
      expect.stringContaining('Vi sender ingen flere meldinger til dette nummeret.'),
    ])
    t.at('2026-11-24T12:00')
    await t.tick()
    expect(smsTo(t, PHONE)).toHaveLength(1)
    const kari = await loggedIn(t, 'kari')
    const page = await kari.page(`/console/reminders/people/${person.id}`)
    expect(page.html).toContain('Feil nummer')
    expect(page.html).not.toContain('Har sendt STOPP')
  })

  it('Should drop the appointments of a person who was deleted', async () => {
    t = await reminderApp('2026-11-20T12:00')
    const person = addPerson(t)
    const a = addAppointment(t, person, '2026-11-24T14:00')
    t.store.remove('people', person.id)
    t.at('2026-11-23T18:00')
    await t.tick()
    expect(t.store.data.appointments[a.id]).toBeUndefined()
    expect(smsTo(t, PHONE, ['pending', 'sent'])).toEqual([])
  })
})

describe('campaigns', () => {
  const input = (fields: Record<string, unknown>) =>
    CampaignInput.parse({
      name: 'Julemiddag',
      textNb: 'Julemiddag fredag kl. 17 på Huset.',
      ...fields,
    })

  it('Should wait for the morning when scheduled in quiet hours, then send to each recipient once', async () => {
    t = await reminderApp('2026-11-23T12:00')
    addPerson(t, { phone: '+4790000001', groups: 'bolig' })
    addPerson(t, { phone: '+4790000002', groups: 'bolig, nav' })
    addPerson(t, { phone: '+4790000003', groups: 'nav' })
    const made = createCampaign(
      t.runtime.reminders.deps,
      input({ groups: ['bolig'], when: 'at', date: '2026-11-23', time: '22:30' }),
      { now: t.now(), id: 'c1' }
    )
    expect(made.ok).toBe(true)
    t.at('2026-11-23T22:31')
    await t.tick()
    expect(Object.values(t.store.data.outbox).map((m) => m.state)).toEqual(['pending', 'pending'])
    t.at('2026-11-24T08:00')
    await t.tick()
    await t.tick()
    expect(smsTo(t, '+4790000001')).toEqual([
      'Julemiddag fredag kl. 17 på Huset.\nSend STOPP for ingen flere meldinger.',
    ])
    expect(smsTo(t, '+4790000003')).toEqual([])
    expect(t.store.data.campaigns['c1']).toMatchObject({
      state: 'done',
      counts: { recipients: 2, sent: 2 },
    })
  })

  it('Should cancel what has not gone yet', async () => {
    t = await reminderApp('2026-11-23T22:00')
    addPerson(t, { phone: '+4790000001' })
    createCampaign(t.runtime.reminders.deps, input({}), { now: t.now(), id: 'c2' })
    await t.tick() // queued, held by quiet hours
    expect(cancelCampaign(t.store, 'c2', t.now())).toBe(true)
    t.at('2026-11-24T08:00')
    await t.tick()
    expect(smsTo(t, '+4790000001')).toEqual([])
    expect(campaignProgress(t.store).get('c2')).toMatchObject({ cancelled: 1, sent: 0, waiting: 0 })
  })
})
