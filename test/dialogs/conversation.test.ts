import { afterEach, describe, expect, it } from 'vitest'
import { twilioOptOutWords } from '../../content/reserved-words.js'
import { play, transcriptBot } from '../helpers/transcript.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function bot() {
  const b = await transcriptBot()
  cleanups.push(b.cleanup)
  return b
}

const reserved = new RegExp(`\\b(${twilioOptOutWords.join('|')})\\b`)

describe('Twilio opt-out words', () => {
  it('Should hand the chat back with AVSLUTT and take END only as a stop (nb)', async () => {
    const { adapter, store } = await bot()
    const replies = await play(adapter, [
      ['menneske', 'Kan en frivillig'],
      ['1', 'Send AVSLUTT for å snakke med roboten igjen.'],
      ['avslutt', 'Nå svarer roboten deg igjen.'],
      ['END', 'Du får ingen flere meldinger fra oss.'],
    ])
    expect(replies.join('\n')).not.toMatch(reserved)
    expect(Object.values(store.data.participants)[0]!.optedOut).toBe(true)
  })

  it('Should hand the chat back with BOT and take END only as a stop (en)', async () => {
    const { adapter, store } = await bot()
    const replies = await play(adapter, [
      ['english', 'What do you need help with?'],
      ['human', 'Can a volunteer here read'],
      ['yes', 'Send BOT to talk to the bot again.'],
      ['bot', 'The bot answers you again now.'],
      ['human', 'Send BOT to talk to the bot again.'],
      ['end', 'You will get no more messages from us.'],
    ])
    expect(replies.slice(0, -1).join('\n')).not.toMatch(reserved)
    expect(replies.at(-1)).not.toMatch(/\b(END|CANCEL|QUIT)\b/)
    expect(Object.values(store.data.participants)[0]!.optedOut).toBe(true)
    expect(Object.values(store.data.handoffs).map((h) => h.state)).toEqual([
      'cancelled',
      'cancelled',
    ])
  })
})
