/**
 * @module bot/console/reminders/style
 * The few styles the reminder pages add to the console's own stylesheet (a file, not inline:
 * the console's Content Security Policy allows no inline styles).
 */
export const remindersCss = `
.subnav{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;margin:0 0 .75rem;padding:.4rem 0;border-bottom:1px solid var(--line)}
.subnav a{font-weight:600}
.form-grid{display:grid;gap:.25rem 1.25rem;grid-template-columns:1fr}
.form-grid .wide{grid-column:1/-1}
.form-grid h2{margin:.2rem 0}
@media (min-width:44rem){.form-grid{grid-template-columns:1fr 1fr}}
input[type=checkbox],input[type=radio]{width:auto;min-width:1.2rem;min-height:1.2rem;margin:0 .4rem 0 0}
label.check{display:flex;align-items:center;font-weight:400;margin:.3rem 0;min-height:2rem}
fieldset{border:1px solid var(--line);border-radius:8px;margin:.4rem 0;padding:.4rem .9rem .6rem}
legend{font-weight:600;padding:0 .3rem}
ul.plain{list-style:none;margin:0;padding:0}
tr.cancelled td{color:var(--muted);text-decoration:line-through}
tr.bad td{background:#fde8eb}
ul.errors{color:var(--urgent);font-weight:600}
pre.sms,pre.example{white-space:pre-wrap;overflow-wrap:anywhere;background:#eef6ee;border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem;font:15px/1.4 ui-monospace,Menlo,Consolas,monospace;margin:.3rem 0}
pre.example{background:#f1f1f1}
.bodies{display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(16rem,1fr))}
.bodies h3{margin:.4rem 0 0;font-size:1rem}
.hint.bad{color:var(--urgent);font-weight:600}
.preview{border-top:1px solid var(--line);margin-top:.6rem;padding-top:.4rem}
progress{width:100%;height:1.1rem;margin:.4rem 0}
.card .grow{flex:1 1 18rem}
.badges{display:inline-flex;gap:.3rem;flex-wrap:wrap}
.badge.warn{background:#fff4d6;color:#6b4e00}
.card.reply.new-time,.card.reply.human{border-left-color:var(--urgent)}
.said{margin:.2rem 0;font-style:italic}
.search{max-width:36rem}
.notice.plain{list-style:none}
details.panel summary{cursor:pointer;font-weight:600}
@media (max-width:44rem){table{display:block;overflow-x:auto}
table.appointments,table.appointments tbody{display:block}table.appointments thead{display:none}
table.appointments tr{display:block;background:#fff;border:1px solid var(--line);border-radius:8px;margin:0 0 .6rem;padding:.4rem .2rem}
table.appointments td{display:block;border:0;padding:.15rem .6rem}table.appointments td:first-child{font-weight:700}}
`
