/**
 * @module bot/reminders/csv-import
 * Importing people from a spreadsheet's CSV: every row is checked and the preview names each bad
 * row and why, before anything is saved. Headers may be Norwegian or English; the delimiter may be
 * a comma or a semicolon (Norwegian Excel); a row with a known number updates that person.
 */
import { parse } from 'csv-parse/sync'
import { z } from 'zod'
import type { Store } from '../store/store.js'
import { PersonInput, personByPhone, savePerson } from './people.js'

export const MAX_ROWS = 5000

type Field = 'name' | 'phone' | 'language' | 'groups' | 'consent'

const fields: Field[] = ['name', 'phone', 'language', 'groups', 'consent']

const headers: Record<Field, string[]> = {
  name: ['navn', 'name', 'alias', 'kallenavn'],
  phone: ['telefon', 'tlf', 'mobil', 'mobilnummer', 'telefonnummer', 'phone', 'mobile', 'nummer'],
  language: ['språk', 'sprak', 'language', 'lang'],
  groups: ['grupper', 'gruppe', 'groups', 'group', 'tags', 'merkelapper'],
  consent: ['samtykke', 'consent'],
}

const languages: Record<string, 'nb' | 'en'> = {
  nb: 'nb',
  no: 'nb',
  nn: 'nb',
  norsk: 'nb',
  bokmål: 'nb',
  bokmal: 'nb',
  norwegian: 'nb',
  en: 'en',
  engelsk: 'en',
  english: 'en',
}
const consents: Record<string, 'given' | 'refused' | 'unknown'> = {
  ja: 'given',
  yes: 'given',
  j: 'given',
  y: 'given',
  x: 'given',
  '1': 'given',
  true: 'given',
  nei: 'refused',
  no: 'refused',
  n: 'refused',
  '0': 'refused',
  false: 'refused',
  ukjent: 'unknown',
  unknown: 'unknown',
  '?': 'unknown',
}

/** Why a row cannot be saved; each has a sentence in locales (reminders.import.error.*). */
export type RowError = Field | 'duplicate' | 'columns'

export type ImportRow = {
  line: number
  /** The cells as written, by field, to show a bad row as it is in the file. */
  raw: Record<Field, string>
  input?: PersonInput
  errors: RowError[]
  /** The person a row updates (same number). */
  existingId?: string
}

export type ImportResult =
  | { ok: true; rows: ImportRow[]; columns: Field[] }
  | { ok: false; error: 'empty' | 'no-name' | 'too-many' | 'parse'; detail?: string }

const Parsed = z.array(
  z.object({ record: z.array(z.string()), info: z.object({ lines: z.number() }) })
)

/** Checks a whole file; saves nothing. */
export function checkImport(
  store: Store,
  text: string,
  defaultLanguage: 'nb' | 'en'
): ImportResult {
  const firstLine = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? ''
  const delimiter = count(firstLine, ';') > count(firstLine, ',') ? ';' : ','
  let records: z.infer<typeof Parsed>
  try {
    records = Parsed.parse(
      parse(text, {
        bom: true,
        delimiter,
        info: true,
        relax_column_count: true,
        skip_empty_lines: true,
        trim: true,
      })
    )
  } catch (error) {
    return { ok: false, error: 'parse', detail: (error as Error).message.slice(0, 200) }
  }
  const [head, ...body] = records
  if (!head || body.length === 0) return { ok: false, error: 'empty' }
  if (body.length > MAX_ROWS) return { ok: false, error: 'too-many' }
  const index = columnIndex(head.record)
  if (index.name === undefined) return { ok: false, error: 'no-name' }
  const seen = new Map<string, number>()
  const rows = body.map((r) =>
    checkRow(store, r.record, r.info.lines, head.record.length, index, defaultLanguage, seen)
  )
  return {
    ok: true,
    rows,
    columns: (Object.keys(index) as Field[]).filter((f) => index[f] !== undefined),
  }
}

function checkRow(
  store: Store,
  cells: string[],
  line: number,
  width: number,
  index: Partial<Record<Field, number>>,
  defaultLanguage: 'nb' | 'en',
  seen: Map<string, number>
): ImportRow {
  const cell = (f: Field) => (index[f] === undefined ? '' : (cells[index[f]] ?? ''))
  const raw = Object.fromEntries(fields.map((f) => [f, cell(f)])) as Record<Field, string>
  const errors: RowError[] = cells.length === width ? [] : ['columns']
  const language = raw.language ? languages[raw.language.toLowerCase()] : defaultLanguage
  const consent = raw.consent ? consents[raw.consent.toLowerCase()] : 'unknown'
  if (!language) errors.push('language')
  if (!consent) errors.push('consent')
  const parsed = PersonInput.safeParse({
    ...raw,
    language: language ?? defaultLanguage,
    consent: consent ?? 'unknown',
  })
  if (!parsed.success) {
    for (const issue of parsed.error.issues) errors.push(issue.message as RowError)
    return { line, raw, errors: [...new Set(errors)] }
  }
  const phone = parsed.data.phone
  if (phone && seen.has(phone)) errors.push('duplicate')
  if (phone) seen.set(phone, line)
  const existingId = phone ? personByPhone(store, phone)?.id : undefined
  return errors.length
    ? { line, raw, errors }
    : { line, raw, errors, input: parsed.data, existingId }
}

function columnIndex(head: string[]): Partial<Record<Field, number>> {
  const index: Partial<Record<Field, number>> = {}
  head.forEach((title, i) => {
    const key = title.trim().toLowerCase()
    const field = (Object.keys(headers) as Field[]).find((f) => headers[f].includes(key))
    if (field && index[field] === undefined) index[field] = i
  })
  return index
}

const count = (text: string, char: string) => text.split(char).length - 1

/**
 * Saves the valid rows of a checked file; returns how many. A row with a known number updates
 * that person, changing only what the file has columns for (no Grupper column keeps their groups).
 */
export function saveImport(
  store: Store,
  result: Extract<ImportResult, { ok: true }>,
  context: { now: Date; by: string; newId: () => string }
): number {
  let saved = 0
  for (const row of result.rows) {
    if (!row.input) continue
    const old = row.existingId ? store.data.people[row.existingId] : undefined
    const kept = old ? { language: old.language, groups: old.groups, consent: old.consent } : {}
    const given = Object.fromEntries(result.columns.map((f) => [f, row.input![f]]))
    const input = { ...row.input, ...kept, ...given } as PersonInput
    savePerson(store, input, { now: context.now, by: context.by, id: old?.id ?? context.newId() })
    saved++
  }
  return saved
}
