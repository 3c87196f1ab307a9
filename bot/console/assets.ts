/**
 * @module bot/console/assets
 * The console's stylesheet and its one small script, served as files so the Content Security
 * Policy can forbid inline code. The script only swaps in HTML the server rendered (and escaped),
 * asks the server for SMS segment counts, and stops double submits; it holds no text of its own.
 */
import { Hono } from 'hono'

const css = `
:root{--ink:#1b1f24;--muted:#5b6470;--line:#d5d9de;--bg:#f5f6f7;--card:#fff;--brand:#0b5cad;--ok:#1e6b34;--urgent:#b00020}
*{box-sizing:border-box}
body{margin:0;font:17px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
a{color:var(--brand)}
.top{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between;padding:.6rem 1rem;background:#fff;border-bottom:1px solid var(--line)}
.brand{font-weight:700;text-decoration:none;color:var(--ink)}
.top nav{display:flex;gap:.75rem;align-items:center;flex-wrap:wrap;font-size:.95rem}.top nav form{display:flex}
main{max-width:60rem;margin:0 auto;padding:1rem}
h1{font-size:1.35rem;margin:.2rem 0 .6rem}h2{font-size:1.1rem;margin:1.2rem 0 .5rem}
.hours,.muted,.hint{color:var(--muted);font-size:.95rem}
.notice{margin:0;padding:.75rem 1rem;font-weight:600}
.notice.ok{background:#e3f3e7;color:var(--ok)}.notice.error{background:#fde8eb;color:var(--urgent)}
.sms-preview figure{margin:.5rem 0}pre.sms{white-space:pre-wrap;max-width:22rem;padding:.6rem .8rem;border-radius:.8rem;background:#eef1f5;font:inherit}
.content-form textarea,.content-form input{width:100%;max-width:40rem}table.facts td{vertical-align:top;font-size:.9rem}
.live-status{background:#fff4d6;padding:.4rem 1rem;margin:0}
ul.cards{list-style:none;margin:0;padding:0;display:grid;gap:.6rem}
.card{background:var(--card);border:1px solid var(--line);border-left:6px solid var(--line);border-radius:8px;padding:.75rem 1rem;display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:center;justify-content:space-between}
.card.urgent{border-left-color:var(--urgent)}.card.mine{border-left-color:var(--brand)}
.card .who{font-weight:700}.card .meta{color:var(--muted);font-size:.95rem}
.badge{display:inline-block;padding:.05rem .45rem;border-radius:4px;font-size:.8rem;font-weight:700;letter-spacing:.03em;background:#e8ecf0;color:var(--ink)}
.badge.urgent{background:var(--urgent);color:#fff}.badge.crisis{background:#fde8eb;color:var(--urgent)}.crisis-words{margin:.25rem 0 0;color:var(--urgent)}
.empty{padding:1rem;background:#fff;border:1px dashed var(--line);border-radius:8px;color:var(--muted)}
button,.button{font:inherit;min-height:44px;padding:.45rem 1rem;border-radius:8px;border:1px solid var(--brand);background:#fff;color:var(--brand);cursor:pointer;text-decoration:none;display:inline-flex;align-items:center}
button.primary,.button.primary{background:var(--brand);color:#fff}
button.danger{border-color:var(--urgent);color:var(--urgent)}
button.link{border:0;background:none;color:var(--brand);text-decoration:underline;min-height:auto;padding:0}
button:disabled{opacity:.5;cursor:default}
form{margin:0}form.inline{display:inline}.card form{margin:0}
.buttons{display:flex;gap:.4rem;flex-wrap:wrap;align-items:center}td select{min-width:10rem}
label{display:block;font-weight:600;margin:.4rem 0 .25rem}
textarea,select,input{font:inherit;width:100%;padding:.5rem;border:1px solid #9aa3ad;border-radius:6px;background:#fff}
textarea{min-height:6.5rem;resize:vertical}
input[type=checkbox],input[type=radio]{width:auto;margin:0}
label.check{display:flex;gap:.5rem;align-items:center;font-weight:400;cursor:pointer}label.check input{width:1.25rem;height:1.25rem}
.chat-head{display:flex;flex-wrap:wrap;gap:.25rem 1rem;align-items:baseline}
.state{padding:.6rem .9rem;border-radius:8px;background:#e8ecf0;margin:.5rem 0}
.state.ended{background:#fde8eb}
ol.messages{list-style:none;margin:0;padding:.5rem;background:#fff;border:1px solid var(--line);border-radius:8px;max-height:55vh;overflow-y:auto;display:flex;flex-direction:column;gap:.5rem}
.msg{max-width:85%;padding:.45rem .7rem;border-radius:10px;background:#eef1f4}
.msg.in{align-self:flex-start;background:#e9f0fb}.msg.out{align-self:flex-end;background:#eef6ee}.msg.out.bot{background:#f1f1f1}
.msg .from{font-size:.8rem;color:var(--muted)}.msg p{margin:.1rem 0 0;white-space:pre-wrap;overflow-wrap:anywhere}
.panel{background:#fff;border:1px solid var(--line);border-radius:8px;padding:.75rem 1rem;margin-top:1rem}
.actions{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
.row{display:flex;gap:.5rem;align-items:flex-end;flex-wrap:wrap}.row>*{flex:1 1 15rem}.row>button{flex:0 0 auto}
ul.notes{margin:.3rem 0;padding-left:1.1rem}
table{border-collapse:collapse;width:100%;background:#fff}td,th{border-bottom:1px solid var(--line);padding:.35rem .5rem;text-align:left;font-size:.95rem}
.login{max-width:24rem;margin:2rem auto;background:#fff;border:1px solid var(--line);border-radius:8px;padding:1rem 1.25rem}
.login button{margin-top:1rem;width:100%;justify-content:center}
.context{background:#fff;border:1px solid var(--line);border-left:6px solid var(--brand);border-radius:8px;padding:.5rem .9rem;font-size:.95rem;margin-bottom:1rem}
.context h2{margin:0 0 .25rem;font-size:1rem}.context p{margin:.2rem 0}.context .crisis-answer{color:var(--urgent)}
ol.before{list-style:none;margin:.35rem 0;padding:0;display:grid;gap:.2rem}
ol.before li{padding:.1rem .5rem;border-radius:6px;background:#e9f0fb;min-width:0}ol.before li.bot{background:#f1f1f1}
ol.before li.more{background:none;padding:0 .5rem}ol.before li.more>details>summary{color:var(--muted);font-size:.85rem}
ol.before summary{display:block;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;cursor:pointer}
ol.before .from{font-size:.8rem;color:var(--muted)}ol.before details p{margin:.2rem 0;white-space:pre-wrap;overflow-wrap:anywhere}
.context .checklist ul{margin:.2rem 0;padding-left:1.1rem}
.charts{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))}
.chart{margin:0;background:#fff;border:1px solid var(--line);border-radius:8px;padding:.5rem .75rem}.chart figcaption{font-weight:700;font-size:.95rem}.chart svg{width:100%;height:auto;display:block}
.scroll{overflow-x:auto}table.figures td,table.figures th{font-size:.85rem;white-space:nowrap}tr.total th{border-top:2px solid var(--ink)}
.inline-label{display:flex;gap:.4rem;align-items:center;font-weight:400;margin:0}.inline-label select{width:auto;max-width:16rem}
@media (min-width:60rem){.side{min-width:0}ol.messages{max-height:45vh}.chat{display:grid;grid-template-columns:1.4fr 1fr;gap:1.25rem;align-items:start}.chat .panel:first-child{margin-top:0}}
`

const script = `
const disableForms = (open) => {
  for (const form of document.querySelectorAll('form[data-needs-open]'))
    for (const el of form.elements) el.disabled = !open
}
let leaving = false
addEventListener('beforeunload', () => { leaving = true })
for (const live of document.querySelectorAll('[data-live]')) {
  const status = document.getElementById('live-status')
  const source = new EventSource(live.dataset.live)
  source.addEventListener('update', (event) => {
    live.innerHTML = event.data
    if (status) status.hidden = true
    const state = live.querySelector('[data-open]')
    if (state) disableForms(state.dataset.open === 'true')
    const list = live.querySelector('.messages')
    if (list) list.scrollTop = list.scrollHeight
  })
  source.addEventListener('error', () => { if (status) status.hidden = false })
  // The server ended the stream: no longer allowed to see it. A reload shows what now, unless
  // the page is already going somewhere (the form that ended it).
  source.addEventListener('end', () => { source.close(); if (!leaving) location.reload() })
}
const reply = document.querySelector('form[data-segments]')
if (reply) {
  const box = reply.querySelector('textarea')
  const out = reply.querySelector('[data-segments-out]')
  const csrf = reply.querySelector('input[name=_csrf]').value
  let pending
  box.addEventListener('input', () => {
    clearTimeout(pending)
    pending = setTimeout(async () => {
      const res = await fetch(reply.dataset.segments, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
        body: JSON.stringify({ text: box.value }),
      })
      if (res.ok) out.textContent = (await res.json()).line
    }, 200)
  })
}
document.addEventListener('submit', (event) => {
  const form = event.target
  setTimeout(() => { for (const b of form.querySelectorAll('button')) b.disabled = true })
})
`

export function assetRoutes() {
  const app = new Hono()
  app.get('/console.css', (c) => c.body(css, 200, { 'content-type': 'text/css; charset=utf-8' }))
  app.get('/console.js', (c) =>
    c.body(script, 200, { 'content-type': 'text/javascript; charset=utf-8' })
  )
  return app
}
