/**
 * One in-flight limit for every outbound SMS: alerts, volunteer replies and the outbox queue
 * together never have more than SMS_DISPATCH_CONCURRENCY messages "sending" at once, which is
 * what bounds the duplicates a crash can cause (a "sending" message is sent again at start-up).
 * Row 9 of issue 16.
 */
import { afterEach, describe, expect, it } from 'vitest'
import type { SmsTransport } from '../../bot/channels/channel.js'
import { CampaignInput, createCampaign } from '../../bot/reminders/campaigns.js'
import { addPerson, reminderApp, type ReminderApp } from '../helpers/reminders.js'

let t: ReminderApp
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

describe('the in-flight limit', () => {
  it('Should never have more than SMS_DISPATCH_CONCURRENCY messages of any kind sending at once', async () => {
    let sending = 0
    let most = 0
    let mostOnDisk = 0
    const transport: SmsTransport = {
      name: 'local',
      async send() {
        sending++
        most = Math.max(most, sending)
        const onDisk = Object.values(t.store.data.outbox).filter((m) => m.state === 'sending')
        mostOnDisk = Math.max(mostOnDisk, onDisk.length)
        await new Promise((r) => setTimeout(r, 15))
        sending--
        return { providerId: `SM${Math.random().toString(16).slice(2)}` }
      },
    }
    t = await reminderApp('2026-11-23T12:00', {
      smsTransport: transport,
      config: { SMS_DISPATCH_CONCURRENCY: 4, SMS_RATE_PER_SECOND: 0 },
    })
    for (let i = 0; i < 30; i++)
      addPerson(t, { name: `P${i}`, phone: `+4792${String(i).padStart(6, '0')}`, groups: 'alle' })
    const input = CampaignInput.parse({ name: 'Alle', textNb: 'Hei fra oss.', groups: ['alle'] })
    expect(createCampaign(t.runtime.reminders.deps, input, { now: t.now(), id: 'c' }).ok).toBe(true)
    // 60 alerts and replies at once, while the campaign's 30 are being sent.
    const alerts = Array.from({ length: 60 }, (_, i) =>
      t.runtime.deliverSms(`+4790${String(i).padStart(6, '0')}`, `Varsel ${i}`)
    )
    await Promise.all([t.tick(), ...alerts])
    const sent = Object.values(t.store.data.outbox).filter((m) => m.state === 'sent')
    expect(sent).toHaveLength(90)
    expect(most).toBeLessThanOrEqual(4)
    expect(mostOnDisk).toBeLessThanOrEqual(4)
  })
})
