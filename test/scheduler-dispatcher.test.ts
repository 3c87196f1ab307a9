import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { twilioTransport } from '../bot/channels/sms-transport.js'
import { memoryLogger } from '../bot/logger.js'
import { Dispatcher, backoffMs } from '../bot/scheduler/dispatcher.js'
import { enqueueMessage } from '../bot/store/outbox.js'
import { touchParticipant } from '../bot/store/participants.js'
import { openStore } from '../bot/store/store.js'
import { FakeTwilio } from './helpers/fake-twilio.js'
import { tempDir } from './helpers/make-app.js'

let fake: FakeTwilio
beforeAll(async () => {
  fake = await new FakeTwilio().start()
})
afterAll(() => fake.stop())

async function setup(ratePerSecond = 0) {
  const temp = await tempDir()
  const store = await openStore(temp.dir)
  let now = new Date('2026-11-23T10:00:00Z')
  const transport = twilioTransport({ accountSid: 'AC' + '2'.repeat(32), authToken: 't'.repeat(32), from: '+4759440000' }, 'https://x/status', fake.httpClient())
  const dispatcher = new Dispatcher({ store, transport, clock: () => now, logger: memoryLogger(), ratePerSecond, concurrency: 8, maxAttempts: 5 })
  return { store, dispatcher, temp, setNow: (d: Date) => (now = d), dir: temp.dir }
}

describe('outbox dispatcher', () => {
  it('Should send every due message exactly once, retrying 429 and 500 with back-off', async () => {
    const { store, dispatcher, setNow, temp } = await setup()
    fake.sent.length = 0
    for (let i = 0; i < 200; i++) enqueueMessage(store, { id: `m_${i}`, channel: 'sms', to: `+47900${String(i).padStart(5, '0')}`, body: `Melding ${i}` }, new Date('2026-11-23T09:00:00Z'))
    fake.failures.push(...Array.from({ length: 10 }, (_, i) => (i % 2 ? { status: 429, code: 20429, message: 'Too Many Requests' } : { status: 500, code: 20500, message: 'Oops' })))
    const first = await dispatcher.tick()
    expect(first).toEqual({ sent: 190, retried: 10, failed: 0 })
    expect((await dispatcher.tick()).sent).toBe(0) // backed off: not due yet
    setNow(new Date(Date.parse('2026-11-23T10:00:00Z') + backoffMs(1) + 1000))
    expect(await dispatcher.tick()).toEqual({ sent: 10, retried: 0, failed: 0 })
    const bodies = fake.sent.map((s) => s.body)
    expect(new Set(bodies).size).toBe(200)
    expect(bodies).toHaveLength(200)
    const reopened = await openStore(temp.dir)
    expect(Object.values(reopened.data.outbox).every((m) => m.state === 'sent')).toBe(true)
    await temp.remove()
  })

  it('Should stop on a permanent error, keep the reason, and record an opt-out Twilio reports', async () => {
    const { store, dispatcher, temp } = await setup()
    const { participant } = touchParticipant(store, 'sms', '+4790000000', new Date('2026-11-23T08:00:00Z'), () => 'p_stopped')
    enqueueMessage(store, { id: 'm_x', channel: 'sms', to: '+4790000000', body: 'x' }, new Date('2026-11-23T09:00:00Z'))
    fake.failures.push({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' })
    expect(await dispatcher.tick()).toEqual({ sent: 0, retried: 0, failed: 1 })
    expect(store.data.outbox['m_x']).toMatchObject({ state: 'failed', lastError: expect.stringContaining('21610') })
    expect((await openStore(temp.dir)).data.participants[participant.id]).toMatchObject({ optedOut: true })
    await temp.remove()
  })

  it('Should put messages that were in flight at a crash back in the queue', async () => {
    const { store, dispatcher, temp } = await setup()
    enqueueMessage(store, { id: 'm_y', channel: 'sms', to: '+4790000001', body: 'y' }, new Date('2026-11-23T09:00:00Z'))
    store.edit('outbox', 'm_y', (m) => (m.state = 'sending'))
    expect(dispatcher.recover()).toBe(1)
    expect((await dispatcher.tick()).sent).toBe(1)
    await temp.remove()
  })

  it('Should not send a message before it is due', async () => {
    const { store, dispatcher, temp } = await setup()
    enqueueMessage(store, { id: 'm_z', channel: 'sms', to: '+4790000002', body: 'z' }, new Date('2026-11-23T09:00:00Z'))
    store.edit('outbox', 'm_z', (m) => (m.dueAt = '2026-11-23T18:00:00.000Z'))
    expect((await dispatcher.tick()).sent).toBe(0)
    await temp.remove()
  })
})
