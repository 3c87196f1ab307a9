import { afterEach, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { inboundForm, messagesOf, PUBLIC_URL, sign, signedPost } from '../helpers/twilio.js'

let t: TestApp
afterEach(async () => t?.cleanup())

const post = (path: string, form: Record<string, string>) =>
  t.app.request(path, signedPost(path, form))

describe('POST /sms/twilio', () => {
  it('Should answer "meny" with a numbered Norwegian menu in TwiML', async () => {
    t = await makeApp()
    const res = await post('/sms/twilio', inboundForm('+4791234567', 'meny'))
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toMatch(/^text\/xml/)
    const xml = await res.text()
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?><Response><Message>/)
    const [body] = messagesOf(xml)
    expect(body).toContain('Hva trenger du hjelp med? Svar med et tall:')
    expect(body).toMatch(/\n1 NAV og penger\n2 Bolig\n/)
    expect(body).toContain('Snakke med et menneske')
  })

  it('Should answer "menu" in English', async () => {
    t = await makeApp()
    const [body] = messagesOf(
      await (await post('/sms/twilio', inboundForm('+4791234568', 'menu'))).text()
    )
    expect(body).toContain('What do you need help with? Reply with a number:')
    expect(body).toMatch(/\n1 NAV and money\n2 Housing\n/)
  })

  it('Should refuse a missing or wrong signature with 403 and process nothing', async () => {
    t = await makeApp()
    const form = inboundForm('+4791234569', 'meny')
    const body = new URLSearchParams(form).toString()
    const headers = { 'content-type': 'application/x-www-form-urlencoded' }
    const missing = await t.app.request('/sms/twilio', { method: 'POST', headers, body })
    expect(missing.status).toBe(403)
    const wrong = await t.app.request('/sms/twilio', {
      method: 'POST',
      headers: {
        ...headers,
        'x-twilio-signature': sign('/sms/twilio', form, 'another-token-000000000000000'),
      },
      body,
    })
    expect(wrong.status).toBe(403)
    const tampered = await t.app.request('/sms/twilio', {
      method: 'POST',
      headers: { ...headers, 'x-twilio-signature': sign('/sms/twilio', form) },
      body: body.replace('meny', 'slett'),
    })
    expect(tampered.status).toBe(403)
    const otherQuery = await t.app.request('/sms/twilio?x=1', {
      method: 'POST',
      headers: { ...headers, 'x-twilio-signature': sign('/sms/twilio', form) },
      body,
    })
    expect(otherQuery.status).toBe(403)
    expect(Object.keys(t.store.data.participants)).toHaveLength(0)
  })

  it('Should check the signature against PUBLIC_URL, path and query', async () => {
    t = await makeApp()
    const form = inboundForm('+4791234570', 'meny')
    const res = await t.app.request('/sms/twilio?source=test', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': (await import('twilio')).default.getExpectedTwilioSignature(
          'test-auth-token-0123456789abcdef',
          `${PUBLIC_URL}/sms/twilio?source=test`,
          form
        ),
      },
      body: new URLSearchParams(form).toString(),
    })
    expect(res.status).toBe(200)
  })

  it('Should answer 503 and never accept unsigned traffic when no auth token is set', async () => {
    t = await makeApp({ authToken: null })
    const res = await post('/sms/twilio', inboundForm('+4791234571', 'meny'))
    expect(res.status).toBe(503)
    expect(await res.text()).toMatch(/TWILIO_AUTH_TOKEN/)
  })

  it.each([
    [{ From: '' }, /From: From must be a phone number/],
    [{ From: 'javascript:alert(1)' }, /From must be a phone number/],
    [{ MessageSid: 'nope' }, /MessageSid must be SM or MM/],
    [{ Body: 'x'.repeat(1601) }, /Body is longer than an SMS can be/],
  ])(
    'Should answer a signed but malformed form %o with 400 saying what is wrong',
    async (change, message) => {
      t = await makeApp()
      const res = await post('/sms/twilio', { ...inboundForm('+4791234572', 'hei'), ...change })
      expect(res.status).toBe(400)
      expect(await res.text()).toMatch(message)
      expect(Object.keys(t.store.data.participants)).toHaveLength(0)
    }
  )

  it('Should refuse a body over the size limit with 413', async () => {
    t = await makeApp()
    const res = await t.app.request('/sms/twilio', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': 'x' },
      body: 'Body=' + 'a'.repeat(40_000),
    })
    expect(res.status).toBe(413)
  })

  it('Should answer an empty text with the menu, never silence', async () => {
    t = await makeApp()
    const [body] = messagesOf(
      await (await post('/sms/twilio', inboundForm('+4791234573', ''))).text()
    )
    expect(body).toContain('Svar med et tall')
  })

  it('Should escape the reply for XML', async () => {
    t = await makeApp()
    const xml = await (
      await post('/sms/twilio', inboundForm('+4791234574', '<script>alert(1)</script>'))
    ).text()
    expect(xml).not.toContain('<script>')
  })

  it('Should answer two texts from one number arriving together, in order, without a storage conflict', async () => {
    t = await makeApp()
    const [first, second] = await Promise.all([
      post('/sms/twilio', inboundForm('+4791234575', 'meny')),
      post('/sms/twilio', inboundForm('+4791234575', '2')),
    ])
    expect(first!.status).toBe(200)
    expect(second!.status).toBe(200)
    expect(messagesOf(await first!.text())[0]).toContain('Hva trenger du hjelp med?')
    expect(messagesOf(await second!.text())[0]).toContain('Bolig. Svar med et tall:')
    expect(t.logger.lines.filter((l) => l.includes('turn.failed'))).toEqual([])
  })
})

describe('POST /sms/twilio/status', () => {
  it('Should record delivery receipts, ignoring ones that arrive out of order', async () => {
    t = await makeApp()
    const sent = await t.runtime.deliverSms('+4791234576', 'Husk timen i morgen')
    const sid = sent.providerId!
    const receipt = (status: string, extra: Record<string, string> = {}) =>
      post('/sms/twilio/status', {
        MessageSid: sid,
        MessageStatus: status,
        To: '+4791234576',
        AccountSid: 'AC' + '0'.repeat(32),
        ...extra,
      })
    expect((await receipt('delivered')).status).toBe(204)
    expect((await receipt('sent')).status).toBe(204)
    expect(t.store.data.outbox[sent.id]).toMatchObject({ state: 'delivered' })
    expect((await post('/sms/twilio/status', { MessageSid: sid })).status).toBe(400)
  })

  it('Should mark a failed delivery with its error code', async () => {
    t = await makeApp()
    const sent = await t.runtime.deliverSms('+4791234577', 'Hei')
    await post('/sms/twilio/status', {
      MessageSid: sent.providerId!,
      MessageStatus: 'undelivered',
      ErrorCode: '30003',
    })
    expect(t.store.data.outbox[sent.id]).toMatchObject({
      state: 'failed',
      lastError: 'Twilio error 30003',
    })
  })
})

describe('an opt-out Twilio reports', () => {
  it('Should opt the participant out when a receipt says the number opted out with Twilio (21610)', async () => {
    t = await makeApp()
    await post('/sms/twilio', inboundForm('+4791234578', 'meny'))
    const sent = await t.runtime.deliverSms('+4791234578', 'Husk timen i morgen')
    await post('/sms/twilio/status', { MessageSid: sent.providerId!, MessageStatus: 'failed', ErrorCode: '21610' })
    const [participant] = Object.values(t.store.data.participants)
    expect(participant).toMatchObject({ address: '+4791234578', optedOut: true })
  })
})

describe('proactive SMS', () => {
  it('Should reach a participant through continueConversation and the outbox', async () => {
    t = await makeApp()
    await post('/sms/twilio', inboundForm('+4791234580', 'meny'))
    const [participant] = Object.values(t.store.data.participants)
    expect(await t.runtime.sendProactive(participant!.id, 'Hei, dette er Kari fra Røde Kors.', 'staff_1')).toBe(true)
    const [message] = Object.values(t.store.data.outbox)
    expect(message).toMatchObject({ to: '+4791234580', body: 'Hei, dette er Kari fra Røde Kors.', state: 'sent' })
    expect(await t.runtime.sendProactive('p_unknown', 'x')).toBe(false)
  })
})

describe('flood protection', () => {
  it('Should stop answering one number past its limit, still answer a crisis, and not affect others', async () => {
    t = await makeApp({ config: { SMS_LIMIT_PER_NUMBER: 3, SMS_LIMIT_WINDOW_SECONDS: 600 } })
    const reply = async (from: string, body: string) =>
      messagesOf(await (await post('/sms/twilio', inboundForm(from, body))).text())
    for (let i = 0; i < 3; i++) expect(await reply('+4791230001', 'meny')).toHaveLength(1)
    expect(await reply('+4791230001', 'meny')).toEqual([])
    expect((await reply('+4791230001', 'jeg vil ta livet mitt'))[0]).toContain('113')
    expect(await reply('+4791230002', 'meny')).toHaveLength(1)
    expect(t.logger.lines.filter((l) => l.includes('sms.rate_limited'))).toHaveLength(1)
  })
})
