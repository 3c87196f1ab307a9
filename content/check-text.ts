/**
 * @module content/check-text
 * The checks every text a participant may get by SMS must pass: GSM-7 only, within the segment
 * budget (as whole texts, with whatever is sent after them), and every phone number written as
 * its source writes it, with that source cited.
 */
import { nonGsmCharacters, segmentsFor } from '../bot/channels/sms-text.js'
import { createI18n } from '../bot/i18n.js'
import { languages, type PhoneNumber, type Topic } from './schema.js'

/** The SMS budget content is checked against (the default of SMS_MAX_SEGMENTS). */
export const maxSegments = 2

/** GSM-7 only and within the budget; `where` names the file and field in the message. */
export function checkSms(text: string, where: string): string[] {
  const errors: string[] = []
  const bad = nonGsmCharacters(text)
  if (bad.length)
    errors.push(
      `${where} has characters that are not GSM-7: ${bad.map((c) => JSON.stringify(c)).join(' ')}`
    )
  const { segments } = segmentsFor(text)
  if (segments > maxSegments)
    errors.push(`${where} needs ${segments} SMS segments with its footer (budget ${maxSegments})`)
  return errors
}

/** Each phone number must be in the phone book, written as its source writes it, and that source cited. */
export function checkNumbers(
  text: string,
  where: string,
  topic: Topic,
  phoneBook: readonly PhoneNumber[]
): string[] {
  const errors: string[] = []
  const known = new Set<string>()
  for (const entry of phoneBook) {
    const digits = entry.number.replace(/ /g, '')
    const pattern = new RegExp(
      `(?<![\\d+])(?:\\+47 ?)?${digits.split('').join('[ .-]?')}(?![\\d])`,
      'g'
    )
    for (const found of text.match(pattern) ?? []) {
      known.add(found)
      if (found !== entry.number)
        errors.push(
          `${where}: writes ${entry.name} as "${found}"; its source writes "${entry.number}"`
        )
      if (!topic.sources.some((s) => s.url === entry.url)) {
        errors.push(
          `${where}: uses ${entry.number} (${entry.name}) without citing its source ${entry.url}`
        )
      }
    }
  }
  // An amount ("248 056 kroner") is not a phone number.
  const runs = text.match(/(?<![\d])\+?\d(?:[ .-]?\d){4,}(?![\d])(?! ?(?:kr\b|kroner|NOK))/g)
  for (const run of runs ?? []) {
    if (![...known].some((k) => k.includes(run) || run.includes(k))) {
      errors.push(`${where}: "${run}" looks like a phone number that is not in phone-book.json`)
    }
  }
  return errors
}

const translate = createI18n()

/** The rules for one topic: GSM-7, segments, title length and every phone number in the phone book. */
export function checkTopic(
  topic: Topic,
  where: string,
  phoneBook: readonly PhoneNumber[]
): string[] {
  const errors: string[] = []
  for (const lang of languages) {
    const t = translate(lang)
    const hint = topic.more ? t('answer.moreHint') : t('answer.menuHint')
    const texts: [string, string][] = [
      [`answer.${lang}`, `${topic.answer[lang]}\n${hint}`],
      [`title.${lang}`, topic.title[lang]],
    ]
    if (topic.more) texts.push([`more.${lang}`, `${topic.more[lang]}\n${t('answer.menuHint')}`])
    // A follow-up's answer goes out under the topic's title, and "more" may follow it.
    for (const [ask, answer] of Object.entries(topic.ask ?? {}))
      texts.push([`ask.${ask}.${lang}`, `${topic.title[lang]}: ${answer[lang]}\n${hint}`])
    if (topic.title[lang].length > 28)
      errors.push(`${where}: title.${lang} is longer than 28 characters`)
    for (const [field, text] of texts) errors.push(...checkSms(text, `${where}: ${field}`))
    for (const field of ['answer', 'more'] as const) {
      const text = topic[field]?.[lang]
      if (text) errors.push(...checkNumbers(text, `${where}: ${field}.${lang}`, topic, phoneBook))
    }
    for (const [ask, answer] of Object.entries(topic.ask ?? {}))
      errors.push(...checkNumbers(answer[lang], `${where}: ask.${ask}.${lang}`, topic, phoneBook))
  }
  return errors
}
