/**
 * @module bot/channels/web-chat-page
 * GET /chat: the official Bot Framework Web Chat, served from the installed npm package (no
 * CDN), talking to our own /directline (a WebSocket stream, polling as fallback). Norwegian or English by ?lang, then the
 * last choice (cookie), then the browser's languages. The page keeps the conversation id and
 * token in localStorage, so a returning browser resumes within the token's lifetime.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { Hono } from 'hono'
import { getCookie, setCookie } from 'hono/cookie'
import { raw } from 'hono/html'
import type { Language, Translate } from '../i18n.js'
import { clientScript, clientStyles } from './web-chat-client.js'
import { phonePattern, telOf } from './web-text.js'

export type WebChatPageDeps = {
  translate: (language: Language) => Translate
  defaultLanguage: Language
  tokenMinutes: number
  /** Where the Direct Line routes are mounted. */
  directLinePath: string
  /** The phone book (content): its numbers are links, and its first 24/7 line is named when the chat cannot start. */
  phoneBook: readonly { number: string; name: string }[]
}

const LANGUAGE_COOKIE = 'chat_lang'
const webChatLocale: Record<Language, string> = { nb: 'nb-NO', en: 'en-US' }
/** The command that switches the bot's own language, sent when the page's switch is used. */
const languageCommand: Record<Language, string> = { nb: 'NORSK', en: 'ENGLISH' }
const languageName: Record<Language, string> = { nb: 'Norsk', en: 'English' }

// Web Chat injects its styles at run time, so styles need 'unsafe-inline'; scripts do not.
const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

/** The prebuilt bundle from node_modules; the minimal one has everything this bot sends. */
function loadBundle() {
  const entry = createRequire(import.meta.url).resolve('botframework-webchat')
  const root = join(dirname(entry), '..')
  const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
    version: string
  }
  let body: Buffer | undefined
  let gzipped: Buffer | undefined
  return {
    version,
    body: () => (body ??= readFileSync(join(root, 'dist', 'webchat-minimal.js'))),
    gzipped: () =>
      (gzipped ??= gzipSync(readFileSync(join(root, 'dist', 'webchat-minimal.js')), { level: 9 })),
  }
}

/** The first supported language in an Accept-Language header, by weight. */
export function languageFromHeader(header: string | undefined): Language | undefined {
  const ranked = (header ?? '')
    .split(',')
    .map((part) => {
      const [tag = '', ...params] = part.trim().toLowerCase().split(';')
      const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean)
      return { tag, q: q === undefined ? 1 : Number(q) }
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q)
  for (const { tag } of ranked) {
    const primary = tag.split('-')[0]
    if (primary === 'nb' || primary === 'no' || primary === 'nn') return 'nb'
    if (primary === 'en') return 'en'
  }
  return undefined
}

const isLanguage = (value: string | undefined): value is Language =>
  value === 'nb' || value === 'en'

/** Routes under /chat. */
export function webChatRoutes(deps: WebChatPageDeps) {
  const app = new Hono()
  const bundle = loadBundle()
  const bundlePath = `/chat/webchat-${bundle.version}.js`

  app.get('/', (c) => {
    const asked = c.req.query('lang')
    const saved = getCookie(c, LANGUAGE_COOKIE)
    const language = isLanguage(asked)
      ? asked
      : isLanguage(saved)
        ? saved
        : (languageFromHeader(c.req.header('accept-language')) ?? deps.defaultLanguage)
    if (isLanguage(asked)) {
      setCookie(c, LANGUAGE_COOKIE, asked, { path: '/chat', sameSite: 'Lax', maxAge: 365 * 86400 })
    }
    const t = deps.translate(language)
    const config = {
      directLine: deps.directLinePath,
      locale: webChatLocale[language],
      tokenSeconds: deps.tokenMinutes * 60,
      text: {
        loading: t('webchat.loading'),
        failed: t('webchat.failed'),
        busy: t('webchat.busy'),
        retry: t('webchat.retry'),
        restarted: t('webchat.restarted'),
      },
    }
    c.header('Content-Security-Policy', contentSecurityPolicy)
    c.header('Referrer-Policy', 'no-referrer')
    c.header('X-Content-Type-Options', 'nosniff')
    c.header('Cache-Control', 'no-store')
    return c.html(
      <>
        {raw('<!DOCTYPE html>')}
        <ChatPage
          language={language}
          t={t}
          config={JSON.stringify(config)}
          bundlePath={bundlePath}
          tokenMinutes={deps.tokenMinutes}
          emergency={emergencyText(t, deps.phoneBook)}
          phones={phonePattern(deps.phoneBook.map((p) => p.number))}
        />
      </>
    )
  })

  app.get('/app.js', (c) =>
    c.body(clientScript, 200, {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'no-cache',
    })
  )

  app.get('/app.css', (c) =>
    c.body(clientStyles, 200, {
      'content-type': 'text/css; charset=utf-8',
      'cache-control': 'no-cache',
    })
  )

  // The file name carries the version, so browsers may keep it for a year.
  app.get(`/webchat-${bundle.version}.js`, (c) => {
    const headers: Record<string, string> = {
      'content-type': 'text/javascript; charset=utf-8',
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
    }
    if (/\bgzip\b/.test(c.req.header('accept-encoding') ?? '')) {
      return c.body(new Uint8Array(bundle.gzipped()), 200, {
        ...headers,
        'content-encoding': 'gzip',
      })
    }
    return c.body(new Uint8Array(bundle.body()), 200, headers)
  })

  return app
}

/** 113, 112 and the phone book's first line open day and night, for when the chat cannot start. */
function emergencyText(t: Translate, phoneBook: WebChatPageDeps['phoneBook']): string {
  const allDay = phoneBook.find((p) => /\(24\/7\)/.test(p.name))
  const line = allDay
    ? `${allDay.name.replace(/\s*\(24\/7\)\s*/, ' ').trim()} ${allDay.number}`
    : ''
  const text = t('webchat.emergency')
  return allDay ? `${text} ${t('webchat.allDay', { line })}` : text
}

/** Text with the phone numbers as tel: links. */
function Linked(props: { text: string; phones: RegExp | undefined }) {
  const { text, phones } = props
  if (!phones) return <>{text}</>
  const parts: (string | ReturnType<typeof Tel>)[] = []
  let last = 0
  for (const match of text.matchAll(phones)) {
    parts.push(text.slice(last, match.index))
    parts.push(<Tel number={match[0]} />)
    last = match.index + match[0].length
  }
  parts.push(text.slice(last))
  return <>{parts}</>
}

const Tel = (props: { number: string }) => <a href={telOf(props.number)}>{props.number}</a>

function ChatPage(props: {
  language: Language
  t: Translate
  config: string
  bundlePath: string
  tokenMinutes: number
  emergency: string
  phones: RegExp | undefined
}) {
  const { language, t } = props
  return (
    <html lang={language === 'nb' ? 'nb' : 'en'}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover" />
        <meta name="color-scheme" content="light" />
        <title>{t('webchat.title')}</title>
        <link rel="icon" href="data:," />
        <link rel="stylesheet" href="/chat/app.css" />
      </head>
      <body data-config={props.config}>
        <header class="bar">
          <h1>{t('webchat.heading')}</h1>
          <nav aria-label={t('webchat.languages')} class="languages">
            {(['nb', 'en'] as const).map((l) => (
              <a
                href={`?lang=${l}`}
                lang={l}
                hreflang={l}
                aria-current={l === language ? 'true' : undefined}
                data-command={languageCommand[l]}
              >
                {languageName[l]}
              </a>
            ))}
          </nav>
        </header>
        <main class="chat" aria-label={t('webchat.chatLabel')}>
          <p id="status" class="status" role="status">
            {t('webchat.loading')}
          </p>
          <p id="emergency" class="status emergency" hidden>
            <Linked text={props.emergency} phones={props.phones} />
          </p>
          <p id="restarted" class="status" role="status" hidden></p>
          <div id="webchat" class="webchat"></div>
          <noscript>
            <p class="status">{t('webchat.noscript')}</p>
          </noscript>
        </main>
        <footer class="notice">
          <p>{t('webchat.notice', { minutes: props.tokenMinutes })}</p>
          <button id="new-chat" type="button" class="new-chat">
            {t('webchat.newChat')}
          </button>
        </footer>
        <script src={props.bundlePath} defer></script>
        <script src="/chat/app.js" defer></script>
      </body>
    </html>
  )
}
