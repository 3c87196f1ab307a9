/**
 * @module content/local-profile
 * Local content kept in the console instead of git: the organisation's profile (who we are,
 * contact, hours, address, the local NAV office, after-hours help, own activities) becomes topics
 * through content/local-template.json, and texts the bot did not understand can be attached to a
 * topic as phrases. Laid over the national topics (and a LOCAL_CONTENT file) like a local file,
 * and checked with the same rules as content:check.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { z } from 'zod'
import { checkTopic } from './check-text.js'
import { contentDir, type Knowledge } from './load.js'
import {
  Area,
  Bilingual,
  BilingualList,
  Lang,
  Topic,
  languages,
  type PhoneNumber,
  type Source,
} from './schema.js'

const text = z.string().trim()
const optionalBilingual = z.object({ nb: text, en: text }).strict()

/** What a coordinator fills in. Empty texts leave their topic out. */
export const OrganisationProfile = z
  .object({
    name: text.min(1),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ]{3,}[0-9]$/, 'digits and spaces only'),
    about: optionalBilingual,
    openingHours: optionalBilingual,
    address: text,
    navOffice: optionalBilingual,
    afterHours: optionalBilingual,
    activities: optionalBilingual,
    /** The organisation's own page these details can be checked against. */
    sourceUrl: z.url(),
    /** Other phone numbers the texts use, confirmed by the organisation. */
    extraNumbers: z.array(z.string().regex(/^\+?[0-9][0-9 ]{3,}[0-9]$/)).default([]),
  })
  .strict()
export type OrganisationProfile = z.infer<typeof OrganisationProfile>

/** A text the bot did not understand, attached to a topic so it is understood next time. */
export const AttachedPhrase = z
  .object({
    topicId: z.string(),
    lang: Lang,
    text: text.min(1).max(200),
    at: z.iso.datetime(),
    by: z.string(),
  })
  .strict()
export type AttachedPhrase = z.infer<typeof AttachedPhrase>

/** One saved version of the console's local content. */
export const ConsoleContent = z
  .object({
    version: z.number().int().min(1),
    at: z.iso.datetime(),
    by: z.string(),
    /** What changed, for the history list. */
    change: z.string(),
    profile: OrganisationProfile.optional(),
    phrases: z.array(AttachedPhrase).default([]),
  })
  .strict()
export type ConsoleContent = z.infer<typeof ConsoleContent>

const TemplateTopic = z
  .object({
    id: z.string(),
    area: Area,
    needs: z.array(z.string()).min(1),
    title: Bilingual,
    keywords: BilingualList,
    phrases: BilingualList,
    answer: Bilingual,
    more: Bilingual.optional(),
    related: z.array(z.string()).default([]),
  })
  .strict()
export const LocalTemplate = z.object({ topics: z.array(TemplateTopic) }).strict()
export type LocalTemplate = z.infer<typeof LocalTemplate>

export function loadTemplate(dir = contentDir): LocalTemplate {
  return LocalTemplate.parse(JSON.parse(readFileSync(join(dir, 'local-template.json'), 'utf8')))
}

/** Where console content shows up in error messages and the fact list. */
export const consoleFile = 'console (local content)'

type Field = Exclude<keyof OrganisationProfile, 'sourceUrl' | 'extraNumbers'>

function fieldText(profile: OrganisationProfile, field: string, lang: 'nb' | 'en'): string {
  const value = profile[field as Field] as string | { nb: string; en: string } | undefined
  if (value === undefined) return ''
  return typeof value === 'string' ? value : value[lang]
}

/** "{name}: {about} Ring oss på {phone}." with the profile's values, empty parts left out. */
function fill(template: string, profile: OrganisationProfile, lang: 'nb' | 'en'): string {
  return template
    .replace(/\{(\w+)\}/g, (_, field: string) => fieldText(profile, field, lang))
    .replace(/Adresse: \.|Address: \./g, '')
    .replace(/ {2,}/g, ' ')
    .replace(/ ([.:])/g, '$1')
    .trim()
}

/** The profile's topics and phone book entries (only topics whose fields are filled in). */
export function profileTopics(
  profile: OrganisationProfile,
  template: LocalTemplate,
  day: string
): { topics: Topic[]; phoneBook: PhoneNumber[] } {
  const source: Source = {
    title: `${profile.name}: egne opplysninger`,
    url: profile.sourceUrl,
    claim: "The organisation's own details, as entered in the console",
    verified: 'own',
    checked: day,
    note: 'Entered and confirmed by a coordinator in the console',
  }
  const topics = template.topics
    .filter((t) =>
      t.needs.every((field) => languages.every((l) => fieldText(profile, field, l).length > 0))
    )
    .map((t) =>
      Topic.parse({
        id: t.id,
        area: t.area,
        title: t.title,
        keywords: t.keywords,
        phrases: t.phrases,
        answer: { nb: fill(t.answer.nb, profile, 'nb'), en: fill(t.answer.en, profile, 'en') },
        more:
          t.more && profile.address
            ? { nb: fill(t.more.nb, profile, 'nb'), en: fill(t.more.en, profile, 'en') }
            : undefined,
        related: t.related,
        urgent: false,
        sources: [source],
      })
    )
  const phoneBook = [profile.phone, ...profile.extraNumbers].map((number) => ({
    number: number.replace(/^\+47 ?/, ''),
    name: profile.name,
    url: profile.sourceUrl,
  }))
  return { topics, phoneBook }
}

/** The knowledge with the console's content laid over it. */
export function withConsoleContent(
  base: Knowledge,
  content: ConsoleContent | undefined,
  template = loadTemplate(),
  day = new Date().toISOString().slice(0, 10)
): Knowledge {
  if (!content) return base
  const topics = new Map(base.topics)
  const files = new Map(base.files)
  const phoneBook = [...base.phoneBook]
  let organisation = base.organisation
  if (content.profile) {
    const generated = profileTopics(content.profile, template, day)
    for (const topic of generated.topics) {
      topics.set(topic.id, topic)
      files.set(topic.id, consoleFile)
    }
    phoneBook.push(...generated.phoneBook)
    organisation = {
      name: content.profile.name,
      openingHours: content.profile.openingHours,
      address: content.profile.address || undefined,
      phone: content.profile.phone,
    }
  }
  // A generated topic points only to topics that exist (an empty field makes none).
  for (const [id, file] of files) {
    if (file !== consoleFile) continue
    const topic = topics.get(id)!
    topics.set(id, { ...topic, related: topic.related.filter((r) => topics.has(r)) })
  }
  for (const phrase of content.phrases) {
    const topic = topics.get(phrase.topicId)
    if (!topic || topic.urgent) continue
    const list = topic.phrases[phrase.lang]
    if (list.includes(phrase.text)) continue
    topics.set(topic.id, {
      ...topic,
      phrases: { ...topic.phrases, [phrase.lang]: [...list, phrase.text] },
    })
  }
  return { ...base, topics, files, phoneBook, organisation }
}

/** The same checks as content:check for what the console changes: every error, in words. */
export function checkConsoleContent(
  base: Knowledge,
  content: ConsoleContent,
  template = loadTemplate()
): string[] {
  const errors: string[] = []
  const knowledge = withConsoleContent(base, content, template)
  for (const [id, file] of knowledge.files) {
    if (file !== consoleFile) continue
    const topic = knowledge.topics.get(id)!
    errors.push(...checkTopic(topic, id, knowledge.phoneBook))
    for (const related of topic.related)
      if (!knowledge.topics.has(related))
        errors.push(`${id}: related topic "${related}" is unknown`)
  }
  for (const phrase of content.phrases) {
    const topic = base.topics.get(phrase.topicId) ?? knowledge.topics.get(phrase.topicId)
    if (!topic) errors.push(`"${phrase.text}": unknown topic "${phrase.topicId}"`)
    else if (topic.urgent)
      errors.push(`"${phrase.text}": crisis topics are read by the crisis layer, not by phrases`)
  }
  return errors
}
