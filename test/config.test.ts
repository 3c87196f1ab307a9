import { describe, expect, it } from 'vitest'
import { loadConfig, settingsSchema } from '../bot/config.js'

describe('settings', () => {
  it('Should start on embedded defaults with an empty environment', () => {
    const config = loadConfig({})
    expect(config.PORT).toBe(3978)
    expect(config.DATA_DIR).toBe('./data')
    expect(config.TZ).toBe('Europe/Oslo')
    expect(config.PUBLIC_URL).toBe('http://localhost:3978')
    expect(config.DEV_PHONE).toBe(true)
    expect(config.twilio).toBeUndefined()
  })

  it.each([
    [{ PORT: 'abc' }, /^Bad setting PORT="abc": /],
    [{ PORT: '70000' }, /^Bad setting PORT="70000": /],
    [{ TZ: 'Europe/Osl' }, /^Bad setting TZ="Europe\/Osl": not a known IANA time zone$/],
    [{ PUBLIC_URL: 'not a url' }, /^Bad setting PUBLIC_URL=/],
    [{ TWILIO_FROM: '12345' }, /^Bad setting TWILIO_FROM="12345": must be an E.164 number/],
    [{ DEV_PHONE: 'maybe' }, /^Bad setting DEV_PHONE="maybe"/],
    [{ NODE_ENV: 'production' }, /^Bad setting PUBLIC_URL: required when NODE_ENV=production$/],
    [
      { TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32) },
      /^Bad setting TWILIO_ACCOUNT_SID: also set TWILIO_AUTH_TOKEN/,
    ],
  ])('Should stop with one line naming the bad variable for %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message)
    try {
      loadConfig(env)
    } catch (error) {
      expect((error as Error).message).not.toContain('\n')
    }
  })

  it('Should turn the dev phone off in production and keep Twilio settings together', () => {
    const config = loadConfig({
      NODE_ENV: 'production',
      PUBLIC_URL: 'https://bot.example.org/',
      TWILIO_ACCOUNT_SID: 'AC' + 'a'.repeat(32),
      TWILIO_AUTH_TOKEN: 'b'.repeat(32),
      TWILIO_FROM: '+4712345678',
    })
    expect(config.DEV_PHONE).toBe(false)
    expect(config.PUBLIC_URL).toBe('https://bot.example.org')
    expect(config.twilio?.from).toBe('+4712345678')
  })

  it('Should describe every setting, for the README', () => {
    for (const [name, schema] of Object.entries(settingsSchema.shape)) {
      expect(schema.description, name).toBeTruthy()
    }
  })
})
