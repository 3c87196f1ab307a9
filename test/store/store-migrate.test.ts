/**
 * `npm run store:migrate -- --to "$DATABASE_URL"`: a DATA_DIR made by the file store is copied
 * into PostgreSQL whole (store, transcripts, audit, insight and its key), the counts are checked,
 * and a database that already holds data is refused unless --replace says otherwise.
 */
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { openStorage } from '../../bot/store/open.js'
import { collectionNames } from '../../bot/store/store.js'
import { tempDir } from '../helpers/make-app.js'
import { createTestDatabase } from '../helpers/pg.js'
import { at, sampleRecords } from '../helpers/store-samples.js'

const root = join(import.meta.dirname, '..', '..')
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

function migrateCli(args: string[]) {
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    ['bot/store/pg/store-migrate-cli.ts', ...args],
    {
      cwd: root,
      encoding: 'utf8',
    }
  )
  return { status: run.status, out: run.stdout + run.stderr }
}

describe('npm run store:migrate', { timeout: 120_000 }, () => {
  it('Should copy a DATA_DIR into PostgreSQL with the same counts, and refuse a database with data', async () => {
    const dir = await tempDir()
    cleanups.push(dir.remove)
    const db = await createTestDatabase()
    cleanups.push(db.drop)

    const files = await openStorage({ DATA_DIR: dir.dir })
    for (const i of ['1', '2', '3']) {
      const samples = sampleRecords(i)
      for (const name of collectionNames())
        files.store.put(name, samples[name][0], samples[name][1] as never)
    }
    for (let i = 0; i < 25; i++)
      files.transcripts.append({
        at: `2026-11-${String(1 + (i % 20)).padStart(2, '0')}T10:00:00.000Z`,
        participantId: `p_${i % 3}`,
        direction: 'in',
        text: `melding ${i}`,
      })
    files.audit.append({ at, actor: 's_1', action: 'login' })
    files.insight.message(new Date(at), 'p_1', 'topic', 'housing')
    files.insight.notUnderstood(new Date(at), 'noe rart')
    const pseudonym = files.insight.pseudonym('p_1')
    await Promise.all([files.transcripts.flush(), files.audit.flush(), files.insight.flush()])
    const expected = JSON.parse(JSON.stringify(files.store.data))
    const expectedTranscript = await files.transcripts.recent('p_1', 100, 3650)
    await files.close()

    const copied = migrateCli(['--to', db.url, '--from', dir.dir])
    expect(copied.out).not.toContain('DIFFERENT')
    expect(copied.status, copied.out).toBe(0)
    expect(copied.out).toMatch(/participants\s+3 in files\s+3 in PostgreSQL/)
    expect(copied.out).toMatch(/transcripts\s+25 in files\s+25 in PostgreSQL/)
    expect(copied.out).toMatch(/insight_events\s+2 in files\s+2 in PostgreSQL/)

    const moved = await openStorage({ DATA_DIR: dir.dir, DATABASE_URL: db.url })
    try {
      // The one difference: jsonb cannot hold the NUL the sample dialog state carries.
      expect(JSON.parse(JSON.stringify(moved.store.data))).toEqual(
        JSON.parse(JSON.stringify(expected).replaceAll('\\u0000', ''))
      )
      expect(await moved.transcripts.recent('p_1', 100, 3650)).toEqual(expectedTranscript)
      expect(await moved.audit.recent()).toEqual([{ at, actor: 's_1', action: 'login' }])
      expect(moved.insight.pseudonym('p_1')).toBe(pseudonym)
    } finally {
      await moved.close()
    }

    const again = migrateCli(['--to', db.url, '--from', dir.dir])
    expect(again.status).toBe(1)
    expect(again.out).toContain('already holds data')
    const replaced = migrateCli(['--to', db.url, '--from', dir.dir, '--replace'])
    expect(replaced.status, replaced.out).toBe(0)
    expect(replaced.out).toMatch(/transcripts\s+25 in files\s+25 in PostgreSQL/)
  })

  it('Should refuse a folder that holds no store, and say each mistake in one line without a stack or the password', async () => {
    // Outside review of issue 17, findings 2 and 3.
    const db = await createTestDatabase()
    cleanups.push(db.drop)
    const dir = await tempDir()
    cleanups.push(dir.remove)
    const typo = join(dir.dir, 'data-typo')
    const missing = migrateCli(['--to', db.url, '--from', typo])
    expect(missing.status).toBe(1)
    expect(missing.out).toBe(
      `store:migrate: ${typo} holds no store (no ${join(typo, 'store')} with files); nothing was copied. Give the DATA_DIR the server used with --from.\n`
    )
    expect(existsSync(typo)).toBe(false)
    // A real store, for the cases below.
    const real = await openStorage({ DATA_DIR: dir.dir })
    real.store.put('participants', ...(sampleRecords('1').participants as [string, never]))
    await real.close()

    const cases: [string[], RegExp][] = [
      [
        ['--to', `${db.url}_nonexistent`, '--from', dir.dir],
        /^store:migrate: PostgreSQL: database "\w+_nonexistent" does not exist$/m,
      ],
      [
        ['--to', 'mysql://user:hemmelig@host/db'],
        /^store:migrate: --to must be a postgres:\/\/ URL; usage: /,
      ],
      [['--to'], /^store:migrate: .*--to.*; usage: /],
      [['--to', db.url, '--bogus'], /^store:migrate: .*--bogus.*; usage: /],
      [[], /^store:migrate: --to is missing; usage: /],
    ]
    // Finding 8: --replace under running instances emptied the database they were using.
    const presence = new pg.Client({
      connectionString: db.url,
      application_name: 'reentry:i_running',
    })
    await presence.connect()
    const underInstances = migrateCli(['--to', db.url, '--from', dir.dir, '--replace'])
    await presence.end()
    expect(underInstances).toEqual({
      status: 1,
      out: 'store:migrate: 1 instance(s) of the service are running on this database; nothing was copied. Stop every instance first.\n',
    })

    for (const [args, line] of cases) {
      const run = migrateCli(args)
      expect(run.status).toBe(1)
      expect(run.out).toMatch(line)
      expect(run.out.trim().split('\n')).toHaveLength(1)
      expect(run.out).not.toContain('hemmelig')
    }
  })
})
