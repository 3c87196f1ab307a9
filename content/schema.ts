/**
 * @module content/schema
 * The shape of everything the bot knows. Topics keep both languages side by side, so a missing
 * translation is a schema error, not a silent gap.
 */
import { z } from 'zod'

export const languages = ['nb', 'en'] as const
export const Lang = z.enum(languages)
export type Lang = z.infer<typeof Lang>

export const areas = [
  'nav',
  'housing',
  'debt',
  'activities',
  'health',
  'crisis',
  'practical',
] as const
export const Area = z.enum(areas)
export type Area = z.infer<typeof Area>

const text = z.string().trim().min(1)
/** One string per language. */
export const Bilingual = z.object({ nb: text, en: text }).strict()
const wordList = z.array(text)
/** Keywords or phrases per language; a topic may lack phrases in one language but not the key. */
export const BilingualList = z.object({ nb: wordList, en: wordList }).strict()

export const Source = z
  .object({
    title: text.describe('Who says it: the organisation and page'),
    url: z.url(),
    checked: z.iso.date().describe('When this source was last checked, YYYY-MM-DD'),
    facts: z
      .array(z.string().regex(/^\d+\.\d+$/))
      .optional()
      .describe('Row numbers in shared/reference/facts.md this answer rests on'),
  })
  .strict()
export type Source = z.infer<typeof Source>

export const Topic = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'kebab-case id'),
    area: Area,
    title: Bilingual.describe('Short menu title, at most 28 characters'),
    keywords: BilingualList.describe('Single words, stems, slang and common misspellings'),
    phrases: BilingualList.describe('Multi-word phrases people text'),
    answer: Bilingual.describe('The SMS answer: plain, short, GSM-7 only'),
    more: Bilingual.optional().describe('Follow-up shown when the participant replies 1'),
    related: z.array(z.string()).default([]),
    urgent: z.boolean().default(false).describe('Crisis topics: beat everything, raise an alert'),
    sources: z.array(Source).min(1, 'every topic needs a source'),
  })
  .strict()
export type Topic = z.infer<typeof Topic>

/** A phone number as its source writes it; content must write it the same way. */
export const PhoneNumber = z
  .object({
    number: z.string().regex(/^[0-9 ]+$/),
    name: text,
    url: z.url(),
    facts: z.array(z.string()).optional(),
  })
  .strict()
export const PhoneBook = z.array(PhoneNumber)
export type PhoneNumber = z.infer<typeof PhoneNumber>

/** The deploying organisation's own file: who they are, and topics that add to or replace national ones. */
export const LocalContent = z
  .object({
    example: z.boolean().default(false).describe('true only in the shipped example'),
    organisation: z
      .object({
        name: text,
        openingHours: Bilingual,
        address: text.optional(),
        phone: z
          .string()
          .regex(/^[0-9 +]+$/)
          .optional(),
      })
      .strict(),
    phoneBook: PhoneBook.default([]),
    topics: z.array(Topic).default([]),
  })
  .strict()
export type LocalContent = z.infer<typeof LocalContent>

export const MenuEntry = z
  .object({
    area: z.union([Area, z.literal('human'), z.literal('mapping')]),
    title: Bilingual,
    topics: z
      .array(z.string())
      .optional()
      .describe('Topic ids listed when this entry is chosen, in order; default all of the area'),
  })
  .strict()
export const Menu = z.array(MenuEntry).min(1)
export type MenuEntry = z.infer<typeof MenuEntry>

export const commandNames = [
  'menu',
  'help',
  'stop',
  'start',
  'wrong-number',
  'lang-nb',
  'lang-en',
  'human',
  'delete',
  'privacy',
  'end',
  'mapping',
  'more',
] as const
export const CommandName = z.enum(commandNames)
export type CommandName = z.infer<typeof CommandName>

/** Command words, in both languages at once: a command works whatever language is set. */
export const Commands = z
  .object({
    commands: z.record(
      CommandName,
      z
        .object({ words: z.array(text).default([]), phrases: z.array(text).default([]) })
        .strict()
        .refine((c) => c.words.length + c.phrases.length > 0, 'a command needs a word or a phrase')
    ),
    filler: z.array(text).describe('Polite words that may stand beside a command ("stopp takk")'),
    stopwords: z.array(text).describe('Words that say nothing about a topic'),
    language: z
      .object({ nb: z.array(text), en: z.array(text) })
      .strict()
      .describe('Common words that tell the languages apart'),
  })
  .strict()
export type Commands = z.infer<typeof Commands>

/** The needs mapping (kartlegging): one question per area, as the Asker prison team maps them. */
export const Mapping = z
  .object({
    questions: z
      .array(
        z
          .object({
            id: z.enum(['housing', 'money', 'health', 'activity', 'network']),
            question: Bilingual,
            options: z
              .array(
                z
                  .object({
                    id: z.string(),
                    title: Bilingual,
                    suggests: z
                      .array(z.string())
                      .default([])
                      .describe('Topic ids that fit this answer'),
                  })
                  .strict()
              )
              .min(2)
              .max(5),
          })
          .strict()
      )
      .length(5),
  })
  .strict()
export type Mapping = z.infer<typeof Mapping>
