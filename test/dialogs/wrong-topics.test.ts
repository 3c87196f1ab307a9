/**
 * Issue 13, the outside review's classes of wrong topics: each read as its own topic, or offered
 * as a "did you mean" between the right ones, in both languages. A wrong topic answered outright
 * is worse than a question.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { realKnowledge } from '../helpers/make-app.js'
import { play, transcriptBot } from '../helpers/transcript.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

let numbers = 0
async function bot() {
  const b = await transcriptBot('sms', `+479222${String(++numbers).padStart(4, '0')}`)
  cleanups.push(b.cleanup)
  return b
}

const topic = (id: string) => realKnowledge().topics.get(id)!
const title = (id: string, lang: 'nb' | 'en') => topic(id).title[lang]

/** The reply answers `id` outright, or offers it in a "did you mean", and answers none of `not`. */
async function readAs(text: string, id: string, lang: 'nb' | 'en', not: string[]) {
  const { adapter } = await bot()
  const [reply] = await play(adapter, [[text, []]])
  const choice = lang === 'nb' ? 'Mente du:' : 'Did you mean:'
  const answered = reply!.includes(topic(id).answer[lang])
  const offered = reply!.includes(choice) && reply!.includes(title(id, lang))
  expect(answered || offered, `"${text}" got:\n${reply}`).toBe(true)
  for (const other of not) expect(reply, text).not.toContain(topic(other).answer[lang])
}

describe('community sentence and ankle tag are not parole', () => {
  it.each([
    ['samfunnsstraff', 'nb'],
    ['har fotlenke, hva er reglene', 'nb'],
    ['fotlenka mi piper, hva gjør jeg', 'nb'],
    ['i have community service', 'en'],
    ['ankle tag rules', 'en'],
  ] as const)('Should answer "%s" about community sentences', async (text, lang) => {
    const { adapter } = await bot()
    await play(adapter, [[text, topic('practical-community-sentence').answer[lang]]])
  })

  it('Should still answer parole and the reporting duty as before', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['er prøveløslatt og har møteplikt', topic('practical-probation').answer.nb],
    ])
    const other = await bot()
    await play(other.adapter, [
      ['missed my parole meeting', topic('practical-probation').answer.en],
    ])
  })
})

describe('friomsorgen and a job', () => {
  it.each([
    ['friomsorgen vil at jeg skal ha jobb, hvor finner jeg arbeid', 'nb'],
    ['my probation officer says i must find work, where do i look', 'en'],
  ] as const)('Should read "%s" as finding work, not the reporting duty', async (text, lang) => {
    await readAs(text, 'activities-work-training', lang, ['practical-probation'])
  })
})

describe('rent owed is a debt, not housing allowance', () => {
  it.each([
    ['skylder husleie for flere måneder', 'nb'],
    ['jeg skylder utleieren min husleie', 'nb'],
    ['i owe two months of rent', 'en'],
    ['behind on my rent and scared', 'en'],
  ] as const)('Should read "%s" as debt', async (text, lang) => {
    await readAs(text, 'debt-advice', lang, ['housing-bostotte'])
  })
})

describe('birth-control pills are not drugs', () => {
  it.each([
    ['trenger p-piller', 'nb'],
    ['hvor får jeg resept på p piller', 'nb'],
    ['where can i get birth control pills', 'en'],
  ] as const)('Should answer "%s" with the GP', async (text, lang) => {
    const { adapter } = await bot()
    const [reply] = await play(adapter, [[text, topic('health-fastlege').answer[lang]]])
    expect(reply).not.toContain(topic('health-drugs').answer[lang])
  })

  it('Should still read pills as drugs', async () => {
    await readAs('sliter med piller og vil slutte', 'health-drugs', 'nb', ['health-fastlege'])
  })
})

describe('leave from prison, and money alone: a choice, not a guess', () => {
  it.each([
    ['permis', 'nb', 'Mente du:'],
    ['søke permisjon', 'nb', 'Mente du:'],
    ['prison leave', 'en', 'Did you mean:'],
  ] as const)('Should offer a choice for "%s"', async (text, lang, choice) => {
    const { adapter } = await bot()
    await play(adapter, [
      [
        text,
        [
          choice,
          title('practical-release-day', lang),
          title('practical-probation', lang),
          title('practical-legal-help', lang),
        ],
      ],
    ])
  })

  it.each([
    ['penger', 'nb', 'Mente du:'],
    ['trenger penger', 'nb', 'Mente du:'],
    ['money', 'en', 'Did you mean:'],
  ] as const)('Should offer a choice for "%s"', async (text, lang, choice) => {
    const { adapter } = await bot()
    await play(adapter, [
      [
        text,
        [
          choice,
          title('nav-nodhjelp', lang),
          title('nav-sosialhjelp', lang),
          title('debt-advice', lang),
        ],
      ],
    ])
  })

  it('Should answer a need said with money in it as before', async () => {
    const { adapter } = await bot()
    await play(adapter, [['har ikke penger til mat i dag', topic('nav-nodhjelp').answer.nb]])
  })

  it('Should answer the number of a choice with its topic', async () => {
    const { adapter } = await bot()
    await play(adapter, [
      ['money', 'Did you mean:'],
      ['2', topic('nav-sosialhjelp').answer.en],
    ])
  })
})
