import { afterEach, describe, expect, it } from 'vitest'
import { makeApp, tempDir, type TestApp } from '../helpers/make-app.js'
import { inboundForm, messagesOf, signedPost } from '../helpers/twilio.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

const post = async (t: TestApp, form: Record<string, string>) => {
  const res = await t.app.request('/sms/twilio', signedPost('/sms/twilio', form))
  expect(res.status).toBe(200)
  return { xml: await res.text() }
}

const turns = (t: TestApp) =>
  t.logger.lines.map((l) => JSON.parse(l)).filter((e) => e.event === 'turn.understood').length

describe('one turn per MessageSid', () => {
  it.each([
    ['nb', 'meny', 'Bolig. Svar med et tall:'],
    ['en', 'menu', 'Housing. Reply with a number:'],
  ])(
    'Should answer a retried "2" (%s) with the same TwiML and run no second turn',
    async (_, menu, area) => {
      const temp = await tempDir()
      cleanups.push(temp.remove)
      const t = await makeApp({ dir: temp.dir })
      const from = '+4791230001'
      await post(t, inboundForm(from, menu))
      const two = inboundForm(from, '2')
      const first = await post(t, two)
      expect(messagesOf(first.xml).join('\n')).toContain(area)
      const before = turns(t)
      const again = await post(t, two)
      expect(again.xml).toBe(first.xml)
      expect(turns(t)).toBe(before)
      // Retries that arrive together wait for the first answer and run nothing either.
      const both = await Promise.all([post(t, two), post(t, two)])
      expect(both.map((b) => b.xml)).toEqual([first.xml, first.xml])
      expect(turns(t)).toBe(before)

      // After a restart on the same data the answer is still known.
      const restarted = await makeApp({ dir: temp.dir })
      expect((await post(restarted, two)).xml).toBe(first.xml)
      expect(turns(restarted)).toBe(0)
      // A new MessageSid is a new turn: "2" now means the second housing topic.
      const next = await post(restarted, inboundForm(from, '2'))
      expect(next.xml).not.toBe(first.xml)
      expect(turns(restarted)).toBe(1)
    }
  )

  it('Should forget a handled MessageSid after a day and with SLETT', async () => {
    let now = new Date('2026-11-23T12:00:00+01:00')
    const t = await makeApp({ now: () => now })
    cleanups.push(t.cleanup)
    const from = '+4791230002'
    const form = inboundForm(from, 'meny')
    await post(t, form)
    expect(Object.keys(t.store.data.handledSms)).toEqual([form.MessageSid])
    now = new Date(now.getTime() + 25 * 3_600_000)
    await post(t, inboundForm('+4791230003', 'hei'))
    expect(Object.keys(t.store.data.handledSms)).not.toContain(form.MessageSid)

    await post(t, inboundForm(from, 'meny'))
    await post(t, inboundForm(from, 'slett'))
    await post(t, inboundForm(from, '1'))
    const participants = Object.values(t.store.data.participants).map((p) => p.address)
    expect(participants).not.toContain(from)
    const left = Object.values(t.store.data.handledSms)
    // Only the answer to the deleting message stays (it names nobody), so a retry of it says
    // "deleted" again instead of starting a new conversation.
    expect(left.filter((r) => r.participantId === undefined).length).toBe(1)
    expect(left.every((r) => r.participantId === undefined || r.bodies.length > 0)).toBe(true)
  })
})
