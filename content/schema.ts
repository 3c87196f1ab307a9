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

/**
 * How a source's claim was verified: `live` (read on the live page, on `checked`), `own` (the
 * organisation's own details, confirmed by it on `checked`), `stored-copy` (the page itself, but
 * read only in a stored copy), `secondary` (a page repeating the rule, or an old page),
 * `unverified` (not read at all) or `not-found` (searched for, no source found).
 */
export const verifications = [
  'live',
  'own',
  'stored-copy',
  'secondary',
  'unverified',
  'not-found',
] as const
export const Verification = z.enum(verifications)
export type Verification = z.infer<typeof Verification>
/** Verified: read on the live page, or the organisation's own details. */
export const verifiedReadings: readonly Verification[] = ['live', 'own']
/** Read, but not on the live page: must be checked live before launch. */
export const copyReadings: readonly Verification[] = ['stored-copy', 'secondary']

export const Source = z
  .object({
    title: text.describe('Who says it: the organisation and page'),
    url: z.url().optional().describe('Where it can be read; without one, name the `document`'),
    document: text
      .optional()
      .describe(
        "A document with no public address (the organisations' own, in shared/reference/seeds)"
      ),
    claim: text.describe('What the answer takes from this source, in a few words'),
    verified: Verification.describe('How the claim was verified'),
    checked: z.iso
      .date()
      .optional()
      .describe('The day it was read on the live page (or confirmed by the organisation)'),
    note: text
      .optional()
      .describe('Where and how it was read: "stored copy", "facts.md 5.11: Wikipedia only"'),
    facts: z
      .array(z.string().regex(/^\d+\.\d+$/))
      .optional()
      .describe('Row numbers in shared/reference/facts.md this answer rests on'),
  })
  .strict()
  .refine((s) => !!(s.url || s.document), {
    message: 'a source needs a url or the name of a document',
    path: ['url'],
  })
  .refine((s) => (verifiedReadings.includes(s.verified) ? !!s.checked : !s.checked), {
    message:
      'a checked date means read on the live page (or confirmed by the organisation) that day: give it with verified "live" or "own", and only then',
    path: ['checked'],
  })
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
    ask: z
      .object({ how: Bilingual, where: Bilingual, cost: Bilingual, who: Bilingual })
      .partial()
      .strict()
      .optional()
      .describe(
        'Answers to a follow-up about this topic ("hvordan søker jeg", "hva koster det"), from its sources'
      ),
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

/**
 * A command said in plain words: a word of each group somewhere in a message that names no
 * topic ("kan jeg snakke med et ekte menneske": a word for a person and one for talking), and
 * none of the words of `not`.
 */
export const CommandRule = z
  .object({
    all: z.array(z.array(text).min(1)).min(2),
    not: z.array(text).default([]),
    ask: z
      .boolean()
      .default(false)
      .describe('Ask "did you mean" before acting (STOPP in plain words may mean something else)'),
  })
  .strict()
export type CommandRule = z.infer<typeof CommandRule>

/** Command words, in both languages at once: a command works whatever language is set. */
export const Commands = z
  .object({
    commands: z.record(
      CommandName,
      z
        .object({
          words: z.array(text).default([]),
          phrases: z.array(text).default([]),
          rules: z.array(CommandRule).default([]),
        })
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

/** The kinds of follow-up read against the topic just answered. */
export const followUps = ['how', 'where', 'cost', 'who'] as const
export type FollowUp = (typeof followUps)[number]

/**
 * The conversation around the topics (content/conversation.json): greetings, thanks, goodbyes,
 * "I just got out", and follow-ups to the last answer. Phrases are words in order, compared like
 * command words (folded, a typo in longer words); `filler` words may stand around them.
 */
export const Conversation = z
  .object({
    greeting: BilingualList,
    thanks: BilingualList,
    ok: BilingualList,
    bye: BilingualList,
    released: z
      .object({
        phrases: BilingualList,
        topics: z
          .array(z.string())
          .min(1)
          .describe('First-days topics offered after the checklist, in order'),
        topic: z.string().describe('The topic a message that only says "I got out" matches'),
        whatNow: BilingualList.default({ nb: [], en: [] }).describe(
          'A "what now" that, said alone, gets the same checklist and first days ("ka gjør æ no")'
        ),
      })
      .strict(),
    nowOrLater: z
      .array(
        z
          .object({
            phrases: BilingualList,
            unless: BilingualList.describe('Words that say which one is meant ("i natt", "fast")'),
            now: z.string().describe('The topic answered first: what to do today'),
            later: z.string().describe('The longer term, offered after it'),
          })
          .strict()
      )
      .default([])
      .describe('Needs that may be tonight or the longer term ("har ikke noe sted å bo")'),
    choices: z
      .array(
        z
          .object({
            phrases: BilingualList.describe(
              'Whole messages, read without stopwords ("penger", "trenger penger", "permis")'
            ),
            topics: z.array(z.string()).min(2).max(3).describe('The topics offered, in order'),
          })
          .strict()
      )
      .default([])
      .describe(
        'A message that names a need and nothing more, where one answer would often be the wrong one: a "did you mean" between these topics'
      ),
    followUps: z
      .object({ how: BilingualList, where: BilingualList, cost: BilingualList, who: BilingualList })
      .strict(),
    filler: z.array(text).describe('Words that may stand around a phrase ("ok men", "da", "nå")'),
    appointment: BilingualList.describe(
      'Words that make a text right after a reminder about the appointment ("syk", "flytte", "i morgen")'
    ),
  })
  .strict()
export type Conversation = z.infer<typeof Conversation>

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

/** The kinds of danger the crisis layer tells apart, most urgent first: the first found answers. */
export const crisisKinds = ['overdose', 'suicide', 'sexual-violence', 'violence'] as const
export const CrisisKind = z.enum(crisisKinds)
export type CrisisKind = z.infer<typeof CrisisKind>

/**
 * Crisis patterns: words separated by spaces, each matching one word of a message (folded, so
 * "slått" and "slatt" are the same). `a|b` is either word, `ord*` any word starting with "ord",
 * `@name` a word class from words.json, `..` up to 3 other words, `...` up to 8. Neighbouring words
 * may have one filler word ("bare", "really") between them; a skipped word is never a negation.
 */
const Patterns = z.object({ nb: z.array(text), en: z.array(text) }).strict()

/**
 * One sign of danger: patterns that all mean the same thing ("a farewell", "a method"), and how
 * much it weighs. A kind's signs add up, each counted once: 2 or more is clear danger (the
 * emergency answer and an urgent chat), 1 or more a possible signal (a short check). So a strong
 * sign (2) is enough alone, and two different medium signs (1 + 1) are enough together.
 */
export const CrisisSign = z
  .object({
    sign: z
      .string()
      .regex(/^[a-z-]+$/)
      .describe('What the patterns show, for staff and authors'),
    weight: z.union([z.literal(0.5), z.literal(1), z.literal(2)]),
    support: z
      .boolean()
      .optional()
      .describe(
        'Counts only beside another sign of its kind that is not support ("i kveld", "svarer ikke"): it can make a possible signal clear danger, never raise one alone'
      ),
    nb: z.array(text),
    en: z.array(text),
  })
  .strict()
export type CrisisSign = z.infer<typeof CrisisSign>

/** One kind of danger: its signs, what exempts a match from it, and what to say. */
export const CrisisKindFile = z
  .object({
    kind: CrisisKind,
    topic: z.string().describe('The crisis topic whose answer and sources this kind uses'),
    check: Bilingual.describe('The short question for a possible signal: names the 24/7 line'),
    ack: Bilingual.describe('What each message gets while an urgent chat waits for a person'),
    signs: z.array(CrisisSign).min(1),
    not: Patterns.default({ nb: [], en: [] }).describe(
      'Where one of these matches, the message is not of this kind (a threat to cut someone is violence)'
    ),
  })
  .strict()
export type CrisisKindFile = z.infer<typeof CrisisKindFile>

export const CrisisWords = z
  .object({
    negations: z.array(text).describe('Words a gap never skips: "vil ikke dø" is not "vil dø"'),
    never: z
      .array(text)
      .describe(
        '"aldri": a few words before a match, it puts it in doubt ("har aldri tenkt på selvmord")'
      ),
    intensifiers: z
      .array(text)
      .describe('After "aldri", a comparison, not a negation ("aldri vært så nær selvmord")'),
    fillers: z.array(text).describe('Words that may stand between two neighbouring pattern words'),
    classes: z.record(z.string().regex(/^[a-z-]+$/), z.array(text).min(1)),
    spellings: z
      .record(z.string(), z.array(text).min(1))
      .default({})
      .describe('How people spell a pattern word ("ikke": ["ikkje", "ikek"]): read as that word'),
  })
  .strict()
export type CrisisWords = z.infer<typeof CrisisWords>

/**
 * Idioms, names and everyday uses: `mask` hides their words from the patterns, `soften` makes a
 * match using their words only possible. `past` ("for ti år siden") softens a match in the same
 * sentence, `notNow` (a course, a "what if", "ikke noe som skjer nå") a whole message, unless it
 * also says `now` ("akkurat nå", "i natt").
 */
export const CrisisExclusions = z
  .object({ mask: Patterns, soften: Patterns, past: Patterns, notNow: Patterns, now: Patterns })
  .strict()
export type CrisisExclusions = z.infer<typeof CrisisExclusions>

/** Real words in either language that are one typo from a crisis word: never read as that typo. */
export const CrisisRealWords = z
  .object({
    generatedFrom: z.string(),
    crisisWords: z.array(z.string()).describe('The crisis words the list was made for'),
    words: z.array(z.string()),
  })
  .strict()
export type CrisisRealWords = z.infer<typeof CrisisRealWords>

/** What the crisis model may read besides words (dialogs/crisis-features.ts). */
export const crisisFeatureKinds = [
  'pairs',
  'stems',
  'letters',
  'classes',
  'negation',
  'spelling',
] as const

/** The crisis layer's learned second reader (dialogs/crisis-model.ts), built by npm run crisis:build. */
/** content/learned/examples.json: the labelled examples the matcher's learned reader is built from. */
export const LearnedExamples = z
  .object({
    /** Where they come from (npm run learn:build writes the corpus's train split). */
    source: z.string(),
    examples: z.array(z.object({ text: z.string().min(1), label: z.string().min(1) }).strict()),
  })
  .strict()
export type LearnedExamples = z.infer<typeof LearnedExamples>

export const CrisisModel = z
  .object({
    trainedOn: z.string(),
    threshold: z.number().min(0).max(1),
    /** Above this chance, a check with a pattern sign of the model's kind becomes clear danger. */
    raise: z.number().min(0).max(1).optional(),
    /** What the model reads besides words (dialogs/crisis-features.ts). */
    features: z.array(z.enum(crisisFeatureKinds)).optional(),
    /** The L2 strength it was trained with, chosen in folds. */
    l2: z.number().min(0).optional(),
    weights: z.record(z.string(), z.array(z.number()).length(5)),
  })
  .strict()
export type CrisisModel = z.infer<typeof CrisisModel>
