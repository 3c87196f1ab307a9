import { afterEach, describe, expect, it } from 'vitest'
import { play, transcriptBot } from '../helpers/transcript.js'

/**
 * Commands asked for in plain words (issue 13): a person, stopping messages, deleting, a language.
 * A plain STOPP acts; words that only may mean it ("slutt med de meldingene") ask first, and 1
 * says yes. SLETT always asks before it deletes. A topic that uses the same verbs is no command.
 */
const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function bot() {
  const b = await transcriptBot()
  cleanups.push(b.cleanup)
  return b
}

const optedOut = (store: { data: { participants: Record<string, { optedOut?: boolean }> } }) =>
  Object.values(store.data.participants)[0]?.optedOut === true

describe('a person, asked for in plain words', () => {
  it('Should offer a volunteer for "kan jeg prate med et ekte menneske" (nb)', async () => {
    const { adapter } = await bot()
    await play(adapter, [['kan jeg prate med et ekte menneske?', 'Kan en frivillig']])
  })

  it('Should offer a volunteer for "could i chat with a real person" (en)', async () => {
    const { adapter } = await bot()
    await play(adapter, [['could i chat with a real person', 'Can a volunteer']])
  })
})

describe('stopping messages in plain words', () => {
  it('Should stop at once for "slutt å sende meg sms", and ask first for "kutt ut de meldingene" (nb)', async () => {
    const first = await bot()
    await play(first.adapter, [['slutt å sende meg sms', 'Du får ingen flere meldinger fra oss.']])
    expect(optedOut(first.store)).toBe(true)

    const second = await bot()
    await play(second.adapter, [
      ['kutt ut de meldingene', 'Vil du at vi slutter å sende deg meldinger? Svar 1 for ja.'],
    ])
    expect(optedOut(second.store)).toBe(false)
    await play(second.adapter, [['1', 'Du får ingen flere meldinger fra oss.']])
    expect(optedOut(second.store)).toBe(true)
  })

  it('Should ask first for "can u stop with all the texting", and keep messages when the next text is a question (en)', async () => {
    const { adapter, store } = await bot()
    await play(adapter, [
      [
        'can u stop with all the texting',
        'Do you want us to stop sending you messages? Reply 1 for yes.',
      ],
    ])
    await play(adapter, [['where is my nav office', '']])
    expect(optedOut(store)).toBe(false)
  })

  it('Should read "stop the debt collector" and "nav stoppet pengene mine" as questions, not STOP', async () => {
    const { adapter, store } = await bot()
    const replies = await play(adapter, [
      ['stop the debt collector', ''],
      ['nav stoppet pengene mine', ''],
    ])
    expect(replies.join('\n')).not.toMatch(/no more messages|ingen flere meldinger|stop sending/i)
    expect(optedOut(store)).toBe(false)
  })
})

describe('deleting in plain words: always confirmed', () => {
  it('Should ask before deleting for "fjern opplysningene mine", and not for "slett gjelden min?" (nb)', async () => {
    const { adapter } = await bot()
    await play(adapter, [['fjern opplysningene mine', 'Vil du slette alt vi har lagret om deg?']])
    const { adapter: other } = await bot()
    const [reply] = await play(other, [['slett gjelden min?', '']])
    expect(reply).not.toMatch(/slette alt vi har lagret/)
  })

  it('Should ask before deleting for "can you wipe all my data" (en)', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['can you wipe all my data', 'Do you want to delete everything we have about you?'],
    ])
  })
})

describe('a language, asked for in plain words', () => {
  it('Should switch to English for "can we do this in english" and back for "kan du skrive norsk"', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['hei', 'Hei!'],
      ['can we do this in english', 'OK, I will write in English now.'],
      ['kan du skrive norsk', 'Ok, jeg skriver norsk nå.'],
    ])
  })
})
