/**
 * @module content/check
 * `npm run content:check`: validates every content file and the rules a schema cannot express:
 * SMS answers within the segment budget, GSM-7 only, every phone number written exactly as its
 * source writes it (and that source cited); warns about verified sources not re-read within 12
 * months and about answers hard to read (LIX, content/readability.ts); counts the verified facts
 * and lists the unverified ones (content/verification.ts; --all lists every fact not read live).
 */
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { segmentsFor } from '../bot/channels/sms-text.js'
import { createI18n, resources } from '../bot/i18n.js'
import { commandsFile } from './commands.js'
import {
  ContentError,
  contentDir,
  loadKnowledge,
  parseFile,
  topicsOf,
  type Knowledge,
} from './load.js'
import { checkCrisis } from './check-crisis.js'
import { loadTemplate } from './local-profile.js'
import { examplesCurrent } from './learn-build.js'
import { checkNumbers, checkSms, checkTopic, maxSegments } from './check-text.js'
import { lix } from './readability.js'
import { checkReservedWords, localeStrings } from './reserved-words.js'
import { LocalContent, Topic, languages, verifiedReadings, type PhoneNumber } from './schema.js'
import {
  factLine,
  verificationReport,
  verificationSummary,
  type VerificationReport,
} from './verification.js'

export type CheckResult = { errors: string[]; warnings: string[]; facts: VerificationReport }

const staleAfterDays = 365
const translate = createI18n()

/** Checks content in `dir` (and local files), as of `now`. */
export function checkContent(
  dir = contentDir,
  now = new Date(),
  localFiles = localExamples(dir)
): CheckResult {
  const errors: string[] = []
  const warnings: string[] = []
  const facts: VerificationReport = { total: 0, verified: [], copies: [], unverified: [] }
  for (const name of readdirSync(join(dir, 'topics')).filter((f) => f.endsWith('.json'))) {
    try {
      parseFile(Topic, join(dir, 'topics', name))
    } catch (error) {
      errors.push((error as Error).message)
    }
  }
  try {
    commandsFile(dir)
  } catch (error) {
    errors.push((error as Error).message)
  }
  try {
    loadTemplate(dir)
  } catch (error) {
    errors.push(`local-template.json: ${(error as Error).message.slice(0, 300)}`)
  }
  for (const local of [undefined, ...localFiles]) {
    let knowledge: Knowledge
    try {
      if (local) parseFile(LocalContent, local)
      knowledge = loadKnowledge(local, dir)
    } catch (error) {
      if (!(error instanceof ContentError)) throw error
      if (!errors.includes(error.message)) errors.push(error.message)
      continue
    }
    const seen = new Set<string>()
    for (const topic of knowledge.topics.values()) {
      const where = knowledge.files.get(topic.id) ?? topic.id
      if (seen.has(where + topic.id) || (local && where !== local)) continue
      seen.add(where + topic.id)
      errors.push(...checkTopic(topic, where, knowledge.phoneBook))
      warnings.push(...staleSources(topic, where, now), ...hardToRead(topic, where))
    }
    if (!local) {
      errors.push(
        ...checkMenus(knowledge),
        ...checkConversation(knowledge),
        ...checkCommandReplies(knowledge),
        ...checkCrisis(knowledge),
        ...reservedWords(knowledge)
      )
      // A warning, not an error: the matcher still works, only its figures are not the measured ones.
      if (!examplesCurrent(knowledge))
        warnings.push(
          'content/learned/examples.json is missing or out of date with test/corpus: run npm run learn:build'
        )
    } else errors.push(...reservedWords(knowledge, local))
    const report = verificationReport(knowledge)
    const own = (f: { file: string }) => (local ? f.file === local : true)
    facts.verified.push(...report.verified.filter(own))
    facts.copies.push(...report.copies.filter(own))
    facts.unverified.push(...report.unverified.filter(own))
  }
  facts.total = facts.verified.length + facts.copies.length + facts.unverified.length
  return { errors: [...new Set(errors)], warnings, facts }
}

/**
 * What the conversation says within the budget: the welcome a greeting gets in one SMS, the
 * closes, and "I just got out" with its numbered first days.
 */
function checkConversation(knowledge: Knowledge): string[] {
  const errors: string[] = []
  for (const lang of languages) {
    const t = translate(lang)
    if (segmentsFor(t('welcome.text')).segments > 1)
      errors.push(`locales/${lang}/common.json: welcome.text must fit one SMS`)
    for (const key of ['thanks', 'ok', 'bye', 'whichTopic'] as const)
      errors.push(...checkSms(t(`talk.${key}`), `locales/${lang}/common.json: talk.${key}`))
    const { released } = knowledge.conversation
    const checklist = knowledge.menu.find((e) => e.area === 'mapping')
    const titles = [
      ...(checklist ? [checklist.title[lang]] : []),
      ...released.topics.map((id) => knowledge.topics.get(id)!.title[lang]),
    ]
    const text = [t('talk.released'), ...titles.map((x, i) => `${i + 1} ${x}`), t('area.back')]
    errors.push(...checkSms(text.join('\n'), `conversation.json: the released reply in ${lang}`))
    for (const { now, later } of knowledge.conversation.nowOrLater) {
      const first = knowledge.topics.get(now)!.answer[lang]
      const next = t('talk.later', { title: knowledge.topics.get(later)!.title[lang] })
      errors.push(
        ...checkSms(`${first}\n${next}`, `conversation.json: ${now} then ${later} in ${lang}`)
      )
    }
  }
  return errors
}

/**
 * The commands' own replies in the budget: HJELP's words with the menu's entries, the language
 * switch and the main menu, the privacy text and the opt-out replies.
 */
function checkCommandReplies(knowledge: Knowledge): string[] {
  const errors: string[] = []
  for (const lang of languages) {
    const t = translate(lang)
    const entries = knowledge.menu.map((e, i) => `${i + 1} ${e.title[lang]}`)
    const menu = [t('menu.title'), ...entries, t('menu.footer')].join('\n')
    const where = `locales/${lang}/common.json`
    errors.push(
      ...checkSms([t('help.text'), ...entries].join('\n'), `${where}: help.text with the menu`)
    )
    errors.push(
      ...checkSms(`${t('language.switched')}\n${menu}`, `${where}: language.switched with the menu`)
    )
    errors.push(...checkSms(t('privacy.text', { days: 365 }), `${where}: privacy.text`))
    for (const key of ['stopped', 'started', 'wrongNumber'] as const)
      errors.push(...checkSms(t(`optOut.${key}`), `${where}: optOut.${key}`))
  }
  return errors
}

/**
 * No text asks anyone to send a word Twilio takes as an opt-out (STOP, END, CANCEL...) for
 * anything but stopping messages: topics, crisis texts, the checklist, menus and the locales.
 */
function reservedWords(knowledge: Knowledge, local?: string): string[] {
  const texts: [string, string][] = []
  for (const topic of knowledge.topics.values()) {
    const where = knowledge.files.get(topic.id) ?? topic.id
    if (local && where !== local) continue
    for (const lang of languages) {
      texts.push([`${where}: answer.${lang}`, topic.answer[lang]])
      if (topic.more) texts.push([`${where}: more.${lang}`, topic.more[lang]])
    }
  }
  if (!local) {
    for (const lang of languages) {
      for (const kind of knowledge.crisis.kinds) {
        texts.push([`crisis/${kind.kind}.json: check.${lang}`, kind.check[lang]])
        texts.push([`crisis/${kind.kind}.json: ack.${lang}`, kind.ack[lang]])
      }
      for (const q of knowledge.mapping.questions) {
        texts.push([`mapping.json: ${q.id}.${lang}`, q.question[lang]])
        for (const o of q.options)
          texts.push([`mapping.json: ${q.id}.${o.id}.${lang}`, o.title[lang]])
      }
      for (const entry of knowledge.menu)
        texts.push([`menu.json: ${entry.area}.${lang}`, entry.title[lang]])
      for (const [ns, strings] of Object.entries(resources[lang])) {
        for (const [key, text] of localeStrings(strings))
          texts.push([`locales/${lang}/${ns}.json: ${key}`, text])
      }
    }
  }
  return texts.flatMap(([where, text]) => checkReservedWords(text, where))
}

/** Plain language for readers who find text hard: LIX above this is a newspaper's level. */
const maxLix = 45

function hardToRead(topic: Topic, where: string): string[] {
  const warnings: string[] = []
  for (const lang of languages) {
    for (const field of ['answer', 'more'] as const) {
      const text = topic[field]?.[lang]
      const score = Math.round(text ? lix(text) : 0)
      if (score > maxLix) {
        warnings.push(
          `${where}: ${field}.${lang} is hard to read (LIX ${score}, aim for ${maxLix} or less): use shorter sentences and shorter words`
        )
      }
    }
  }
  return warnings
}

/** A verified source read more than a year ago needs reading again. */
function staleSources(topic: Topic, where: string, now: Date): string[] {
  return topic.sources
    .filter((s) => verifiedReadings.includes(s.verified) && s.checked)
    .filter((s) => (now.getTime() - Date.parse(s.checked!)) / 86_400_000 > staleAfterDays)
    .map((s) => `${where}: source ${s.url} was last checked ${s.checked}, more than 12 months ago`)
}

function checkMenus(knowledge: Knowledge): string[] {
  const errors: string[] = []
  for (const lang of languages) {
    const t = translate(lang)
    const numbered = (titles: string[]) => titles.map((title, i) => `${i + 1} ${title}`)
    const main = [
      t('menu.title'),
      ...numbered(knowledge.menu.map((e) => e.title[lang])),
      t('menu.footer'),
    ].join('\n')
    if (segmentsFor(main).segments > maxSegments)
      errors.push(`menu.json: the main menu in ${lang} needs more than ${maxSegments} segments`)
    for (const entry of knowledge.menu.filter((e) => e.area !== 'human' && e.area !== 'mapping')) {
      const topics = topicsOf(knowledge, entry)
      if (topics.length === 0) errors.push(`menu.json: ${entry.area} has no topics`)
      const text = [
        t('area.title', { area: entry.title[lang] }),
        ...numbered(topics.map((x) => x.title[lang])),
        t('area.back'),
      ].join('\n')
      const { segments } = segmentsFor(text)
      if (segments > maxSegments)
        errors.push(
          `menu.json: the ${entry.area} menu in ${lang} needs ${segments} segments; list fewer topics under it`
        )
    }
  }
  return errors
}

function localExamples(dir: string): string[] {
  const local = join(dir, 'local')
  const files = existsSync(local)
    ? readdirSync(local)
        .filter((f) => f.endsWith('.json'))
        .map((f) => join(local, f))
    : []
  const configured = process.env.LOCAL_CONTENT
  return configured && !files.includes(configured) ? [...files, configured] : files
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { errors, warnings, facts } = checkContent()
  for (const w of warnings) process.stdout.write(`warning: ${w}\n`)
  process.stdout.write(`${verificationSummary(facts)}\n`)
  if (facts.unverified.length) process.stdout.write('unverified (topic: "claim" - source):\n')
  for (const f of facts.unverified) process.stdout.write(`  ${factLine(f)}\n`)
  // --all: the whole list to check on the live pages before launch.
  if (process.argv.includes('--all')) {
    process.stdout.write('read only in a stored or secondary copy (check live before launch):\n')
    for (const f of facts.copies) process.stdout.write(`  ${factLine(f)}\n`)
  }
  for (const e of errors) process.stdout.write(`error: ${e}\n`)
  process.stdout.write(`content:check: ${errors.length} errors, ${warnings.length} warnings\n`)
  process.exit(errors.length ? 1 : 0)
}
