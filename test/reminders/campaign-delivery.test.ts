import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { twilioTransport } from '../../bot/channels/sms-transport.js'
import { campaignProgress } from '../../bot/reminders/campaign-progress.js'
import { CampaignInput, createCampaign } from '../../bot/reminders/campaigns.js'
import { backoffMs } from '../../bot/scheduler/dispatcher.js'
import { openStore } from '../../bot/store/store.js'
import { FakeTwilio } from '../helpers/fake-twilio.js'
import { tempDir } from '../helpers/make-app.js'
import { addPerson, reminderApp } from '../helpers/reminders.js'
import { signedPost } from '../helpers/twilio.js'

let fake: FakeTwilio
beforeAll(async () => {
  fake = await new FakeTwilio().start()
})
afterAll(() => fake.stop())

const phoneOf = (i: number) => `+4791${String(i).padStart(6, '0')}`

/** Every number the fake received, and how many times beyond once. */
function received() {
  const counts = new Map<string, number>()
  for (const s of fake.sent) counts.set(s.to, (counts.get(s.to) ?? 0) + 1)
  const duplicates = [...counts.values()].reduce((sum, n) => sum + n - 1, 0)
  return { numbers: counts.size, duplicates }
}

describe('a 1,000-recipient campaign over HTTP to a fake Twilio', { timeout: 180_000 }, () => {
  it('Should deliver every message exactly once through 429s and 500s, and take receipts out of order', async () => {
    fake.sent.length = 0
    const transport = twilioTransport(
      { accountSid: 'AC' + '5'.repeat(32), authToken: 'x'.repeat(32), from: '+4759440000' },
      'https://bot.example.org/sms/twilio/status',
      fake.httpClient()
    )
    const t = await reminderApp('2026-11-23T12:00', {
      smsTransport: transport,
      config: { SMS_RATE_PER_SECOND: 500, SMS_DISPATCH_CONCURRENCY: 8, SMS_MAX_ATTEMPTS: 6 },
    })
    for (let i = 0; i < 1000; i++)
      addPerson(t, { name: `P${i}`, phone: phoneOf(i), groups: 'alle' })
    const input = CampaignInput.parse({
      name: 'Stor',
      textNb: 'Husk julemiddagen fredag.',
      groups: ['alle'],
    })
    expect(createCampaign(t.runtime.reminders.deps, input, { now: t.now(), id: 'big' }).ok).toBe(
      true
    )
    const fail = (count: number) => {
      for (let i = 0; i < count; i++) {
        fake.failures.push(
          i % 2
            ? { status: 429, code: 20429, message: 'Too Many Requests' }
            : { status: 500, code: 20500, message: 'Internal Server Error' }
        )
      }
    }
    // 60 throttled or failed on the first pass, and 10 of their retries fail again.
    fail(60)
    let clock = t.now().getTime()
    for (let round = 1; round <= 4; round++) {
      if (round === 2) fail(10)
      const result = await t.runtime.reminders.tick(new Date(clock))
      if (round === 1) expect(result).toEqual({ sent: 940, retried: 60, failed: 0 })
      if (round === 2) expect(result).toEqual({ sent: 50, retried: 10, failed: 0 })
      clock += backoffMs(round) + 1000
      t.at(new Date(clock).toISOString().slice(0, 19))
    }
    expect(received()).toEqual({ numbers: 1000, duplicates: 0 })
    expect(fake.sent).toHaveLength(1000)
    // Receipts for the first message, delivered before sent: it stays delivered.
    const first = fake.sent[0]!.sid
    for (const status of ['delivered', 'sent']) {
      const form = { MessageSid: first, MessageStatus: status, AccountSid: 'AC' + '5'.repeat(32) }
      const res = await t.app.request('/sms/twilio/status', signedPost('/sms/twilio/status', form))
      expect(res.status).toBe(204)
    }
    expect(campaignProgress(t.store).get('big')).toMatchObject({
      recipients: 1000,
      sent: 1000,
      delivered: 1,
      failed: 0,
      waiting: 0,
    })
    expect(t.store.data.campaigns['big']!.state).toBe('done')
    await t.cleanup()
  })
})

describe('a crash in the middle of a campaign', { timeout: 180_000 }, () => {
  const COUNT = 600
  const CONCURRENCY = 4

  const run = (dir: string) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/fixtures/campaign-worker.ts'], {
      env: {
        ...process.env,
        DATA_DIR: dir,
        FAKE_TWILIO: fake.baseUrl,
        COUNT: String(COUNT),
        RATE: '150',
        CONCURRENCY: String(CONCURRENCY),
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    const exited = once(child, 'exit') as Promise<[number | null, string | null]>
    return { child, exited }
  }

  it('Should lose nothing and send again at most the messages in flight when it was killed', async () => {
    fake.sent.length = 0
    const temp = await tempDir()
    const first = run(temp.dir)
    const deadline = Date.now() + 60_000
    while (fake.sent.length < COUNT / 3 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    first.child.kill('SIGKILL')
    const [, signal] = await first.exited
    expect(signal).toBe('SIGKILL')
    const atCrash = fake.sent.length
    expect(atCrash).toBeGreaterThan(0)
    expect(atCrash).toBeLessThan(COUNT)
    // What the disk says was in flight: handed to Twilio or about to be, not yet marked sent.
    const store = await openStore(temp.dir)
    const inFlight = Object.values(store.data.outbox).filter((m) => m.state === 'sending').length
    expect(inFlight).toBeLessThanOrEqual(CONCURRENCY)

    const second = run(temp.dir)
    const [code] = await second.exited
    expect(code).toBe(0)
    const { numbers, duplicates } = received()
    expect(numbers).toBe(COUNT) // none lost
    expect(duplicates).toBeLessThanOrEqual(inFlight) // only what was in flight went twice
    process.stdout.write(
      `crash test: ${atCrash} sent before the kill, ${inFlight} in flight, ${duplicates} sent twice\n`
    )
    const reopened = await openStore(temp.dir)
    expect(reopened.data.campaigns['crash']).toMatchObject({
      state: 'done',
      counts: { sent: COUNT },
    })
    await temp.remove()
  })
})
