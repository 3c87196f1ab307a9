/**
 * @module content/check-crisis
 * The crisis layer's content checks: the patterns compile, each kind's check and acknowledgement
 * are plain SMS with sourced numbers, each emergency answer fits the SMS budget as whole texts
 * together with every notice that may follow it, and the list of real words is up to date.
 */
import { createI18n, type Language } from '../bot/i18n.js'
import { createCrisisDetector, crisisPatternWords } from '../dialogs/crisis.js'
import { handoffNotice } from '../dialogs/handoff-notice.js'
import type { Availability } from '../dialogs/scope.js'
import { checkNumbers, checkSms } from './check-text.js'
import { modelFingerprint } from './crisis-build.js'
import type { Knowledge } from './load.js'
import { languages } from './schema.js'

const translate = createI18n()

export function checkCrisis(knowledge: Knowledge): string[] {
  const errors: string[] = []
  try {
    createCrisisDetector({ ...knowledge.crisis, realWords: [] })
  } catch (error) {
    errors.push(`content/crisis: ${(error as Error).message}`)
  }
  for (const kind of knowledge.crisis.kinds) {
    const topic = knowledge.topics.get(kind.topic)!
    for (const lang of languages) {
      for (const field of ['check', 'ack'] as const) {
        const where = `crisis/${kind.kind}.json: ${field}.${lang}`
        errors.push(...checkSms(kind[field][lang], where))
        errors.push(...checkNumbers(kind[field][lang], where, topic, knowledge.phoneBook))
      }
      for (const notice of notices(lang)) {
        const where = `${knowledge.files.get(topic.id)}: answer.${lang} followed by "${notice}"`
        errors.push(...checkSms(`${topic.answer[lang]}\n\n${notice}`, where))
      }
    }
  }
  const { words, prefixes } = crisisPatternWords(knowledge.crisis)
  const current = [...words, ...prefixes.map((p) => `${p}*`)].sort()
  if (current.join(' ') !== [...knowledge.crisis.realWords.crisisWords].sort().join(' '))
    errors.push('content/crisis/real-words.json is out of date: run npm run crisis:build')
  if (knowledge.crisis.model?.trainedOn !== modelFingerprint())
    errors.push('content/crisis/model.json is missing or out of date: run npm run crisis:build')
  return errors
}

/** Every notice that may follow an emergency answer, the longest date included. */
function notices(lang: Language): string[] {
  const t = translate(lang)
  const at = new Date('2026-08-31T22:00:00Z')
  const later: Availability = {
    at,
    open: false,
    next: new Date('2026-09-10T07:00:00Z'),
    zone: 'Europe/Oslo',
  }
  return [
    handoffNotice(t, lang, { at, open: true, zone: 'Europe/Oslo' }, 'crisis'),
    handoffNotice(t, lang, later, 'crisis'),
    handoffNotice(t, lang, { at, open: false, zone: 'Europe/Oslo' }, 'crisis'),
  ]
}
