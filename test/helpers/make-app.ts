import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { loadKnowledge, type Knowledge } from '../../content/load.js'
import { loadConfig } from '../../bot/config.js'
import { createApp, type AppDeps } from '../../bot/app.js'
import type { SmsTransport } from '../../bot/channels/channel.js'
import { localTransport } from '../../bot/channels/sms-transport.js'
import { memoryLogger } from '../../bot/logger.js'
import { startInstances } from '../../bot/cluster/start.js'
import { createRuntime, type RuntimeDeps } from '../../bot/runtime.js'
import { openStorage } from '../../bot/store/open.js'
import { openStore, type Store } from '../../bot/store/store.js'
import { TranscriptLog } from '../../bot/store/transcripts.js'
import { AUTH_TOKEN, PUBLIC_URL } from './twilio.js'

let knowledge: Knowledge | undefined

/** The runtime settings every test uses. */
export const testConfig = loadConfig({ NODE_ENV: 'test' })

/** The real content, loaded once per test file. */
export function realKnowledge(): Knowledge {
  return (knowledge ??= loadKnowledge())
}

export async function tempDir(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'reentry-test-'))
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) }
}

export type TestApp = Awaited<ReturnType<typeof makeApp>>

/** The production wiring on a temp data folder, a fixed clock and a local (or given) SMS transport. */
export async function makeApp(
  options: {
    dir?: string
    now?: () => Date
    smsTransport?: SmsTransport
    authToken?: string | null
    devPhone?: boolean
    /**
     * PostgreSQL instead of the files (DATABASE_URL, a migrated test database): several apps on
     * one URL are several instances of one service, as main.ts starts them.
     */
    databaseUrl?: string
    /** Extra settings for the runtime and the app (web chat limits, Bot Framework credentials). */
    config?: Partial<RuntimeDeps['config'] & AppDeps['config']>
  } = {}
) {
  const temp = options.dir ? undefined : await tempDir()
  const dir = options.dir ?? temp!.dir
  const logger = memoryLogger('debug')
  const storage = options.databaseUrl
    ? await openStorage({ DATA_DIR: dir, DATABASE_URL: options.databaseUrl }, logger)
    : undefined
  const store: Store = storage?.store ?? (await openStore(dir))
  const transcripts = storage?.transcripts ?? (await TranscriptLog.open(dir))
  let ids = 0
  const clock = options.now ?? (() => new Date('2026-11-23T12:00:00+01:00'))
  // As main.ts starts it: alone with web chat's feeds in the data folder, or one of several.
  const instances = await startInstances(options.databaseUrl, store, logger, {
    dataDir: dir,
    clock,
  })
  const runtime = createRuntime({
    config: { ...testConfig, ...options.config },
    store,
    transcripts,
    ...(storage && {
      audit: storage.audit,
      insight: storage.insight,
      cluster: instances.cluster,
      limiters: instances.limiters,
    }),
    knowledge: realKnowledge(),
    smsTransport: options.smsTransport ?? localTransport(() => `local_${++ids}`),
    logger,
    clock,
    webchatFeed: instances.webchatFeed,
  })
  await instances.ready(runtime.webchat.conversations)
  const app = createApp({
    config: {
      PUBLIC_URL,
      DEV_PHONE: options.devPhone ?? true,
      TWILIO_AUTH_TOKEN: options.authToken === null ? undefined : (options.authToken ?? AUTH_TOKEN),
      NODE_ENV: 'test',
      ...options.config,
    },
    runtime,
    store,
    logger,
  })
  return {
    app,
    runtime,
    store,
    transcripts,
    logger,
    dir,
    cleanup: async () => {
      await instances.close()
      await storage?.close()
      await temp?.remove()
    },
  }
}
