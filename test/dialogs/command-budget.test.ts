import { afterEach, describe, expect, it } from 'vitest'
import { segmentsFor } from '../../bot/channels/sms-text.js'
import { play, transcriptBot } from '../helpers/transcript.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

/** The SMS budget of one reply (bot/channels: longer replies are split or cut). */
const budget = 2

// Each command as a participant writes it, with what its reply starts with.
const nb: [string, string][] = [
  ['hjelp', 'MENNESKE: snakk med noen. STOPP: ingen flere SMS. SLETT: slett alt om deg.'],
  ['meny', 'Hva trenger du hjelp med?'],
  ['personvern', 'Personvern:'],
  ['norsk', 'Ok, jeg skriver norsk nå.'],
  ['menneske', 'Kan en frivillig'],
  ['slett', 'Vil du slette alt'],
  ['kartlegg', 'Sjekkliste'],
  ['mer', 'Hva trenger du hjelp med?'],
  ['avslutt', 'Hva trenger du hjelp med?'],
  ['feil nummer', ''],
  ['stopp', 'Du får ingen flere meldinger fra oss.'],
  ['start', 'Velkommen tilbake.'],
]
const en: [string, string][] = [
  ['help', 'HUMAN: talk to someone. STOP: no more SMS. DELETE: delete all about you.'],
  ['menu', 'What do you need help with?'],
  ['privacy', 'Privacy:'],
  ['english', 'What do you need help with?'],
  ['human', 'Can a volunteer'],
  ['delete', 'Do you want to delete'],
  ['checklist', 'Checklist'],
  ['more', 'What do you need help with?'],
  ['bot', 'What do you need help with?'],
  ['wrong number', ''],
  ['stop', 'You will get no more messages from us.'],
  ['start', 'Welcome back.'],
]

describe('every command reply fits the SMS budget', () => {
  it('Should answer every command within two segments (nb)', async () => {
    const b = await transcriptBot('sms', '+4791234001')
    cleanups.push(b.cleanup)
    const replies = await play(b.adapter, nb)
    replies.forEach((reply, i) =>
      expect(segmentsFor(reply).segments, `${nb[i]![0]}: ${reply}`).toBeLessThanOrEqual(budget)
    )
  })

  it('Should answer every command within two segments (en)', async () => {
    const b = await transcriptBot('sms', '+4791234002')
    cleanups.push(b.cleanup)
    const replies = await play(b.adapter, [['english', 'What do you need help with?'], ...en])
    replies.forEach((reply, i) =>
      expect(segmentsFor(reply).segments, `${reply}`).toBeLessThanOrEqual(budget)
    )
  })

  it('Should keep the numbers of the menu after HJELP, and HELP, in one reply', async () => {
    const b = await transcriptBot('sms', '+4791234003')
    cleanups.push(b.cleanup)
    const replies = await play(b.adapter, [
      ['hjelp', ['Skriv med egne ord', '1 NAV og penger', '9 De første ukene']],
      ['2', 'Bolig. Svar med et tall:'],
      ['english', 'What do you need help with?'],
      ['help', ['Write in your own words', '1 NAV and money', '9 The first weeks']],
      ['3', 'Debt and bills. Reply with a number:'],
    ])
    expect(segmentsFor(replies[0]!).segments).toBe(2)
    expect(segmentsFor(replies[3]!).segments).toBe(2)
  })
})
