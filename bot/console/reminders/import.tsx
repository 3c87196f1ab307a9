/**
 * @module bot/console/reminders/import
 * Importing people from CSV in two steps: check (every row shown, each bad one with its reasons,
 * nothing saved) and save (the valid rows, checked again). The file travels between the steps
 * in the form, so nothing half-imported is ever stored.
 */
import { Hono, type Context } from 'hono'
import type { Child } from 'hono/jsx'
import { checkImport, MAX_ROWS, saveImport, type ImportRow } from '../../reminders/csv-import.js'
import type { Reminders } from '../../reminders/service.js'
import type { ConsoleDeps, ConsoleEnv } from '../context.js'
import { Csrf, type Notice } from '../layout.js'
import { BASE, RemindersPage, remViewOf, type RemView } from './view.js'

const MAX_BYTES = 1_000_000

function UploadForm(props: { rv: RemView }) {
  const { rv } = props
  const r = rv.r
  return (
    <form method="post" action={`${BASE}/import/check`} enctype="multipart/form-data" class="panel">
      <Csrf v={rv} />
      <p>{r('console.import.intro', { max: MAX_ROWS })}</p>
      <pre class="example">{r('console.import.example')}</pre>
      <label for="csv-file">{r('console.import.file')}</label>
      <input id="csv-file" name="file" type="file" accept=".csv,text/csv,text/plain" />
      <label for="csv-text">{r('console.import.paste')}</label>
      <textarea id="csv-text" name="csv" rows={6}></textarea>
      <button class="primary" type="submit">
        {r('console.import.check')}
      </button>
    </form>
  )
}

function RowStatus(props: { rv: RemView; row: ImportRow }) {
  const { rv, row } = props
  const r = rv.r
  if (row.errors.length) {
    return (
      <ul class="plain errors">
        {row.errors.map((e) => (
          <li>{r(`console.import.error.${e}`)}</li>
        ))}
      </ul>
    )
  }
  return <span>{r(row.existingId ? 'console.import.update' : 'console.import.new')}</span>
}

function Preview(props: { rv: RemView; csv: string; rows: ImportRow[] }) {
  const { rv, rows } = props
  const r = rv.r
  const good = rows.filter((row) => row.errors.length === 0)
  const bad = rows.length - good.length
  return (
    <div>
      <p class={`notice ${bad ? 'error' : 'ok'}`} role="status">
        {r('console.import.summary', { rows: rows.length, good: good.length, bad })}
      </p>
      <table class="import">
        <thead>
          <tr>
            <th>{r('console.import.line')}</th>
            <th>{r('console.person.name')}</th>
            <th>{r('console.person.phone')}</th>
            <th>{r('console.person.language')}</th>
            <th>{r('console.person.groups')}</th>
            <th>{r('console.person.consent')}</th>
            <th>{r('console.import.result')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr class={row.errors.length ? 'bad' : ''}>
              <td>{row.line}</td>
              <td>{row.input?.name ?? row.raw.name}</td>
              <td>{row.input ? (row.input.phone ?? '') : row.raw.phone}</td>
              <td>{row.input ? r(`console.language.${row.input.language}`) : row.raw.language}</td>
              <td>{row.input?.groups.join(', ') ?? row.raw.groups}</td>
              <td>{row.input ? r(`console.consent.${row.input.consent}`) : row.raw.consent}</td>
              <td>
                <RowStatus rv={rv} row={row} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={`${BASE}/import/save`} class="panel">
        <Csrf v={rv} />
        <textarea name="csv" hidden>
          {props.csv}
        </textarea>
        <p class="hint">{r('console.import.nothingSaved')}</p>
        <button class="primary" type="submit" disabled={good.length === 0}>
          {r('console.import.save', { count: good.length })}
        </button>{' '}
        <a href={`${BASE}/import`}>{r('console.import.again')}</a>
      </form>
    </div>
  )
}

/** The CSV from the upload, or from the text box. */
async function csvOf(c: Context<ConsoleEnv>): Promise<string | undefined> {
  const form = await c.req.parseBody()
  const file = form.file
  if (file instanceof File && file.size > 0) {
    return file.size > MAX_BYTES ? undefined : await file.text()
  }
  const text = typeof form.csv === 'string' ? form.csv : ''
  return text.length > MAX_BYTES ? undefined : text
}

export function importRoutes(deps: ConsoleDeps, reminders: Reminders) {
  const app = new Hono<ConsoleEnv>()
  const page = (
    c: Context<ConsoleEnv>,
    rv: RemView,
    body: Child,
    notice?: Notice,
    status: 200 | 400 = 200
  ) =>
    c.html(
      <RemindersPage rv={rv} title={rv.r('console.import.title')} notice={notice}>
        <h1>{rv.r('console.import.title')}</h1>
        {body}
      </RemindersPage>,
      status
    )
  const language = () => deps.desk.settings.staffLanguage

  app.get('/', (c) => {
    const rv = remViewOf(c, deps, reminders)
    return page(c, rv, <UploadForm rv={rv} />)
  })
  app.post('/check', async (c) => {
    const rv = remViewOf(c, deps, reminders)
    const csv = await csvOf(c)
    const result = csv === undefined ? undefined : checkImport(deps.store, csv, language())
    if (!result?.ok) {
      const code = result?.error ?? 'too-big'
      const text = rv.r(`console.import.file-error.${code}`, {
        detail: result && !result.ok ? (result.detail ?? '') : '',
      })
      return page(c, rv, <UploadForm rv={rv} />, { kind: 'error', text }, 400)
    }
    return page(c, rv, <Preview rv={rv} csv={csv!} rows={result.rows} />)
  })
  app.post('/save', async (c) => {
    const rv = remViewOf(c, deps, reminders)
    const csv = await csvOf(c)
    const result = csv === undefined ? undefined : checkImport(deps.store, csv, language())
    if (!result?.ok)
      return page(
        c,
        rv,
        <UploadForm rv={rv} />,
        { kind: 'error', text: rv.r('console.import.file-error.parse', { detail: '' }) },
        400
      )
    const saved = await reminders.commit(() =>
      saveImport(deps.store, result, {
        now: rv.now,
        by: rv.staff.id,
        newId: () => reminders.newId('per'),
      })
    )
    deps.desk.audit.append({
      at: rv.now.toISOString(),
      actor: rv.staff.id,
      action: 'reminders.import',
      detail: `${saved} rows`,
    })
    await deps.desk.audit.flush()
    return c.redirect(`${BASE}/people?done=imported&n=${saved}`, 303)
  })
  return app
}
