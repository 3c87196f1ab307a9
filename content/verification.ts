/**
 * @module content/verification
 * How well the bot's facts are verified: every source says how its claim was read (schema.ts,
 * `verified`). content:check prints the counts and the unverified facts; the console lists them
 * for coordinators, so someone can check each one before launch.
 */
import type { Knowledge } from './load.js'
import { copyReadings, verifiedReadings, type Source, type Verification } from './schema.js'

/** One fact as the console and content:check list it. */
export type FactReading = {
  topic: string
  claim: string
  title: string
  /** The page, or the name of a document without an address. */
  url: string
  verified: Verification
  checked?: string
  note?: string
  /** The file the topic came from (a national topic file or the local content). */
  file: string
}

export type VerificationReport = {
  total: number
  /** Read on the live page, or the organisation's own details. */
  verified: FactReading[]
  /** Read only in a stored copy or a page repeating it: check live before launch. */
  copies: FactReading[]
  /** Not read, or searched for and not found. */
  unverified: FactReading[]
}

/** Every source of every topic (local ones included), sorted into the three groups. */
export function verificationReport(knowledge: Knowledge): VerificationReport {
  const report: VerificationReport = { total: 0, verified: [], copies: [], unverified: [] }
  for (const topic of knowledge.topics.values()) {
    for (const source of topic.sources) {
      const fact = readingOf(topic.id, source, knowledge.files.get(topic.id) ?? topic.id)
      report.total++
      if (verifiedReadings.includes(source.verified)) report.verified.push(fact)
      else if (copyReadings.includes(source.verified)) report.copies.push(fact)
      else report.unverified.push(fact)
    }
  }
  return report
}

function readingOf(topic: string, source: Source, file: string): FactReading {
  const { claim, title, verified, checked, note } = source
  return { topic, claim, title, url: source.url ?? source.document!, verified, checked, note, file }
}

/** The counts in one line, for content:check and the console. */
export function verificationSummary(report: VerificationReport): string {
  const { total, verified, copies, unverified } = report
  return `facts: ${verified.length} of ${total} sources verified (read on the live page or the organisation's own); ${copies.length} read only in a stored or secondary copy; ${unverified.length} unverified or not found`
}

/** One fact as a line: topic, claim, source. */
export function factLine(f: FactReading): string {
  const how = f.note ? `${f.verified}: ${f.note}` : f.verified
  return `${f.topic}: "${f.claim}" - ${f.title} <${f.url}> (${how})`
}
