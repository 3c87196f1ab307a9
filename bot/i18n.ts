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

/** Texts remembered per language and namespace, at most; then the memory starts again. */
const remembered = 5_000

/**
 * `t` that remembers its texts: the resources never change while the process runs, and i18next
 * copies its whole options object on every call, a good part of a menu's cost (issue 13). Only
 * calls whose options are plain strings and numbers are remembered; any other goes to i18next
 * every time.
 */
function remembering<T extends (...args: never[]) => unknown>(t: T): T {
  const texts = new Map<string, unknown>()
  return ((...args: Parameters<T>) => {
    const [key, options] = args as unknown[]
    const id = typeof key === 'string' && args.length <= 2 ? idOf(key, options) : undefined
    if (id === undefined) return t(...args)
    if (texts.has(id)) return texts.get(id)
    const text = t(...args)
    if (texts.size >= remembered) texts.clear()
    texts.set(id, text)
    return text
  }) as T
}

/** The key and its options as one string, or undefined when the options are not that simple. */
function idOf(key: string, options: unknown): string | undefined {
  if (options === undefined) return key
  if (
    !options ||
    typeof options !== 'object' ||
    Object.getPrototypeOf(options) !== Object.prototype
  )
    return undefined
  const values = Object.values(options)
  if (!values.every((v) => typeof v === 'string' || typeof v === 'number')) return undefined
  return `${key}\u0000${JSON.stringify(options)}`
}
