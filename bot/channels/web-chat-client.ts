/**
 * @module bot/channels/web-chat-client
 * What /chat runs in the browser, served as files so the page's CSP can forbid inline script:
 * get or resume a Direct Line session, render Web Chat over the WebSocket stream (polling where
 * a browser has none), keep the refreshed token, and switch language (the bot's, by sending its
 * command, and the page's, by reloading with ?lang). A restarted server still knows the
 * conversation (its feed is kept on disk); when it does not (its data restored from an old
 * backup, say), the page starts a new one by itself and says so; when a chat cannot start at
 * all, it shows the emergency numbers.
 */

export const clientStyles = `
*{box-sizing:border-box}
html,body{height:100%;margin:0}
body{display:flex;flex-direction:column;font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:#f4f4f1;color:#1b1b1b;min-height:100dvh;height:100dvh}
.bar{display:flex;flex-wrap:wrap;align-items:center;gap:.25rem .75rem;padding:.5rem .75rem;background:#0b3d5c;color:#fff}
.bar h1{font-size:1.05rem;margin:0;flex:1 1 auto}
.languages{display:flex;gap:.25rem}
.languages a{font-size:.95rem;color:#fff;border:1px solid #ffffffa0;border-radius:999px;padding:.3rem .8rem;text-decoration:none;min-height:44px;display:inline-flex;align-items:center}
.languages a[aria-current="true"]{background:#fff;color:#0b3d5c;font-weight:600}
a:focus-visible,button:focus-visible{outline:3px solid #ffbf47;outline-offset:2px}
.chat{flex:1 1 auto;min-height:0;display:flex;flex-direction:column;max-width:48rem;width:100%;margin:0 auto;background:#fff}
.webchat{flex:1 1 auto;min-height:0}
.status{margin:1rem;padding:.75rem;border-radius:8px;background:#fff4ce;color:#1b1b1b}
.status[hidden]{display:none}
.emergency{background:#fde8eb}.emergency a{color:#7a0016;font-weight:700}
.status button{margin-left:.5rem;font:inherit;padding:.25rem .75rem;min-height:44px}
.notice{display:flex;align-items:center;gap:.75rem;font-size:.8rem;color:#3a3a3a;padding:.35rem .75rem;max-width:48rem;width:100%;margin:0 auto}
.notice p{margin:0;flex:1}
.new-chat{font:inherit;font-size:.9rem;color:#0b3d5c;background:#fff;border:1px solid #0b3d5c;border-radius:999px;padding:.3rem .8rem;min-height:44px;cursor:pointer;white-space:nowrap}
`

export const clientScript = `(() => {
  'use strict'
  const cfg = JSON.parse(document.body.dataset.config)
  const KEY = 'reentry.webchat.v1'
  const domain = location.origin + cfg.directLine
  const status = document.getElementById('status')
  const RESTARTED = 'reentry.webchat.restarted'
  let session = null
  let directLine = null

  const load = () => {
    try {
      const s = JSON.parse(localStorage.getItem(KEY) || 'null')
      return s && s.expiresAt > Date.now() + 10000 ? s : null
    } catch { return null }
  }
  const save = () => { try { localStorage.setItem(KEY, JSON.stringify(session)) } catch {} }
  // Also drops the session in memory, or the pagehide handler would save it again.
  const forget = () => {
    session = null
    try { localStorage.removeItem(KEY) } catch {}
  }

  function show(text, retry) {
    status.hidden = false
    status.textContent = text
    if (retry) {
      const button = document.createElement('button')
      button.type = 'button'
      button.textContent = cfg.text.retry
      button.addEventListener('click', () => location.reload())
      status.append(button)
      button.focus()
    }
  }

  const post = (path, token, body) => fetch(domain + path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: 'Bearer ' + token } : {}) },
    body: JSON.stringify(body || {}),
  })

  function adopt(data, userId) {
    session = {
      conversationId: data.conversationId,
      token: data.token,
      userId: userId || session.userId,
      expiresAt: Date.now() + data.expires_in * 1000,
    }
    save()
  }

  // A resumed token may be about to expire: swap it for a fresh one before Web Chat starts.
  // A 403 means the server no longer knows it (a restart): the new conversation says so.
  async function resume(saved) {
    const res = await post('/tokens/refresh', saved.token).catch(() => null)
    if (res && res.status === 403) noteRestart()
    if (!res || !res.ok) return false
    session = saved
    adopt(await res.json())
    return true
  }

  const noteRestart = () => { try { sessionStorage.setItem(RESTARTED, '1') } catch {} }
  function sayRestarted() {
    let restarted = false
    try { restarted = sessionStorage.getItem(RESTARTED) === '1'; sessionStorage.removeItem(RESTARTED) } catch {}
    if (!restarted) return
    const note = document.getElementById('restarted')
    note.textContent = cfg.text.restarted
    note.hidden = false
  }

  // The connection was lost or refused: if the server answers that it does not know this
  // conversation, start a new one (and say so); if it does not answer, offer to try again.
  async function recover() {
    const res = session ? await post('/tokens/refresh', session.token).catch(() => null) : null
    if (res && res.status === 403) {
      noteRestart()
      forget()
      location.reload()
      return
    }
    forget()
    show(cfg.text.failed, true)
  }

  async function begin() {
    const res = await post('/tokens/generate', null, { locale: cfg.locale })
    if (!res.ok) throw new Error(res.status === 429 ? 'busy' : 'failed')
    const data = await res.json()
    adopt(data, data.userId)
  }

  // DirectLineJS refreshes its token every 15 minutes; keep the newest for the next visit.
  function remember() {
    if (!session || !directLine) return
    if (directLine.token && directLine.token !== session.token) {
      session.token = directLine.token
      session.expiresAt = Date.now() + cfg.tokenSeconds * 1000
    }
    save()
  }

  // The minimal bundle has no Markdown renderer; the bot sends only two kinds of markup (a bold
  // sender line, tel: links, see bot/channels/web-text.ts). Everything else is escaped text.
  const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c])
  const renderMarkdown = (text) => escapeHtml(text)
    .replace(/\\*\\*([^*\\n]+)\\*\\*/g, '<strong>$1</strong>')
    .replace(/\\[([0-9 \\u00a0]+)\\]\\((tel:\\+?[0-9]+)\\)/g, '<a href="$2">$1</a>')
    .split(/\\n{2,}/).map((p) => '<p>' + p.replace(/\\n/g, '<br>') + '</p>').join('')

  async function start() {
    const saved = load()
    if (!(saved && (await resume(saved)))) await begin()
    sayRestarted()
    directLine = WebChat.createDirectLine({
      domain,
      token: session.token,
      conversationId: session.conversationId,
      // Messages arrive at once over the stream; polling only where a browser has no WebSocket.
      webSocket: 'WebSocket' in window,
      pollingInterval: 1000,
      conversationStartProperties: { locale: cfg.locale },
    })
    let recovering = false
    directLine.connectionStatus$.subscribe((s) => {
      // 2 Online, 3 ExpiredToken, 4 FailedToConnect, 5 Ended
      if (s === 2) status.hidden = true
      if ((s === 3 || s === 4 || s === 5) && !recovering) { recovering = true; recover() }
    })
    WebChat.renderWebChat({
      directLine,
      userID: session.userId,
      locale: cfg.locale,
      renderMarkdown,
      styleOptions: {
        hideUploadButton: true,
        suggestedActionLayout: 'stacked',
        suggestedActionsStackedHeight: 'auto',
        suggestedActionsStackedOverflow: 'visible',
        bubbleBorderRadius: 10,
        bubbleFromUserBorderRadius: 10,
        bubbleFromUserBackground: '#dcebf7',
        bubbleMaxWidth: 520,
        accent: '#0b3d5c',
        primaryFont: 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif',
        rootHeight: '100%',
      },
    }, document.getElementById('webchat'))
    setInterval(remember, 30000)
    addEventListener('pagehide', remember)
  }

  // The switch tells the bot (its NORSK/ENGLISH command) and then reloads the page in that language.
  for (const link of document.querySelectorAll('[data-command]')) {
    link.addEventListener('click', async (event) => {
      event.preventDefault()
      if (link.getAttribute('aria-current') === 'true') return
      remember()
      if (session) {
        await post('/conversations/' + encodeURIComponent(session.conversationId) + '/activities', session.token,
          { type: 'message', text: link.dataset.command, locale: link.lang }).catch(() => null)
      }
      location.assign(link.href)
    })
  }

  document.getElementById('new-chat').addEventListener('click', () => {
    forget()
    location.reload()
  })

  // No chat at all (too many from this address, or the server is down): the numbers that help now.
  start().catch((error) => {
    show(error.message === 'busy' ? cfg.text.busy : cfg.text.failed, true)
    document.getElementById('emergency').hidden = false
  })
})()
`
