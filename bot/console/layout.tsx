/**
 * @module bot/console/layout
 * The page around every console view: the header with who is signed in, a notice line for what
 * just happened (or was refused), and the live-connection warning.
 */
import type { PropsWithChildren } from 'hono/jsx'
import type { ConsoleTranslate, Language } from '../i18n.js'
import { isLead, type ViewContext } from './view.js'

export type Notice = { kind: 'ok' | 'error'; text: string }

export function Page(
  props: PropsWithChildren<{
    t: ConsoleTranslate
    language: Language
    title: string
    v?: ViewContext
    notice?: Notice
  }>
) {
  const { t, v, notice } = props
  return (
    <html lang={props.language}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} - ${t('title')}`}</title>
        <link rel="stylesheet" href="/console/assets/console.css" />
        <script src="/console/assets/console.js" type="module"></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href="/console">
            {t('title')}
          </a>
          {v && (
            <nav>
              <a href="/console/account" title={t('nav.account')}>
                {t('nav.signedIn', { name: v.staff.username, role: t(`role.${v.staff.role}`) })}
              </a>
              <a href="/console/history">{t('nav.history')}</a>
              {isLead(v.staff) && <a href="/console/insight">{t('nav.insight')}</a>}
              {isLead(v.staff) && <a href="/console/reminders">{t('nav.reminders')}</a>}
              {isLead(v.staff) && <a href="/console/audit">{t('nav.audit')}</a>}
              {isLead(v.staff) && <a href="/console/checklists">{t('nav.checklists')}</a>}
              {isLead(v.staff) && <a href="/console/content">{t('nav.content')}</a>}
              {isLead(v.staff) && <a href="/console/privacy">{t('nav.privacy')}</a>}
              {v.staff.role === 'admin' && <a href="/console/staff">{t('nav.staff')}</a>}
              <form method="post" action="/console/logout" class="inline">
                <input type="hidden" name="_csrf" value={v.csrf} />
                <button class="link" type="submit">
                  {t('nav.logout')}
                </button>
              </form>
            </nav>
          )}
        </header>
        {notice && (
          <p class={`notice ${notice.kind}`} role={notice.kind === 'error' ? 'alert' : 'status'}>
            {notice.text}
          </p>
        )}
        <p id="live-status" class="live-status" role="status" hidden>
          {t('queue.offline')}
        </p>
        <main>{props.children}</main>
      </body>
    </html>
  )
}

/** The hidden CSRF field every console form carries. */
export function Csrf(props: { v: ViewContext }) {
  return <input type="hidden" name="_csrf" value={props.v.csrf} />
}
