import { afterEach, describe, expect, it } from 'vitest'
import { realKnowledge } from '../helpers/make-app.js'
import { play, transcriptBot, type Step } from '../helpers/transcript.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function bot(channelId?: string, address?: string) {
  const b = await transcriptBot(channelId, address)
  cleanups.push(b.cleanup)
  return b
}

const topic = (id: string) => realKnowledge().topics.get(id)!

describe('dialog transcripts (nb)', () => {
  it('Should walk the menu, answer, give more, and go back with 0', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      [
        'meny',
        ['Hva trenger du hjelp med?', '1 NAV og penger', '2 Bolig', '8 Snakke med et menneske'],
      ],
      ['2', ['Bolig. Svar med et tall:', '1 Sted å sove i natt', '0 Meny']],
      ['1', [topic('housing-tonight').answer.nb, 'Svar 1 for mer, 0 for meny.']],
      ['1', [topic('housing-tonight').more!.nb, '0 for meny.']],
      ['0', 'Hva trenger du hjelp med?'],
    ])
  })

  it.each<[string, string]>([
    ['har ikke noe sted å bo i natt', 'housing-tonight'],
    ['namsmannen tar lønna mi', 'debt-wage-deduction'],
    ['vil ikke leve mer', 'crisis-suicide'],
  ])('Should answer "%s" with %s', async (text, id) => {
    const { adapter } = await bot()
    await play(adapter, [[text, topic(id).answer.nb]])
  })

  it('Should reach the menu with MENY or HJELP from inside an area menu and after an answer', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['meny', 'Hva trenger du hjelp med?'],
      ['3', 'Gjeld og regninger. Svar med et tall:'],
      ['hjelp', ['MENNESKE', '1 NAV og penger']],
      ['5', 'Helse og rus. Svar med et tall:'],
      ['MENY', 'Hva trenger du hjelp med?'],
    ])
  })

  it('Should apologise and show the menu, then offer a person after two misunderstandings', async () => {
    const { adapter, store } = await bot()
    await play(adapter, [
      ['blørp flapp', ['Beklager, det forstod jeg ikke.', 'Hva trenger du hjelp med?']],
      ['qwxz', 'Vil du snakke med et menneske? Svar 1 for ja'],
      ['1', 'Kan en frivillig hos oss lese det du skriver her og svare deg?'],
      ['1', 'Vi har gitt beskjed'],
    ])
    expect(Object.values(store.data.handoffs).map((h) => [h.reason, h.state])).toEqual([
      ['human', 'requested'],
    ])
  })

  it('Should switch to English with ENGLISH and keep it', async () => {
    const { adapter, store } = await bot()
    await play(adapter, [
      ['hei', 'Hei! Jeg svarer'],
      ['english', ['OK, I will write in English now.', 'What do you need help with?']],
      ['har ikke noe sted å bo i natt', topic('housing-tonight').answer.en],
    ])
    expect(Object.values(store.data.participants)[0]).toMatchObject({
      language: 'en',
      languageChosen: true,
    })
  })

  it('Should opt out with STOPP takk and back in with START', async () => {
    const { adapter, store } = await bot()
    await play(adapter, [
      ['stopp takk', 'Du får ingen flere meldinger fra oss'],
      ['START', 'Velkommen tilbake'],
    ])
    expect(Object.values(store.data.participants)[0]!.optedOut).toBe(false)
  })

  it('Should stop messaging a number whose owner says it is the wrong person, until START', async () => {
    const { adapter, store } = await bot()
    await play(adapter, [
      ['Du har feil nummer', 'Beklager! Vi sender ingen flere meldinger til dette nummeret.'],
    ])
    expect(Object.values(store.data.participants)[0]).toMatchObject({
      optedOut: true,
      wrongNumberAt: expect.any(String),
    })
    await play(adapter, [['start', 'Velkommen tilbake']])
    expect(Object.values(store.data.participants)[0]!.wrongNumberAt).toBeUndefined()
  })

  it('Should raise a crisis alert and answer even in the middle of a menu', async () => {
    const { adapter, store } = await bot()
    await play(adapter, [
      ['meny', 'Hva trenger du hjelp med?'],
      ['1', 'NAV og penger. Svar med et tall:'],
      ['jeg orker ikke mer, vil dø', ['113', '116 123']],
    ])
    expect(Object.values(store.data.handoffs).map((h) => [h.reason, h.urgent])).toEqual([
      ['crisis', true],
    ])
  })
})

describe('dialog transcripts (en)', () => {
  it('Should detect English from the first message and answer in English', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['i just got out and have no money', topic('nav-nodhjelp').answer.en],
      ['menu', ['What do you need help with?', '2 Housing']],
      ['4', 'Activities and network. Reply with a number:'],
      ['1', topic('activities-nes').answer.en],
    ])
  })

  it('Should switch to Norwegian with NORSK', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['help', ['HUMAN', '1 NAV and money']],
      ['norsk', ['Ok, jeg skriver norsk nå.', 'Hva trenger du hjelp med?']],
    ])
  })

  it('Should say sorry in English for gibberish from an English speaker', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['hello, what can you do', ['HUMAN', '1 NAV and money']],
      ['zzzz', ['Sorry, I did not understand that.', 'What do you need help with?']],
    ])
  })
})

describe('web chat rendering', () => {
  it('Should show menu choices as buttons on web chat and as numbered lines on SMS', async () => {
    const web = await bot('webchat', 'conv-1')
    const [webReply] = await play(web.adapter, [['meny', 'Hva trenger du hjelp med?']])
    expect(webReply).toContain('1 NAV og penger')
    const sms = await bot('sms')
    const [smsReply] = await play(sms.adapter, [['meny', '\n1 NAV og penger\n']])
    expect(smsReply).toBeTruthy()
  })
})

describe('needs mapping (kartlegging)', () => {
  it('Should ask the five areas, let one be skipped, store with consent and suggest topics (nb)', async () => {
    const { adapter, store } = await bot()
    await play(adapter, [
      [
        'kartlegg',
        [
          'Sjekkliste: 5 korte spørsmål',
          'Bolig: Hvor skal du bo?',
          '3 Har ikke noe sted',
          '4 Hopp over',
        ],
      ],
      ['3', ['Penger: Hvordan er økonomien?']],
      ['hopp over', ['Helse:']],
      ['1', ['Dagen:']],
      ['4', ['Nettverk:']],
      ['2', ['Vil du at en koordinator hos oss ser svarene', '90 dager', '1 Ja, lagre', '2 Nei']],
      ['1', ['Takk. Svarene er lagret', 'Dette kan hjelpe deg nå', '1 Sted å sove i natt']],
      ['1', topic('housing-tonight').answer.nb],
    ])
    const [mapping] = Object.values(store.data.mappings)
    expect(mapping!.answers).toEqual({
      housing: 'none',
      money: 'skip',
      health: 'ok',
      activity: 'nothing',
      network: 'few',
    })
    expect(mapping!.consent).toMatchObject({
      given: true,
      channel: 'sms',
      textVersion: expect.stringMatching(/^[0-9a-f]{12}$/),
    })
  })

  it('Should stop with MENY, answer a crisis inside it, and resume with CHECKLIST (en)', async () => {
    const { adapter, store } = await bot()
    await play(adapter, [
      ['checklist please', ['Checklist: 5 short questions', 'Housing: Where will you live?']],
      ['2', 'Money:'],
      ['menu', 'What do you need help with?'],
      ['checklist', ['Money:']],
      ['i want to kill myself', ['113', '116 123']],
      ['bot', 'The bot answers you again now.'],
      ['checklist', ['Money:']],
      ['2', 'Health:'],
      ['1', 'Your day:'],
      ['1', 'Network:'],
      ['1', ['Do you want a coordinator here to see your answers']],
      ['no', ['OK, we will not save your answers.', 'This can help you now', 'Money today']],
    ])
    expect(store.data.mappings).toEqual({})
  })

  it('Should be on the main menu', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['meny', '7 Sjekkliste etter soning'],
      ['7', 'Bolig: Hvor skal du bo?'],
    ])
  })
})
