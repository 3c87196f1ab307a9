/**
 * `npm run staff` with DATABASE_URL: the account goes to PostgreSQL (not to DATA_DIR), and it
 * may run beside a server, which hears the change and takes it at once.
 */
import { spawnSync } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { createLoginGuard } from '../../bot/console/staff/login-guard.js'
import { postgresLimiters } from '../../bot/rate-limit.js'
import { openPgStore } from '../../bot/store/pg/pg-store.js'
import { tempDir } from '../helpers/make-app.js'
import { createTestDatabase } from '../helpers/pg.js'

const root = join(import.meta.dirname, '..', '..')
const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

describe('npm run staff on PostgreSQL', { timeout: 120_000 }, () => {
  it('Should add an account to the database, and a running instance should see it at once', async () => {
    const db = await createTestDatabase()
    cleanups.push(db.drop)
    const dir = await tempDir()
    cleanups.push(dir.remove)
    const running = await openPgStore(db.url)
    cleanups.push(() => running.close())
    const seen = new Promise<void>((resolve) => running.onRemoteChange(() => resolve()))
    const run = staff(db.url, dir.dir, 'add', 'Kari', '--role', 'admin')
    expect(run.stdout + run.stderr).toBe('Added Kari (admin).\n')
    await seen
    expect(Object.values(running.data.staff)).toEqual([
      expect.objectContaining({ username: 'Kari', role: 'admin' }),
    ])
    expect(await readdir(dir.dir)).toEqual([])
  })

  it('Should lift the login locks the running instances keep in the database when it unlocks a name', async () => {
    // Outside review of issue 17, finding 1: `unlock` printed done while both instances still said 429.
    const db = await createTestDatabase()
    cleanups.push(db.drop)
    const dir = await tempDir()
    cleanups.push(dir.remove)
    expect(staff(db.url, dir.dir, 'add', 'kari', '--role', 'admin').status).toBe(0)
    const pool = new pg.Pool({ connectionString: db.url, max: 2 })
    cleanups.push(() => pool.end())
    const settings = {
      STAFF_LOCKOUT_ATTEMPTS: 1,
      STAFF_LOCKOUT_MINUTES: 15,
      STAFF_LOGIN_FAILURES_PER_ADDRESS: 100,
    }
    const guard = createLoginGuard(settings, () => new Date(), postgresLimiters(pool))
    for (const from of ['198.51.100.1', '198.51.100.2', '198.51.100.3', '198.51.100.4']) {
      const admitted = await guard.admit(from, 'kari')
      if (typeof admitted === 'function') admitted()
      await guard.failed(from, 'kari')
    }
    expect(await guard.admit('203.0.113.5', 'kari')).toBe('locked')

    const run = staff(db.url, dir.dir, 'unlock', 'kari')
    expect(run.stdout + run.stderr).toBe('unlock: done for kari.\n')
    expect(typeof (await guard.admit('203.0.113.5', 'kari'))).toBe('function')
    expect(typeof (await guard.admit('198.51.100.1', 'kari'))).toBe('function')
  })
})

/** `npm run staff -- ...` with DATABASE_URL, the password (if asked) on stdin. */
function staff(url: string, dataDir: string, ...args: string[]) {
  return spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    ['bot/console/staff/staff-cli.ts', ...args],
    {
      cwd: root,
      input: 'et langt passord\n',
      encoding: 'utf8',
      env: { ...process.env, DATA_DIR: dataDir, DATABASE_URL: url, PORT: '3', NODE_ENV: 'test' },
    }
  )
}
