import { afterEach, describe, expect, it } from 'vitest'
import { segmentsFor } from '../../bot/channels/sms-text.js'
import { twilioOptOutWords } from '../../content/reserved-words.js'
import { realKnowledge } from '../helpers/make-app.js'
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

const topic = (id: string) => realKnowledge().topics.get(id)!

describe('greetings, thanks and "I just got out"', () => {
  it('Should welcome "hei", close "takk" and "ha det", and never offer a person for them (nb)', async () => {
    const { adapter } = await bot()
    const replies = await play(adapter, [
      ['hei', 'Hei! Jeg svarer på spørsmål om NAV, bolig, gjeld, helse og mer etter soning.'],
      ['heisann', 'Hei! Jeg svarer'],
      ['god morgen', 'Hei! Jeg svarer'],
      ['takk', 'Bare hyggelig!'],
      ['ok', 'Greit.'],
      ['tusen takk', 'Bare hyggelig!'],
      ['ha det', 'Ha det bra!'],
    ])
    expect(replies.join('\n')).not.toMatch(/Beklager|menneske/)
    expect(segmentsFor(replies[0]!).segments).toBe(1)
  })

  it('Should welcome "hello", close "thanks" and "bye", and never offer a person for them (en)', async () => {
    const { adapter } = await bot()
    const replies = await play(adapter, [
      ['hello', 'Hi! I answer questions about NAV, housing, debt, health and more after prison.'],
      ['hi', 'Hi! I answer'],
      ['good morning', 'Hi! I answer'],
      ['thanks', 'You are welcome!'],
      ['ok thanks', 'You are welcome!'],
      ['bye', 'Take care!'],
    ])
    expect(replies.join('\n')).not.toMatch(/Sorry|person/)
    expect(segmentsFor(replies[0]!).segments).toBe(1)
  })

  it.each([
    'jeg kom ut i går',
    'hei, jeg kom ut i går',
    'kom ut av fengselet i går, hva nå',
    'løslatt i dag',
  ])('Should answer "%s" with the checklist and the first days (nb)', async (text) => {
    const { adapter } = await bot()
    await play(adapter, [
      [
        text,
        [
          'Velkommen ut!',
          '1 Sjekkliste etter soning',
          '2 Sted å sove i natt',
          '3 Penger i dag (nødhjelp)',
        ],
      ],
      ['1', 'Sjekkliste: 5 korte spørsmål'],
    ])
  })

  it.each(['just got out', 'i just got out of prison, what now', 'got released today'])(
    'Should answer "%s" with the checklist and the first days (en)',
    async (text) => {
      const { adapter } = await bot()
      await play(adapter, [
        ['english', 'What do you need help with?'],
        [text, ['Welcome out!', '1 Checklist after prison', '2 Nowhere to sleep tonight']],
        ['2', topic('housing-tonight').answer.en],
      ])
    }
  )

  it('Should still answer a question that says "I got out" with its topic', async () => {
    const { adapter } = await bot()
    await play(adapter, [['kom ut i går og har null kroner', topic('nav-nodhjelp').answer.nb]])
  })
})

describe('follow-ups read against the topic just answered', () => {
  it('Should answer "hvordan søker jeg", "hvem ringer jeg" and "mer" about sosialhjelp (nb)', async () => {
    let now = new Date('2026-11-23T12:00:00+01:00')
    const b = await transcriptBot('sms', '+4791111112', () => now)
    cleanups.push(b.cleanup)
    await play(b.adapter, [
      ['sosialhjelp', topic('nav-sosialhjelp').answer.nb],
      ['hvordan soker jeg?', ['Sosialhjelp:', 'nav.no med BankID']],
      [
        'hvem ringer jeg',
        'Sosialhjelp: Gå til NAV-kontoret der du er nå, eller ring NAV på 55 55 33 33.',
      ],
      ['mer', topic('nav-sosialhjelp').more!.nb],
    ])
    now = new Date(now.getTime() + 31 * 60_000)
    await play(b.adapter, [['hvordan søker jeg', 'Hva gjelder det?']])
  })

  it('Should answer "how do I apply", "who do I call" and "more" about social assistance (en)', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['english', 'What do you need help with?'],
      ['social assistance', topic('nav-sosialhjelp').answer.en],
      ['how do i aply', ['Social assistance (money):', 'nav.no with BankID']],
      ['who do I call?', 'or call NAV on 55 55 33 33.'],
      ['more', topic('nav-sosialhjelp').more!.en],
      ['sted å sove i natt', topic('housing-tonight').answer.en],
      ['who do I call', 'Nowhere to sleep tonight: Call NAV Kontaktsenter on 55 55 33 33.'],
    ])
  })

  it('Should read "hva koster det" and "where is it" against the ID topic', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['trenger id kort', topic('practical-id').answer.nb],
      ['hva koster det', 'Skaffe ID og pass: Prisen står på politiet.no.'],
      ['english', 'What do you need help with?'],
      ['id card', topic('practical-id').answer.en],
      ['where is it', 'Get ID or passport:'],
      ['how much does it cost', 'The fee is on politiet.no.'],
    ])
  })
})

describe('a new question drops the open one', () => {
  it('Should answer topics asked at the consent question and not ask it again (nb)', async () => {
    const { adapter, store } = await bot()
    const replies = await play(adapter, [
      ['trenger noen å prate med', 'Kan en frivillig hos oss lese det du skriver'],
      ['aktiviteter', topic('activities-leisure').answer.nb],
      ['hva kan jeg gjøre på fritida', topic('activities-leisure').answer.nb],
      ['1', topic('activities-leisure').more!.nb],
    ])
    expect(replies.slice(1).join('\n')).not.toContain('Kan en frivillig')
    expect(store.data.handoffs).toEqual({})
    // Asked again when it matters again.
    await play(adapter, [['menneske', 'Kan en frivillig hos oss lese det du skriver']])
  })

  it('Should answer topics asked at the consent question and not ask it again (en)', async () => {
    const { adapter, store } = await bot()
    const replies = await play(adapter, [
      ['english', 'What do you need help with?'],
      ['i want to talk to someone', 'Can a volunteer here read what you write'],
      ['activities', topic('activities-leisure').answer.en],
      ['thanks', 'You are welcome!'],
    ])
    expect(replies.slice(2).join('\n')).not.toContain('Can a volunteer')
    expect(store.data.handoffs).toEqual({})
  })

  it('Should still take a yes, a number or a checklist answer as the answer', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['menneske', 'Kan en frivillig'],
      ['ja', 'Vi har gitt beskjed'],
    ])
    const other = await transcriptBot('sms', '+4791111113')
    cleanups.push(other.cleanup)
    await play(other.adapter, [
      ['kartlegg', 'Bolig: Hvor skal du bo?'],
      ['vet ikke', 'Penger:'],
      ['sosialhjelp', topic('nav-sosialhjelp').answer.nb],
      ['kartlegg', 'Penger:'],
    ])
  })

  it('Should keep the crisis check first while the consent question is open', async () => {
    const { adapter, store } = await bot()
    await play(adapter, [
      ['menneske', 'Kan en frivillig'],
      ['vil ikke leve mer', ['113', '116 123']],
    ])
    expect(Object.values(store.data.handoffs).map((h) => h.urgent)).toEqual([true])
  })
})

describe('tonight first when a need may be now or later', () => {
  it.each(['har ikke noe sted å bo', 'bostedsløs', 'er hjemløs, hva gjør jeg'])(
    'Should answer "%s" with tonight first, then the longer term (nb)',
    async (text) => {
      const { adapter } = await bot()
      const [reply] = await play(adapter, [
        [text, [topic('housing-tonight').answer.nb, 'Kommunal bolig på sikt: svar 2.']],
        ['2', topic('housing-kommunal-bolig').answer.nb],
      ])
      expect(segmentsFor(reply!)).toMatchObject({ encoding: 'GSM-7', segments: 2 })
    }
  )

  it.each(['no place to live', 'homeless', 'i have nowhere to live'])(
    'Should answer "%s" with tonight first, then the longer term (en)',
    async (text) => {
      const { adapter } = await bot()
      const [, reply] = await play(adapter, [
        ['english', 'What do you need help with?'],
        [text, [topic('housing-tonight').answer.en, 'Municipal housing, for later: reply 2.']],
        ['1', topic('housing-tonight').more!.en],
      ])
      expect(segmentsFor(reply!)).toMatchObject({ encoding: 'GSM-7', segments: 2 })
    }
  )

  it('Should answer a need that says when with that topic alone', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['har ikke noe sted å bo i natt', topic('housing-tonight').answer.nb],
      ['trenger et fast sted å bo', topic('housing-kommunal-bolig').answer.nb],
    ])
  })

  it('Should not tell someone with no ID to bring their passport (nb and en)', async () => {
    const { adapter } = await bot()
    const [nb, , en] = await play(adapter, [
      ['mista passet, har ingen id', 'Har du ingen ID, kan politiet be en voksen med norsk pass'],
      ['english', 'What do you need help with?'],
      [
        'lost my passport, no id',
        'With no ID, the police can ask an adult with a Norwegian passport',
      ],
    ])
    expect(nb).not.toMatch(/Ta med passet ditt/)
    expect(en).not.toMatch(/Bring your passport/)
  })
})

describe('review 2026-12-02: the conversation on a fresh number', () => {
  it.each(['trenger bolig', 'hvor kan jeg bo', 'trenger et sted å bo', 'hvor skal jeg bo nå'])(
    'Should answer "%s" with tonight first, then the longer term (nb)',
    async (text) => {
      const { adapter } = await bot()
      await play(adapter, [
        [text, [topic('housing-tonight').answer.nb, 'Kommunal bolig på sikt: svar 2.']],
        ['2', topic('housing-kommunal-bolig').answer.nb],
      ])
    }
  )

  it.each(['where can i stay', 'i need a place to live', 'need somewhere to stay'])(
    'Should answer "%s" with tonight first, then the longer term (en)',
    async (text) => {
      const { adapter } = await bot()
      await play(adapter, [
        ['english', 'What do you need help with?'],
        [text, [topic('housing-tonight').answer.en, 'Municipal housing, for later: reply 2.']],
      ])
    }
  )

  it('Should welcome "god kveld" and "god natt", never answer them with tonight (nb)', async () => {
    const { adapter } = await bot()
    const replies = await play(adapter, [
      ['god kveld', 'Hei! Jeg svarer på spørsmål'],
      ['god natt', 'Hei! Jeg svarer på spørsmål'],
      ['hei god kveld', 'Hei! Jeg svarer på spørsmål'],
    ])
    expect(replies.join('\n')).not.toContain(topic('housing-tonight').answer.nb)
  })

  it('Should welcome "good evening" and "good night", never answer them with tonight (en)', async () => {
    const { adapter } = await bot()
    const replies = await play(adapter, [
      ['english', 'What do you need help with?'],
      ['good evening', 'Hi! I answer questions'],
      ['good night', 'Hi! I answer questions'],
    ])
    expect(replies.join('\n')).not.toContain(topic('housing-tonight').answer.en)
  })

  it.each(['ka gjør æ no', 'hva nå'])(
    'Should answer "%s" with the checklist and the first days (nb)',
    async (text) => {
      const { adapter } = await bot()
      await play(adapter, [[text, ['Velkommen ut!', '1 Sjekkliste etter soning']]])
    }
  )

  it('Should answer "what now" with the checklist and the first days (en)', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['english', 'What do you need help with?'],
      ['what now', ['Welcome out!', '1 Checklist after prison']],
    ])
  })

  it('Should close "thank u" and take "meny 2" as the menu and its entry 2 (en and nb)', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['english', 'What do you need help with?'],
      ['thank u', 'You are welcome!'],
      ['menu 3', 'Debt and bills. Reply with a number:'],
    ])
    const other = await transcriptBot('sms', '+4791111119')
    cleanups.push(other.cleanup)
    await play(other.adapter, [
      ['takk for det', 'Bare hyggelig!'],
      ['meny 2', 'Bolig. Svar med et tall:'],
      ['meny, 3', 'Gjeld og regninger. Svar med et tall:'],
    ])
  })
})

describe('review 2026-12-02: follow-ups, language and topics', () => {
  it('Should say honestly that the answer has no price or number (nb)', async () => {
    const { adapter } = await bot()
    const replies = await play(adapter, [
      ['sosialhjelp', topic('nav-sosialhjelp').answer.nb],
      [
        'hva koster det',
        ['Hva det koster, står ikke i svaret mitt om Sosialhjelp.', 'Svar 1 for ja'],
      ],
      ['kommunal bolig', topic('housing-kommunal-bolig').answer.nb],
      ['hvem ringer jeg', 'Et nummer å ringe om Kommunal bolig har jeg ikke.'],
    ])
    expect(replies.join('\n')).not.toContain(topic('nav-sosialhjelp').more!.nb)
    expect(replies.join('\n')).not.toContain(topic('housing-kommunal-bolig').more!.nb)
  })

  it('Should say honestly that the answer has no price or number (en)', async () => {
    const { adapter } = await bot()
    const replies = await play(adapter, [
      ['english', 'What do you need help with?'],
      ['municipal housing', topic('housing-kommunal-bolig').answer.en],
      ['who do i call', 'I have no number to call about Municipal housing.'],
      ['social assistance', topic('nav-sosialhjelp').answer.en],
      ['how much does it cost', 'What it costs is not in my answer on'],
    ])
    expect(replies.join('\n')).not.toContain(topic('housing-kommunal-bolig').more!.en)
  })

  it.each([
    ['fines', 'debt-fines'],
    ['probation officer', 'practical-probation'],
  ])('Should answer "%s" in English on a fresh number', async (text, id) => {
    const { adapter } = await bot()
    await play(adapter, [[text, topic(id).answer.en]])
  })

  it('Should close "ok cool" and "good evening" in English on a fresh number', async () => {
    const { adapter } = await bot()
    await play(adapter, [['ok cool', 'OK. Write any time']])
    const other = await transcriptBot('sms', '+4791111120')
    cleanups.push(other.cleanup)
    await play(other.adapter, [['good evening', 'Hi! I answer questions']])
  })

  it('Should keep Norwegian for Norwegian texts on a fresh number', async () => {
    const { adapter } = await bot()
    await play(adapter, [['trenger hjelp med bøter', topic('debt-fines').answer.nb]])
  })
})
