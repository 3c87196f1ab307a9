import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { settingsSchema } from '../bot/config.js'
import { memoryLogger } from '../bot/logger.js'
import { maskPhone, maskPhonesIn } from '../bot/mask.js'
import { makeApp, type TestApp } from './helpers/make-app.js'
import { inboundForm, signedPost } from './helpers/twilio.js'

let t: TestApp
afterEach(async () => t?.cleanup())

describe('masking and logs', () => {
  it('Should mask phone numbers to country code and last three digits', () => {
    expect(maskPhone('+4791234567')).toBe('+47*****567')
    expect(maskPhone('91234567')).toBe('*****567')
    expect(maskPhonesIn('sent to +47 912 34 567 and 004791234567')).not.toMatch(/912|34 5|0047912/)
  })

  it('Should mask only phone-number-like runs, never file names, dates or ids with digit runs', () => {
    const kept = [
      'transcripts/2026-11-23.jsonl',
      '/tmp/reentry-test-x1/data/store/participants-12.json',
      'ENOSPC: no space left on device, write /data/audit/2026-11.jsonl',
      'at 2026-12-02T11:33:50.989Z after 1764673000123 ms, pid 4194304',
      'm_6ovcDJ1WqKNf p_91234567x v1.20240101',
    ]
    for (const text of kept) expect(maskPhonesIn(text)).toBe(text)
    const masked = {
      'sms/conversations/+4791234567/': 'sms/conversations/+47*****567/',
      'from 91234567.': 'from *****567.',
      'ring 912 34 567 i dag': 'ring *****567 i dag',
      'eller 91 23 45 67': 'eller *****567',
      'To +47 912 34 567, or 004791234567': 'To +47*****567, or *********567',
      'sms:+4791234567': 'sms:+47*****567',
    }
    for (const [text, expected] of Object.entries(masked)) expect(maskPhonesIn(text)).toBe(expected)
  })

  it('Should never write a full number or a message body to the log at the default level', async () => {
    t = await makeApp()
    await t.app.request(
      '/sms/twilio',
      signedPost('/sms/twilio', inboundForm('+4791234599', 'namsmannen tar lønna mi'))
    )
    await t.runtime.deliverSms('+4791234599', 'Husk timen')
    const log = t.logger.lines.join('\n')
    expect(log).toContain('turn.understood')
    expect(log).toContain('+47*****599')
    expect(log).not.toContain('91234599')
    expect(log).not.toContain('namsmannen')
    expect(log).not.toContain('Husk timen')
  })

  it('Should mask numbers inside errors too', () => {
    const logger = memoryLogger('info')
    logger.error('x', { error: new Error('Twilio 400: The To number +4791234567 is not valid') })
    expect(logger.lines[0]).not.toContain('91234567')
  })

  it('Should document every setting in the operating guide', () => {
    const guide = readFileSync(join(import.meta.dirname, '..', 'docs', 'operating.md'), 'utf8')
    for (const name of Object.keys(settingsSchema.shape))
      expect(guide, name).toContain(`\`${name}\``)
  })
})
