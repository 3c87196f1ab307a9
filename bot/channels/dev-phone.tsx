/**
 * @module bot/channels/dev-phone
 * A basic phone in the browser for trying the bot without Twilio: what you type goes through the
 * same SMS adapter as a real text, and every reply shows its encoding and segment count.
 * Development only; off when NODE_ENV=production.
 */
import { Hono } from 'hono'
import { z } from 'zod'
import { segmentsFor } from './sms-text.js'
import type { InboundSms } from './twilio-sms.js'
import type { OutboxMessage } from '../store/schema.js'

export type DevPhoneDeps = {
  handle: (sms: InboundSms) => Promise<string[]>
  outbox: (to: string) => OutboxMessage[]
  newSid: () => string
}

const SendForm = z.object({
  from: z.string().regex(/^\+?[0-9]{3,15}$/, 'from must be a phone number'),
  body: z.string().min(1, 'body is empty').max(1600, 'body is longer than an SMS can be'),
})

const describe = (text: string) => ({ text, ...segmentsFor(text) })

export function devPhoneRoutes(deps: DevPhoneDeps) {
  const app = new Hono()

  app.get('/', (c) => c.html(<PhonePage />))
  app.get('/app.js', (c) =>
    c.body(clientScript, 200, { 'content-type': 'text/javascript; charset=utf-8' })
  )

  app.post('/send', async (c) => {
    const parsed = SendForm.safeParse(await c.req.json().catch(() => null))
    if (!parsed.success)
      return c.json({ error: parsed.error.issues.map((i) => i.message).join('; ') }, 400)
    const replies = await deps.handle({
      MessageSid: deps.newSid(),
      From: parsed.data.from,
      To: 'dev-phone',
      Body: parsed.data.body,
    })
    return c.json({ sent: describe(parsed.data.body), replies: replies.map(describe) })
  })

  app.get('/outbox', (c) => {
    const to = c.req.query('to') ?? ''
    if (!/^\+?[0-9]{3,15}$/.test(to)) return c.json({ error: 'to must be a phone number' }, 400)
    return c.json({
      messages: deps
        .outbox(to)
        .map((m) => ({ id: m.id, at: m.createdAt, state: m.state, ...describe(m.body) })),
    })
  })
  return app
}

function PhonePage() {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>Dev phone - SMS simulator</title>
        <style>{css}</style>
      </head>
      <body>
        <main class="phone" aria-label="Simulated basic phone">
          <header>
            <label>
              Your number <input id="from" value="+4700000001" inputmode="tel" autocomplete="off" />
            </label>
          </header>
          <section id="screen" class="screen" aria-live="polite" aria-label="Messages"></section>
          <form id="compose" class="compose">
            <label class="sr" for="body">
              Message
            </label>
            <textarea id="body" rows={2} placeholder="Type a text, e.g. meny" required></textarea>
            <button type="submit">Send</button>
          </form>
          <p id="counter" class="counter" aria-live="polite"></p>
        </main>
        <aside class="about">
          <h1>Dev phone</h1>
          <p>
            Texts here go through the same SMS adapter as real Twilio messages. Replies show the
            encoding and number of segments a real phone would receive. Messages sent later
            (reminders, a volunteer's reply) appear from the outbox.
          </p>
          <p>
            Try: <code>meny</code>, <code>har ikke noe sted å bo i natt</code>, <code>english</code>
            .
          </p>
        </aside>
        <script src="/dev/phone/app.js" type="module"></script>
      </body>
    </html>
  )
}

const css = `
body{font-family:system-ui,sans-serif;background:#e8e6df;margin:0;display:flex;flex-wrap:wrap;gap:2rem;justify-content:center;padding:2rem}
.phone{width:300px;background:#2b2d33;border-radius:36px;padding:28px 18px 32px;box-shadow:0 8px 24px #0004;color:#eee}
.phone header{font-size:.8rem;margin-bottom:.5rem}.phone input{width:9rem;font:inherit}
.screen{background:#b9c7a3;color:#1d2416;font-family:ui-monospace,monospace;font-size:14px;height:380px;overflow-y:auto;border-radius:6px;padding:8px;border:4px solid #111}
.msg{margin:6px 0;padding:6px 8px;border-radius:6px;white-space:pre-wrap;word-wrap:break-word}
.in{background:#dfe8cf;margin-left:30px}.out{background:#a7b68e;margin-right:30px}.later{border:2px dashed #1d2416}
.meta{display:block;font-size:11px;opacity:.75;margin-top:4px}.ucs{color:#8a0000;font-weight:bold}
.compose{display:flex;gap:6px;margin-top:10px}.compose textarea{flex:1;font:14px ui-monospace,monospace;border-radius:6px}
.compose button{font-size:1rem;border-radius:18px;padding:0 14px;background:#4caf50;color:#fff;border:0;cursor:pointer}
.counter{font-size:.75rem;min-height:1em;margin:.4rem 0 0}.about{max-width:22rem}.sr{position:absolute;left:-9999px}
`

const clientScript = `
const screen = document.getElementById('screen'), form = document.getElementById('compose')
const body = document.getElementById('body'), from = document.getElementById('from'), counter = document.getElementById('counter')
const seen = new Set()
function bubble(kind, m) {
  const div = document.createElement('div')
  div.className = 'msg ' + kind
  div.textContent = m.text
  const meta = document.createElement('span')
  meta.className = 'meta' + (m.encoding === 'UCS-2' ? ' ucs' : '')
  meta.textContent = m.encoding + ' · ' + m.segments + (m.segments === 1 ? ' segment' : ' segments') + ' · ' + m.characters + ' chars' + (kind.includes('later') ? ' · ' + m.state : '')
  div.append(meta)
  screen.append(div)
  screen.scrollTop = screen.scrollHeight
}
form.addEventListener('submit', async (e) => {
  e.preventDefault()
  const text = body.value.trim()
  if (!text) return
  body.value = ''
  const res = await fetch('/dev/phone/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ from: from.value, body: text }) })
  const data = await res.json()
  if (!res.ok) { counter.textContent = data.error; return }
  bubble('out', data.sent)
  data.replies.forEach((r) => bubble('in', r))
})
body.addEventListener('keydown', (e) => { if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit() } })
body.addEventListener('input', () => { counter.textContent = body.value.length + ' characters' })
async function poll() {
  try {
    const res = await fetch('/dev/phone/outbox?to=' + encodeURIComponent(from.value))
    if (res.ok) for (const m of (await res.json()).messages.reverse()) if (!seen.has(m.id)) { seen.add(m.id); bubble('in later', m) }
  } catch {}
  setTimeout(poll, 2000)
}
poll()
`
