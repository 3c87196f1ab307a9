import twilio from 'twilio'

export const AUTH_TOKEN = 'test-auth-token-0123456789abcdef'
export const PUBLIC_URL = 'https://bot.example.org'

let sequence = 0

/** A Twilio inbound-SMS form as Twilio sends it (fields from a captured webhook). */
export function inboundForm(
  from: string,
  body: string,
  extra: Record<string, string> = {}
): Record<string, string> {
  const sid = `SM${(++sequence).toString(16).padStart(32, '0')}`
  return {
    ToCountry: 'NO',
    ToState: '',
    SmsMessageSid: sid,
    NumMedia: '0',
    ToCity: '',
    FromZip: '',
    SmsSid: sid,
    FromState: '',
    SmsStatus: 'received',
    FromCity: '',
    Body: body,
    FromCountry: 'NO',
    To: '+4759440000',
    ToZip: '',
    NumSegments: '1',
    MessageSid: sid,
    AccountSid: 'AC' + '0'.repeat(32),
    From: from,
    ApiVersion: '2010-04-01',
    ...extra,
  }
}

/** Signs a form the way Twilio does, for `path` under PUBLIC_URL. */
export function sign(path: string, form: Record<string, string>, token = AUTH_TOKEN): string {
  return twilio.getExpectedTwilioSignature(token, PUBLIC_URL + path, form)
}

/** A signed request init for app.request / fetch. */
export function signedPost(
  path: string,
  form: Record<string, string>,
  token = AUTH_TOKEN
): RequestInit {
  return {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': sign(path, form, token),
      'user-agent': 'TwilioProxy/1.1',
    },
    body: new URLSearchParams(form).toString(),
  }
}

/** The <Message> bodies of a TwiML reply, unescaped. */
export function messagesOf(twiml: string): string[] {
  return [...twiml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    m[1]!
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&apos;/g, "'")
      .replace(/&amp;/g, '&')
  )
}
