/**
 * @module bot/store/insight-log
 * What coordinators count (/console/insight), kept apart from everything else: one line per
 * message a participant sends (what it was understood as: a topic id, a command, "none"), per
 * crisis check, and, for messages the bot did not understand, the text with numbers, e-mail
 * addresses and names masked. Counts carry no text and no participant id, only a keyed
 * pseudonym (so people can be counted per week); the masked texts go to their own day files and
 * are deleted with the transcripts (TRANSCRIPT_RETENTION_DAYS).
 */
import { createHmac, randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { readdir, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import type { Logger } from '../logger.js'
import { LineAppender, parseLines } from './jsonl-file.js'

export type InsightEvent =
  | { at: string; k: 'in'; m: string; t?: string; p: string }
  | { at: string; k: 'check'; c: string }
  /** A message that reached the fallback ("sorry, I did not understand"). */
  | { at: string; k: 'none' }
  /** A topic the conversation answered though the message was not matched to it (tonight-first). */
  | { at: string; k: 'answer'; t: string }

export type UnknownText = { at: string; text: string }

const DAY_FILE = /^\d{4}-\d{2}-\d{2}\.jsonl$/
const FLUSH_AFTER_MS = 5_000

/** Numbers (phone numbers, ids, amounts), e-mail addresses and names out of a text. */
export function maskText(text: string): string {
  const words = text
    .replace(/\S+@\S+\.\S+/g, '[e-post]')
    .replace(/\+?\d[\d\s.-]{3,}\d/g, '[tall]')
    .replace(/\d{3,}/g, '[tall]')
    .split(/(\s+)/)
  // A capitalised word that is not the first and not an acronym (NAV) is most likely a name.
  let first = true
  return words
    .map((w) => {
      if (/^\s+$/.test(w) || w === '') return w
      const isName = !first && /^\p{Lu}\p{Ll}+/u.test(w)
      const sentenceEnd = /[.!?]$/.test(w)
      first = sentenceEnd
      return isName ? `[navn]${w.replace(/^[\p{L}'-]+/u, '')}` : w
    })
    .join('')
    .trim()
    .slice(0, 200)
}

/**
 * A masked text (maskText) as a phrase to teach the bot: the placeholders out, since nobody
 * writes "[navn]", and the words left in lower case. Empty when no word of two letters or more
 * is left (nothing to teach).
 */
export function phraseFromMasked(text: string): string {
  const words = text
    .replace(/\[(?:navn|tall|e-post)\]/g, ' ')
    .split(/\s+/)
    .map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ''))
    .filter((w) => w !== '')
  if (!words.some((w) => /\p{L}{2,}/u.test(w))) return ''
  return words.join(' ').toLowerCase()
}

export class InsightLog {
  #pending: InsightEvent[] = []
  #texts: UnknownText[] = []
  #timer: ReturnType<typeof setTimeout> | undefined
  #writing: Promise<void> = Promise.resolve()
  readonly #events: LineAppender
  readonly #unknown: LineAppender

  /** Subclassed by the PostgreSQL log (bot/store/pg/pg-logs.ts); otherwise through `open`. */
  protected constructor(
    readonly dir: string,
    private readonly key: Buffer,
    protected readonly logger?: Logger
  ) {
    const torn = (file: string, bytes: number) =>
      logger?.warn('insight.torn_line_cut', { file, bytes })
    this.#events = new LineAppender(join(dir, 'events'), torn)
    this.#unknown = new LineAppender(join(dir, 'texts'), torn)
  }

  /** Opens DATA_DIR/insight at start-up, making its pseudonym key on first use. */
  static open(dataDir: string, logger?: Logger): InsightLog {
    const dir = join(dataDir, 'insight')
    mkdirSync(join(dir, 'events'), { recursive: true })
    mkdirSync(join(dir, 'texts'), { recursive: true })
    const keyFile = join(dir, 'key')
    let key: Buffer | undefined
    try {
      key = readFileSync(keyFile)
    } catch {
      key = undefined
    }
    if (!key || key.length < 32) {
      key = randomBytes(32)
      writeFileSync(keyFile, key, { mode: 0o600 })
    }
    return new InsightLog(dir, key, logger)
  }

  /** A participant's pseudonym: the same within this installation, not reversible without the key. */
  pseudonym(participantId: string): string {
    return createHmac('sha256', this.key).update(participantId).digest('hex').slice(0, 12)
  }

  message(at: Date, participantId: string, kind: string, what?: string): void {
    this.#pending.push({
      at: at.toISOString(),
      k: 'in',
      m: kind,
      ...(what && { t: what }),
      p: this.pseudonym(participantId),
    })
    this.#soon()
  }

  /** A text the bot answered with its fallback: counted, and kept masked for a while. */
  notUnderstood(at: Date, text: string): void {
    this.#pending.push({ at: at.toISOString(), k: 'none' })
    if (text.trim()) this.#texts.push({ at: at.toISOString(), text: maskText(text) })
    this.#soon()
  }

  /** A topic answered by the conversation rather than by the message's own match. */
  answered(at: Date, topicId: string): void {
    this.#pending.push({ at: at.toISOString(), k: 'answer', t: topicId })
    this.#soon()
  }

  crisisCheck(at: Date, kind: string): void {
    this.#pending.push({ at: at.toISOString(), k: 'check', c: kind })
    this.#soon()
  }

  /**
   * Writes what is pending. Not part of a turn: counts need no sync before an SMS is answered,
   * so notes are written a few seconds later in one go (`#soon`), before any read, and on shutdown.
   */
  async flush(): Promise<void> {
    if (this.#timer) clearTimeout(this.#timer)
    this.#timer = undefined
    const events = this.#pending
    const texts = this.#texts
    this.#pending = []
    this.#texts = []
    this.#writing = this.#writing
      .then(() => this.writeEntries(events, texts))
      .then(
        () => undefined,
        (error: unknown) => this.logger?.error('insight.write_failed', { error })
      )
    return this.#writing
  }

  #soon(): void {
    this.#timer ??= setTimeout(() => void this.flush(), FLUSH_AFTER_MS)
    this.#timer.unref?.()
  }

  /** Appends counts and masked texts (day files here; rows in the PostgreSQL log). */
  protected async writeEntries(events: InsightEvent[], texts: UnknownText[]): Promise<void> {
    await Promise.all([this.#write(this.#events, events), this.#write(this.#unknown, texts)])
  }

  async #write(files: LineAppender, entries: { at: string }[]): Promise<void> {
    const byDay = new Map<string, string>()
    for (const e of entries)
      byDay.set(e.at.slice(0, 10), (byDay.get(e.at.slice(0, 10)) ?? '') + JSON.stringify(e) + '\n')
    for (const [day, text] of byDay) await files.append(`${day}.jsonl`, text)
  }

  async events(): Promise<InsightEvent[]> {
    await this.flush()
    return this.readEntries<InsightEvent>('events')
  }

  /** Masked texts not understood, within the retention period. */
  async unknownTexts(now: Date, days: number): Promise<UnknownText[]> {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString()
    await this.flush()
    return (await this.readEntries<UnknownText>('texts')).filter((t) => t.at >= cutoff)
  }

  /** Deletes day files of masked texts past the period (the counts stay). */
  async prune(now: Date, days: number): Promise<string[]> {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10)
    const files = (await readdir(join(this.dir, 'texts')).catch(() => [] as string[])).filter(
      (f) => DAY_FILE.test(f) && f.slice(0, 10) < cutoff
    )
    await Promise.all(files.map((f) => unlink(join(this.dir, 'texts', f))))
    return files
  }

  /** Everything written to `sub` ("events" or "texts"), oldest first. */
  protected async readEntries<T>(sub: 'events' | 'texts'): Promise<T[]> {
    const dir = join(this.dir, sub)
    const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => DAY_FILE.test(f))
    const all: T[] = []
    for (const f of files.sort()) {
      const text = await readFile(join(dir, f), 'utf8').catch(() => '')
      all.push(...parseLines<T>(text))
    }
    return all
  }
}
