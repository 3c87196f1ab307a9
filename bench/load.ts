/** Signed Twilio webhooks from many numbers, fired with autocannon. */
import autocannon from 'autocannon'
import twilio from 'twilio'

export const PUBLIC_URL = 'https://bench.example.org'
export const AUTH_TOKEN = 'bench-auth-token-0123456789abcdef'

type Signed = { form: Record<string, string>; body: string; signature: string }

/**
 * Two texts per number ("meny", then "2"), ordered so that request n goes to number n % count:
 * one number's texts are `count` requests apart, like real traffic from many phones.
 */
export function signedRequests(count = 1000): Signed[] {
  const requests: Signed[] = []
  for (const text of ['meny', '2']) {
    for (let n = 0; n < count; n++) {
      const sid = `SM${(requests.length + 1).toString(16).padStart(32, '0')}`
      const form = { MessageSid: sid, SmsSid: sid, AccountSid: 'AC' + '0'.repeat(32), From: `+4790${String(n).padStart(6, '0')}`, To: '+4759440000', Body: text, NumSegments: '1', ApiVersion: '2010-04-01' }
      requests.push(signed(form))
    }
  }
  return requests
}

function signed(form: Record<string, string>): Signed {
  return {
    form,
    body: new URLSearchParams(form).toString(),
    signature: twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/sms/twilio`, form),
  }
}

let fired = 0

/**
 * The same text from the same number under a MessageSid never sent before: the server answers a
 * MessageSid it has handled (a Twilio retry) from its record, without a turn, so a repeated one
 * would measure that short cut instead of a turn.
 */
export function freshRequest(r: Signed): Signed {
  const sid = `SMf${(++fired).toString(16).padStart(31, '0')}`
  return signed({ ...r.form, MessageSid: sid, SmsSid: sid })
}

export type LoadResult = { rps: number; p50: number; p99: number; requests: number; errors: number }

/** Runs autocannon against POST /sms/twilio; `rate` fixes the offered load (requests/s overall). */
export async function fire(url: string, requests: Signed[], options: { connections: number; seconds: number; rate?: number }): Promise<LoadResult> {
  let next = 0
  const result = await autocannon({
    url: `${url}/sms/twilio`,
    connections: options.connections,
    duration: options.seconds,
    ...(options.rate ? { overallRate: options.rate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const r = freshRequest(requests[next++ % requests.length]!)
          return {
            ...request,
            body: r.body,
            headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': r.signature },
          }
        },
      },
    ],
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    requests: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  }
}
