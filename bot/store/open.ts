/**
 * @module bot/store/open
 * Opens the storage main.ts runs on: the files in DATA_DIR (the default), or PostgreSQL when
 * DATABASE_URL is set. Either way the same Store, TranscriptLog, AuditLog and InsightLog.
 */
import { join } from 'node:path'
import type { Logger } from '../logger.js'
import { AuditLog } from './audit.js'
import { InsightLog } from './insight-log.js'
import { lockDataDir } from './instance-lock.js'
import { PgAuditLog, PgInsightLog, PgTranscriptLog } from './pg/pg-logs.js'
import { createPool, openPgStore } from './pg/pg-store.js'
import { openStore, type Store } from './store.js'
import { TranscriptLog } from './transcripts.js'

export type Storage = {
  store: Store
  transcripts: TranscriptLog
  audit: AuditLog
  insight: InsightLog
  /** What kind, for the start-up lines and logs. */
  kind: 'files' | 'postgresql'
  /** Writes what is pending and lets go: the database's connections, or DATA_DIR's lock. */
  close(): Promise<void>
}

export async function openStorage(
  settings: { DATA_DIR: string; DATABASE_URL?: string },
  logger?: Logger
): Promise<Storage> {
  const { DATA_DIR: dataDir, DATABASE_URL: url } = settings
  if (url) {
    // Several instances may share the database: no DATA_DIR lock (pgmulti coordinates them).
    const pool = createPool(url)
    const store = await openPgStore(url, { logger, pool })
    return {
      store,
      transcripts: new PgTranscriptLog(pool, dataDir, logger),
      audit: new PgAuditLog(pool, dataDir, logger),
      insight: await PgInsightLog.openPg(pool, dataDir, logger),
      kind: 'postgresql',
      close: () => store.close(),
    }
  }
  // Before anything is read: a second process on the same folder would overwrite this one's files.
  const unlock = await lockDataDir(dataDir)
  process.on('exit', unlock)
  const store = await openStore(dataDir, { logger })
  const transcripts = await TranscriptLog.open(dataDir, logger)
  return {
    store,
    transcripts,
    audit: new AuditLog(join(dataDir, 'audit'), logger),
    insight: InsightLog.open(dataDir, logger),
    kind: 'files',
    async close() {
      await store.close()
      process.off('exit', unlock)
      unlock()
    },
  }
}
