import { afterEach, describe, expect, it } from 'vitest'
import { nonGsmCharacters, segmentsFor } from '../../bot/channels/sms-text.js'
import { createI18n } from '../../bot/i18n.js'
import { reminderBody } from '../../bot/reminders/texts.js'
import { CampaignInput, previewCampaign } from '../../bot/reminders/campaigns.js'
import { checkImport, saveImport } from '../../bot/reminders/csv-import.js'
import { normalizePhone } from '../../bot/reminders/people.js'
import { text } from '../helpers/console.js'
import { addPerson, reminderApp, type ReminderApp } from '../helpers/reminders.js'

let t: ReminderApp
afterEach(async () => t?.cleanup())

describe('CSV import', () => {
  it('Should name each bad row and why, and save nothing while checking', async () => {
    t = await reminderApp('2026-11-23T12:00')
    addPerson(t, { name: 'Kari', phone: '+4790000009' })
    const csv = [
      '\uFEFFNavn;Telefon;Språk;Grupper;Samtykke',
      'Ola;912 34 567;norsk;NAV, Bolig;ja',
      ';91234568;nb;;ja',
      'Per;12345;nb;;ja',
      'Lise;+4791234569;svensk;;kanskje',
      'Nils;912 34 567;en;;nei',
      'Kari Nordmann;0047 900 00 009;en;nav;ja',
      'Anne;;;;',
      'Bjørn;91234570;nb',
    ].join('\r\n')
    const result = checkImport(t.store, csv, 'nb')
    expect(result.ok).toBe(true)
    if (!result.ok) return
    expect(result.rows.map((r) => [r.line, r.errors, r.existingId ?? ''])).toEqual([
      [2, [], ''],
      [3, ['name'], ''],
      [4, ['phone'], ''],
      [5, ['language', 'consent'], ''],
      [6, ['duplicate'], ''],
      [7, [], 'per_1'],
      [8, [], ''],
      [9, ['columns'], ''],
    ])
    expect(result.rows[0]!.input).toEqual({
      name: 'Ola',
      phone: '+4791234567',
      language: 'nb',
      groups: ['nav', 'bolig'],
      consent: 'given',
    })
    expect(result.rows[6]!.input).toMatchObject({
      phone: undefined,
      consent: 'unknown',
      language: 'nb',
    })
    expect(Object.keys(t.store.data.people)).toEqual(['per_1'])
  })

  it('Should update a known number with only the columns the file has', async () => {
    t = await reminderApp('2026-11-23T12:00')
    const kari = addPerson(t, { name: 'Kari', phone: '+4790000009', groups: 'nav', language: 'en' })
    const result = checkImport(t.store, 'Navn,Telefon\nKari N.,900 00 009\nNy,91111111', 'nb')
    if (!result.ok) throw new Error('not ok')
    let ids = 0
    expect(
      saveImport(t.store, result, { now: t.now(), by: 's_kari', newId: () => `new_${++ids}` })
    ).toBe(2)
    expect(t.store.data.people[kari.id]).toMatchObject({
      name: 'Kari N.',
      groups: ['nav'],
      language: 'en',
      consent: 'given',
    })
    expect(t.store.data.people['new_1']).toMatchObject({
      name: 'Ny',
      groups: [],
      language: 'nb',
      consent: 'unknown',
    })
  })

  it('Should refuse a file it cannot read, with the reason', async () => {
    t = await reminderApp('2026-11-23T12:00')
    expect(checkImport(t.store, '', 'nb')).toMatchObject({ ok: false, error: 'empty' })
    expect(checkImport(t.store, 'Telefon\n91234567', 'nb')).toMatchObject({
      ok: false,
      error: 'no-name',
    })
    expect(checkImport(t.store, 'Navn,Telefon\n"Ola,91234567', 'nb')).toMatchObject({
      ok: false,
      error: 'parse',
    })
  })

  it('Should read the ways people write Norwegian numbers', () => {
    expect(normalizePhone('912 34 567')).toBe('+4791234567')
    expect(normalizePhone('+47 912-34-567')).toBe('+4791234567')
    expect(normalizePhone('4791234567')).toBe('+4791234567')
    expect(normalizePhone('0046701234567')).toBe('+46701234567')
    expect(normalizePhone('1234')).toBeUndefined()
  })
})

describe('campaign preview', () => {
  const input = (fields: Record<string, unknown>) =>
    CampaignInput.parse({ name: 'Info', ...fields })

  it('Should show the final text per language, its cost, the recipients and who is skipped', async () => {
    t = await reminderApp('2026-11-23T12:00')
    addPerson(t, { phone: '+4790000001', groups: 'nav' })
    addPerson(t, { phone: '+4790000002', groups: 'nav', language: 'en' })
    addPerson(t, { phone: '+4790000003', groups: 'nav', consent: 'refused' })
    addPerson(t, { phone: '', groups: 'nav' })
    addPerson(t, { phone: '+4790000005', groups: 'nav' })
    addPerson(t, { phone: '+4790000006', groups: 'bolig' })
    await text(t, '+4790000005', 'stopp')
    const preview = previewCampaign(
      t.runtime.reminders.deps,
      input({ groups: ['nav'], textNb: 'NAV er stengt fredag – ring 55 55 33 33 …', textEn: '' }),
      t.now()
    )
    expect(preview.bodies.nb).toMatchObject({
      body: 'NAV er stengt fredag - ring 55 55 33 33 ...\nSend STOPP for ingen flere meldinger.',
      encoding: 'GSM-7',
      segments: 1,
      replaced: ['–', '…'],
      fits: true,
    })
    expect(preview.recipients).toEqual({ nb: 1, en: 1 })
    expect(preview.skipped).toEqual({ optedOut: 1, noConsent: 1, noPhone: 1 })
    expect(preview.errors).toEqual(['text-en'])
    expect(preview.heldUntil).toBeUndefined()
  })

  it('Should refuse a text over two SMS segments and say when quiet hours hold it', async () => {
    t = await reminderApp('2026-11-23T12:00')
    addPerson(t)
    const preview = previewCampaign(
      t.runtime.reminders.deps,
      input({ textNb: 'Hei. '.repeat(70), when: 'at', date: '2026-11-23', time: '22:00' }),
      t.now()
    )
    expect(preview.bodies.nb).toMatchObject({ segments: 3, fits: false })
    expect(preview.errors).toEqual(['long-nb'])
    expect(preview.heldUntil?.toISOString()).toBe('2026-11-24T07:00:00.000Z')
  })
})

describe('texts a participant gets', () => {
  it('Should be GSM-7 and fit two SMS segments in both languages', () => {
    const translate = createI18n()
    for (const language of ['nb', 'en'] as const) {
      const t = translate.reminders(language)
      const texts = [
        t('reply.coming'),
        t('reply.newTime'),
        t('reply.noted'),
        t('reply.which'),
        t('sms.footer'),
        reminderBody(
          t,
          { what: 'Møte hos NAV', where: 'Storgata 1, 0182 Oslo', at: '2026-11-24T14:00:00+01:00' },
          'Europe/Oslo'
        ),
      ]
      for (const text of texts) {
        expect(nonGsmCharacters(text), text).toEqual([])
        expect(segmentsFor(text).segments, text).toBeLessThanOrEqual(2)
      }
    }
  })
})
