/**
 * @module bot/store/pg/pg-logs
 * The append-only logs on PostgreSQL: transcripts, the audit log and the insight counts, as rows
 * instead of day and month files. Same classes (subclasses), same methods, so the bot, the
 * console, SLETT and retention use them unchanged. Appends are queued and written by `flush`
 * (one INSERT for everything queued), as the files are.
 */
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import type pg from 'pg'
import type { Logger } from '../../logger.js'
import { AuditLog, type AuditEntry } from '../audit.js'
import { InsightLog, type InsightEvent, type UnknownText } from '../insight-log.js'
import { recordJson } from '../store.js'
import { TranscriptLog, type TranscriptEntry, type Window } from '../transcripts.js'

/** A day as the files name it (UTC), for what prune returns. */
const DAY_SQL = "to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD')"

/** Queued entries written by one INSERT per flush; a failed flush keeps them for the next. */
class Batch<T> {
  #pending: T[] = []
  #queued: Promise<void> | null = null
  #writing: Promise<unknown> = Promise.resolve()

  constructor(private readonly write: (entries: T[]) => Promise<void>) {}

  push(entry: T): void {
    this.#pending.push(entry)
  }

  /** Drops queued entries `keep` says no to (SLETT); returns how many went. */
  filter(keep: (entry: T) => boolean): number {
    const before = this.#pending.length
    this.#pending = this.#pending.filter(keep)
    return before - this.#pending.length
  }

  flush(): Promise<void> {
    if (this.#queued) return this.#queued
    const next = this.#writing
      .catch(() => {})
      .then(async () => {
        this.#queued = null
        const entries = this.#pending
        this.#pending = []
        if (entries.length === 0) return
        try {
          await this.write(entries)
        } catch (error) {
          this.#pending.unshift(...entries)
          throw error
        }
      })
    this.#queued = next
    this.#writing = next
    return next
  }
}

export class PgTranscriptLog extends TranscriptLog {
  readonly #batch: Batch<TranscriptEntry>

  /** `dataDir`: still the home of local content; nothing is written under transcripts/. */
  constructor(
    private readonly pool: pg.Pool,
    dataDir: string,
    logger?: Logger
  ) {
    super(join(dataDir, 'transcripts'), logger)
    this.#batch = new Batch((entries) =>
      pool
        .query(
          `INSERT INTO transcripts (participant_id, at, direction, entry)
           SELECT * FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::jsonb[])`,
          [
            entries.map((e) => e.participantId),
            entries.map((e) => e.at),
            entries.map((e) => e.direction),
            entries.map((e) => recordJson(e)),
          ]
        )
        .then(() => undefined)
    )
  }

  override append(entry: TranscriptEntry): void {
    this.#batch.push(entry)
  }

  override flush(): Promise<void> {
    return this.#batch.flush()
  }

  /**
   * The last `limit` entries of one participant in the window, newest last, from the `days` days
   * up to the newest message anyone sent (as the files count day files).
   */
  override async recent(
    participantId: string,
    limit = 50,
    days = 30,
    window: Window = {}
  ): Promise<TranscriptEntry[]> {
    const { rows } = await this.pool.query<{ entry: TranscriptEntry }>(
      `SELECT entry FROM transcripts
       WHERE participant_id = $1
         AND ($2::timestamptz IS NULL OR at > $2)
         AND ($3::timestamptz IS NULL OR at <= $3)
         AND at >= (SELECT date_trunc('day', max(at)) - ($4::int - 1) * interval '1 day' FROM transcripts)
       ORDER BY at DESC, id DESC
       LIMIT $5`,
      [participantId, window.after ?? null, window.until ?? null, days, limit]
    )
    return rows.map((r) => r.entry).reverse()
  }

  override async forget(participantId: string): Promise<number> {
    const unsent = this.#batch.filter((e) => e.participantId !== participantId)
    const { rowCount } = await this.pool.query(
      'DELETE FROM transcripts WHERE participant_id = $1',
      [participantId]
    )
    return unsent + (rowCount ?? 0)
  }

  /** Deletes entries of the days older than `days` before `now`; returns those days' names. */
  override async prune(now: Date, days: number): Promise<string[]> {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10)
    const { rows } = await this.pool.query<{ day: string }>(
      `WITH gone AS (DELETE FROM transcripts WHERE at < $1::date RETURNING ${DAY_SQL} AS day)
       SELECT DISTINCT day FROM gone ORDER BY day`,
      [cutoff]
    )
    return rows.map((r) => `${r.day}.jsonl`)
  }
}

export class PgAuditLog extends AuditLog {
  readonly #batch: Batch<AuditEntry>

  constructor(
    private readonly pool: pg.Pool,
    dataDir: string,
    logger?: Logger
  ) {
    super(join(dataDir, 'audit'), logger)
    this.#batch = new Batch((entries) =>
      pool
        .query(
          `INSERT INTO audit (at, actor, action, participant_id, handoff_id, staff_id, entry)
           SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::jsonb[])`,
          [
            entries.map((e) => e.at),
            entries.map((e) => e.actor),
            entries.map((e) => e.action),
            entries.map((e) => e.participantId ?? null),
            entries.map((e) => e.handoffId ?? null),
            entries.map((e) => e.staffId ?? null),
            entries.map((e) => recordJson(e)),
          ]
        )
        .then(() => undefined)
    )
  }

  override async repair(): Promise<void> {}

  override append(entry: AuditEntry): void {
    this.#batch.push(entry)
  }

  override flush(): Promise<void> {
    return this.#batch.flush()
  }

  override async recent(limit = 200): Promise<AuditEntry[]> {
    await this.flush()
    const { rows } = await this.pool.query<{ entry: AuditEntry }>(
      'SELECT entry FROM audit ORDER BY at DESC, id DESC LIMIT $1',
      [limit]
    )
    return rows.map((r) => r.entry)
  }

  /** Deletes the months before `cutoffMonth` (YYYY-MM); returns how many months had entries. */
  override async pruneMonthsBefore(cutoffMonth: string): Promise<number> {
    const { rows } = await this.pool.query<{ months: string }>(
      `WITH gone AS (DELETE FROM audit WHERE at < ($1 || '-01')::date
         RETURNING to_char(at AT TIME ZONE 'UTC', 'YYYY-MM') AS month)
       SELECT count(DISTINCT month)::text AS months FROM gone`,
      [cutoffMonth]
    )
    return Number(rows[0]?.months ?? 0)
  }
}

export class PgInsightLog extends InsightLog {
  private constructor(
    private readonly pool: pg.Pool,
    dataDir: string,
    key: Buffer,
    logger?: Logger
  ) {
    super(join(dataDir, 'insight'), key, logger)
  }

  /** The pseudonym key is one row, made on first use by whichever instance comes first. */
  static async openPg(pool: pg.Pool, dataDir: string, logger?: Logger): Promise<PgInsightLog> {
    await pool.query(
      'INSERT INTO insight_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING',
      [randomBytes(32)]
    )
    const { rows } = await pool.query<{ key: Buffer }>('SELECT key FROM insight_key WHERE id = 1')
    return new PgInsightLog(pool, dataDir, rows[0]!.key, logger)
  }

  protected override async writeEntries(
    events: InsightEvent[],
    texts: UnknownText[]
  ): Promise<void> {
    if (events.length)
      await this.pool.query(
        `INSERT INTO insight_events (at, kind, entry)
         SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::jsonb[])`,
        [events.map((e) => e.at), events.map((e) => e.k), events.map((e) => recordJson(e))]
      )
    if (texts.length)
      await this.pool.query(
        `INSERT INTO insight_texts (at, entry) SELECT * FROM unnest($1::timestamptz[], $2::jsonb[])`,
        [texts.map((t) => t.at), texts.map((t) => recordJson(t))]
      )
  }

  protected override async readEntries<T>(sub: 'events' | 'texts'): Promise<T[]> {
    const table = sub === 'events' ? 'insight_events' : 'insight_texts'
    const { rows } = await this.pool.query<{ entry: T }>(
      `SELECT entry FROM ${table} ORDER BY at, id`
    )
    return rows.map((r) => r.entry)
  }

  override async prune(now: Date, days: number): Promise<string[]> {
    const cutoff = new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10)
    const { rows } = await this.pool.query<{ day: string }>(
      `WITH gone AS (DELETE FROM insight_texts WHERE at < $1::date RETURNING ${DAY_SQL} AS day)
       SELECT DISTINCT day FROM gone ORDER BY day`,
      [cutoff]
    )
    return rows.map((r) => `${r.day}.jsonl`)
  }
}
