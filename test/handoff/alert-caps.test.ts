/**
 * Abuse costs little: one address cannot make alert after alert, and a flood of crises cannot
 * text the on-call phone once each; every crisis is still answered and urgent, and the alert that
 * goes says how many more are waiting. Row 14 of issue 16 (and issue 12: a crisis past the caps
 * is never treated as an ordinary chat).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { text } from '../helpers/console.js'
import { makeApp, realKnowledge, type TestApp } from '../helpers/make-app.js'
import { PUBLIC_URL } from '../helpers/twilio.js'

const ONCALL = '+4790000001'
const suicide = realKnowledge().topics.get('crisis-suicide')!
let t: TestApp
let now: Date
afterEach(async () => {
  await t.runtime.handoffs.settled()
  await t.cleanup()
})

async function nightApp(config: Record<string, number> = {}) {
  now = new Date('2026-11-23T23:30:00+01:00') // Monday night: nobody on shift
  t = await makeApp({ now: () => now, config: { HANDOFF_ONCALL: [ONCALL], PUBLIC_URL, ...config } })
}
const oncall = () =>
  Object.values(t.store.data.outbox)
    .filter((m) => m.to === ONCALL)
    .map((m) => m.body)
const from = (address: string) => ({ incoming: { socket: { remoteAddress: address } } })

/** A new web chat from `address` whose first message is `words`; returns the bot's replies. */
async function webChat(address: string, words: string): Promise<string[]> {
  const generated = await t.app.request(
    '/directline/tokens/generate',
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' },
    from(address)
  )
  const { conversationId, token } = (await generated.json()) as {
    conversationId: string
    token: string
  }
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' }
  await t.app.request(
    '/directline/conversations',
    { method: 'POST', headers, body: '{}' },
    from(address)
  )
  const posted = await t.app.request(
    `/directline/conversations/${conversationId}/activities`,
    {
      method: 'POST',
      headers,
      body: JSON.stringify({
        type: 'message',
        text: words,
        channelData: { clientActivityID: 'c1' },
      }),
    },
    from(address)
  )
  expect(posted.status).toBe(200)
  const feed = (await (
    await t.app.request(`/directline/conversations/${conversationId}/activities`, { headers })
  ).json()) as { activities: { text?: string; from: { role?: string } }[] }
  // Web chat shows the phone book's numbers as Markdown tel: links; compare the words.
  return feed.activities
    .filter((a) => a.from.role === 'bot')
    .map((a) => (a.text ?? '').replace(/\[([^\]]+)\]\(tel:[^)]+\)/g, '$1'))
}

describe('caps on urgent requests and alerts', () => {
  it('Should answer every crisis from one address as urgent, but let only a few of them alert on their own', async () => {
    await nightApp({ HANDOFF_URGENT_PER_ADDRESS: 2 })
    for (let i = 0; i < 8; i++) {
      const replies = await webChat('198.51.100.7', 'jeg vil ikke leve mer')
      expect(replies.join('\n')).toContain(suicide.answer.nb)
    }
    await t.runtime.handoffs.settled()
    const handoffs = Object.values(t.store.data.handoffs)
    expect(handoffs).toHaveLength(8)
    expect(handoffs.filter((h) => h.urgent)).toHaveLength(8)
    expect(oncall()).toHaveLength(2)
    // Another address is not held back by the first one, and its alert counts those waiting.
    await webChat('203.0.113.9', 'jeg vil ikke leve mer')
    await t.runtime.handoffs.settled()
    expect(oncall()).toHaveLength(3)
    expect(oncall()[2]).toMatch(/Og 6 til venter\.$/)
  })

  it('Should send half of HANDOFF_ALERTS_PER_HOUR at once, then one alert that counts the rest', async () => {
    await nightApp({ HANDOFF_ALERTS_PER_HOUR: 3 })
    for (let i = 0; i < 10; i++) {
      const [reply] = await text(t, `+479100000${i}`, 'jeg vil ikke leve mer')
      expect(reply).toContain(suicide.answer.nb)
    }
    await t.runtime.handoffs.settled()
    expect(Object.values(t.store.data.handoffs).filter((h) => h.urgent)).toHaveLength(10)
    expect(oncall()).toHaveLength(2)
    await t.runtime.handoffs.tick(now)
    expect(oncall()).toHaveLength(2)
    now = new Date(now.getTime() + 20 * 60_000) // one alert more every 60/3 minutes
    await t.runtime.handoffs.tick(now)
    await t.runtime.handoffs.settled()
    // One alert for the eight that waited, and (unclaimed for long) one escalation for all ten.
    const later = oncall().slice(2)
    expect(later.find((b) => b.startsWith('HASTER'))).toMatch(/Og 7 til venter\.$/)
    expect(later.find((b) => b.startsWith('Ingen har tatt'))).toMatch(/Og 9 til venter\.$/)
    expect(oncall()).toHaveLength(4)
  })
})
