/**
 * @module bot/i18n
 * i18next with the JSON namespaces in locales/. Keys are typed from the Norwegian files, and a
 * test checks that English has exactly the same keys.
 */
import i18next, { type TFunction } from 'i18next'
import nbCommon from '../locales/nb/common.json' with { type: 'json' }
import enCommon from '../locales/en/common.json' with { type: 'json' }
import nbConsole from '../locales/nb/console.json' with { type: 'json' }
import enConsole from '../locales/en/console.json' with { type: 'json' }
import nbReminders from '../locales/nb/reminders.json' with { type: 'json' }
import enReminders from '../locales/en/reminders.json' with { type: 'json' }

export type Language = 'nb' | 'en'
export const resources = {
  nb: { common: nbCommon, console: nbConsole, reminders: nbReminders },
  en: { common: enCommon, console: enConsole, reminders: enReminders },
} as const

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common'
    resources: (typeof resources)['nb']
  }
}

export type Translate = TFunction<'common'>
/** Staff-facing text: the console and alert SMS to staff. */
export type ConsoleTranslate = TFunction<'console'>
/** Reminders: the SMS and replies participants get, and the console's reminder pages. */
export type RemindersTranslate = TFunction<'reminders'>

/** One i18next instance for the process; returns `t` fixed to a language. */
export function createI18n(): ((language: Language) => Translate) & {
  console: (language: Language) => ConsoleTranslate
  reminders: (language: Language) => RemindersTranslate
} {
  const instance = i18next.createInstance()
  void instance.init({
    resources,
    lng: 'nb',
    fallbackLng: 'nb',
    supportedLngs: ['nb', 'en'],
    defaultNS: 'common',
    ns: ['common', 'console', 'reminders'],
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  // One bound function per language and namespace: every turn asks for one.
  const fixed = new Map<string, unknown>()
  const bound = <T>(language: Language, ns: 'common' | 'console' | 'reminders'): T => {
    const key = `${language}:${ns}`
    if (!fixed.has(key)) fixed.set(key, remembering(instance.getFixedT(language, ns)))
    return fixed.get(key) as T
  }
  const translate = (language: Language): Translate => bound(language, 'common')
  /** The console's texts in `language`. */
  translate.console = (language: Language): ConsoleTranslate => bound(language, 'console')
  /** Reminder texts in `language`. */
  translate.reminders = (language: Language): RemindersTranslate => bound(language, 'reminders')
  return translate
}

/**
 * `t` that remembers the text of a bare key (no options, so nothing to fill in): the resources
 * never change while the process runs, and i18next's lookup cost a good part of a turn's menu
 * (issue 13). A call with options goes to i18next every time.
 */
function remembering<T extends (...args: never[]) => unknown>(t: T): T {
  const texts = new Map<string, unknown>()
  return ((...args: Parameters<T>) => {
    const key = args[0] as unknown
    if (args.length !== 1 || typeof key !== 'string') return t(...args)
    if (!texts.has(key)) texts.set(key, t(...args))
    return texts.get(key)
  }) as T
}
