/**
 * The crisis corpus (test/crisis/corpus.jsonl): crisis texts of each kind and near-misses, in
 * both languages, written by two people who did not see the patterns. It is split once, by a
 * fixed seed, into a tuning half (patterns may be changed for its misses) and a test half (never
 * looked at to change a pattern; only measured).
 */
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { CrisisKind } from '../../content/schema.js'
import type { CrisisSignal } from '../../dialogs/crisis.js'

export type Label = CrisisKind | 'none'
export type CrisisSample = {
  text: string
  kind: Label
  /** A second kind that is also right (a rape that was also a beating). */
  also?: CrisisKind
  lang: 'nb' | 'en'
  tags: string[]
}
export type Half = 'tune' | 'test'

/** The seed of the one split; changing it would let the test half leak into tuning. */
const SEED = 'crisis-split-2026-12-02'

export function halfOf(text: string): Half {
  return createHash('sha256').update(`${SEED}|${text}`).digest()[0]! % 2 === 0 ? 'tune' : 'test'
}

export function loadCrisisCorpus(half?: Half): CrisisSample[] {
  return readFileSync(join(import.meta.dirname, 'corpus.jsonl'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as CrisisSample)
    .filter((sample) => !half || halfOf(sample.text) === half)
}

export type CrisisOutcome = CrisisSample & { got: CrisisSignal }

/** A crisis text is found when it gets the emergency answer of its kind (or its second kind). */
export const found = (o: CrisisOutcome) =>
  o.got.level === 'danger' && (o.got.kind === o.kind || o.got.kind === o.also)

export const falseAlarm = (o: CrisisOutcome) => o.kind === 'none' && o.got.level === 'danger'

export type Figures = {
  crisis: number
  /** Got the emergency answer (of any kind). */
  detected: number
  /** Got the emergency answer of its kind. */
  found: number
  /** Emergency answer, but of another kind. */
  wrongKind: number
  /** Only the short check ("Er du i fare nå?"). */
  checked: number
  near: number
  falseAlarms: number
  /** Near-misses that got the short check: not an alarm, but a question. */
  nearChecked: number
}

export function figures(outcomes: CrisisOutcome[]): Figures {
  const crisis = outcomes.filter((o) => o.kind !== 'none')
  const near = outcomes.filter((o) => o.kind === 'none')
  return {
    crisis: crisis.length,
    detected: crisis.filter((o) => o.got.level === 'danger').length,
    found: crisis.filter(found).length,
    wrongKind: crisis.filter((o) => o.got.level === 'danger' && !found(o)).length,
    checked: crisis.filter((o) => o.got.level === 'possible').length,
    near: near.length,
    falseAlarms: near.filter(falseAlarm).length,
    nearChecked: near.filter((o) => o.got.level === 'possible').length,
  }
}

/** Rows: the label; columns: what the detector answered (a kind, "check" or "none"). */
export function confusion(outcomes: CrisisOutcome[]): Map<string, Map<string, number>> {
  const table = new Map<string, Map<string, number>>()
  for (const o of outcomes) {
    const column =
      o.got.level === 'danger' ? o.got.kind! : o.got.level === 'possible' ? 'check' : 'none'
    const row = table.get(o.kind) ?? new Map<string, number>()
    row.set(column, (row.get(column) ?? 0) + 1)
    table.set(o.kind, row)
  }
  return table
}
