/**
 * @module bot/i18n
 * i18next with the JSON namespaces in locales/. Keys are typed from the Norwegian files, and a
 * test checks that English has exactly the same keys.
 */
import i18next, { type TFunction } from 'i18next'
import nbCommon from '../locales/nb/common.json' with { type: 'json' }
import enCommon from '../locales/en/common.json' with { type: 'json' }

export type Language = 'nb' | 'en'
export const resources = {
  nb: { common: nbCommon },
  en: { common: enCommon },
} as const

declare module 'i18next' {
  interface CustomTypeOptions {
    defaultNS: 'common'
    resources: (typeof resources)['nb']
  }
}

export type Translate = TFunction<'common'>

/** One i18next instance for the process; returns `t` fixed to a language. */
export function createI18n(): (language: Language) => Translate {
  const instance = i18next.createInstance()
  void instance.init({
    resources,
    lng: 'nb',
    fallbackLng: 'nb',
    supportedLngs: ['nb', 'en'],
    defaultNS: 'common',
    ns: ['common'],
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  })
  return (language) => instance.getFixedT(language, 'common')
}
