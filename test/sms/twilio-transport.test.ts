import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { twilioTransport } from '../../bot/channels/sms-transport.js'
import { FakeTwilio } from '../helpers/fake-twilio.js'
import { makeApp } from '../helpers/make-app.js'
import { inboundForm, signedPost } from '../helpers/twilio.js'

const settings = { accountSid: 'AC' + '1'.repeat(32), authToken: 'secret-token-0123456789abcdef', from: '+4759440000' }
let fake: FakeTwilio

beforeAll(async () => {
  fake = await new FakeTwilio().start()
})
afterAll(() => fake.stop())

describe('outbound SMS through the real Twilio SDK', () => {
  it('Should send To, From, Body and the status callback with basic auth', async () => {
    const transport = twilioTransport(settings, 'https://bot.example.org/sms/twilio/status', fake.httpClient())
    const { providerId } = await transport.send('+4791234567', 'Hei æøå')
    expect(fake.sent.at(-1)).toEqual({
      sid: providerId,
      to: '+4791234567',
      from: '+4759440000',
      messagingServiceSid: undefined,
      body: 'Hei æøå',
      statusCallback: 'https://bot.example.org/sms/twilio/status',
      auth: 'Basic ' + Buffer.from(`${settings.accountSid}:${settings.authToken}`).toString('base64'),
    })
  })

  it('Should call 429 and 5xx retryable, and an invalid number or STOP permanent', async () => {
    const transport = twilioTransport(settings, 'https://x/status', fake.httpClient())
    fake.failures.push({ status: 429, code: 20429, message: 'Too Many Requests' })
    await expect(transport.send('+4791234567', 'x')).rejects.toMatchObject({ retryable: true })
    fake.failures.push({ status: 503, code: 20503, message: 'Service Unavailable' })
    await expect(transport.send('+4791234567', 'x')).rejects.toMatchObject({ retryable: true })
    fake.failures.push({ status: 400, code: 21211, message: "The 'To' number is not valid." })
    await expect(transport.send('+4791234567', 'x')).rejects.toMatchObject({ retryable: false, code: '21211' })
    fake.failures.push({ status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' })
    await expect(transport.send('+4791234567', 'x')).rejects.toMatchObject({ retryable: false, code: '21610' })
  })

  it('Should deliver a proactive message from the app via Twilio and record the receipt', async () => {
    const t = await makeApp({ smsTransport: twilioTransport(settings, 'https://bot.example.org/sms/twilio/status', fake.httpClient()) })
    await t.app.request('/sms/twilio', signedPost('/sms/twilio', inboundForm('+4791234568', 'meny')))
    const [participant] = Object.values(t.store.data.participants)
    await t.runtime.sendProactive(participant!.id, 'Husk timen hos NAV i morgen kl. 10.')
    const sent = fake.sent.at(-1)!
    expect(sent).toMatchObject({ to: '+4791234568', body: 'Husk timen hos NAV i morgen kl. 10.' })
    const [message] = Object.values(t.store.data.outbox)
    expect(message).toMatchObject({ state: 'sent', providerId: sent.sid })
    await t.app.request('/sms/twilio/status', signedPost('/sms/twilio/status', { MessageSid: sent.sid, MessageStatus: 'delivered' }))
    expect(t.store.data.outbox[message!.id]!.state).toBe('delivered')
    await t.cleanup()
  })

  it('Should keep a message pending after a retryable failure and mark it failed after a permanent one', async () => {
    const t = await makeApp({ smsTransport: twilioTransport(settings, 'https://x/status', fake.httpClient()) })
    fake.failures.push({ status: 500, code: 20500, message: 'Internal Server Error' })
    const retry = await t.runtime.deliverSms('+4791234569', 'Hei')
    expect(retry).toMatchObject({ state: 'pending', attempts: 1 })
    fake.failures.push({ status: 400, code: 21211, message: "The 'To' number is not valid." })
    const failed = await t.runtime.deliverSms('+4700000000', 'Hei')
    expect(failed.state).toBe('failed')
    expect(failed.lastError).toMatch(/21211/)
    await t.cleanup()
  })
})
