import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/make-app.js'
import { inboundForm, messagesOf, signedPost } from '../helpers/twilio.js'

let t: TestApp
afterEach(async () => t?.cleanup())

const phone = '+4791239876'
async function text(body: string): Promise<string> {
  const res = await t.app.request(
    '/sms/twilio',
    signedPost('/sms/twilio', inboundForm(phone, body))
  )
  expect(res.status).toBe(200)
  return messagesOf(await res.text()).join('\n')
}

/** Every file under the data folder whose content mentions one of the needles. */
async function filesMentioning(dir: string, needles: string[]): Promise<string[]> {
  const found: string[] = []
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue
    const path = join(entry.parentPath, entry.name)
    const content = await readFile(path, 'utf8')
    if (needles.some((n) => content.includes(n))) found.push(path)
  }
  return found
}

describe('SLETT / DELETE', () => {
  it('Should delete profile, mapping, transcript, pending messages and state after one confirmation', async () => {
    t = await makeApp()
    // Build up data: a saved needs mapping (with consent, so transcripts are kept), an alert, a message.
    await text('kartlegg')
    for (const answer of ['3', '2', '2', '4', '3', '1']) await text(answer)
    const participant = Object.values(t.store.data.participants)[0]!
    t.store.edit('participants', participant.id, (p) => {
      p.consent = {
        given: true,
        at: '2026-11-23T11:00:00.000Z',
        channel: 'sms',
        textVersion: 'test',
      }
    })
    await t.runtime.deliverSms(phone, 'Husk timen i morgen')
    await text('hva er bostøtte')
    expect(await filesMentioning(join(t.dir, 'transcripts'), [participant.id])).not.toEqual([])
    expect(await filesMentioning(join(t.dir, 'store'), [phone])).not.toEqual([])

    expect(await text('slett')).toContain('Vil du slette alt vi har lagret om deg?')
    expect(await text('1')).toContain('Vi har slettet alt vi hadde om deg')
    expect(await filesMentioning(t.dir, [phone, participant.id])).toEqual([])
    const audit = (await readdir(join(t.dir, 'audit'))).length
    expect(audit).toBeGreaterThan(0)

    // The next message starts fresh: a new participant, no memory of the old one.
    expect(await text('meny')).toContain('Hva trenger du hjelp med?')
    const [fresh] = Object.values(t.store.data.participants)
    expect(fresh!.id).not.toBe(participant.id)
    expect(t.store.data.mappings).toEqual({})
  })

  it('Should delete nothing when the participant says no, and understand DELETE in English', async () => {
    t = await makeApp()
    await text('menu')
    expect(await text('delete')).toContain('Do you want to delete everything we have about you?')
    expect(await text('no')).toContain('OK, nothing was deleted.')
    expect(Object.keys(t.store.data.participants)).toHaveLength(1)
  })

  it('Should show the privacy explanation with PERSONVERN at any time, within two SMS', async () => {
    t = await makeApp()
    await text('meny')
    await text('2')
    const reply = await text('personvern')
    expect(reply).toContain('Personvern: Vi lagrer nummeret ditt')
    expect(reply).toContain('90 dager')
    expect(reply).toContain('SLETT')
  })
})
