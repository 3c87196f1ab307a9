/**
 * `npm run staff` with DATABASE_URL: the account goes to PostgreSQL (not to DATA_DIR), and it
 * may run beside a server, which hears the change and takes it at once.
 */
import { spawnSync } from 'node:child_process'
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
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
    const run = spawnSync(
      join(root, 'node_modules', '.bin', 'tsx'),
      ['bot/console/staff/staff-cli.ts', 'add', 'Kari', '--role', 'admin'],
      {
        cwd: root,
        input: 'et langt passord\n',
        encoding: 'utf8',
        env: {
          ...process.env,
          DATA_DIR: dir.dir,
          DATABASE_URL: db.url,
          PORT: '3',
          NODE_ENV: 'test',
        },
      }
    )
    expect(run.stdout + run.stderr).toBe('Added Kari (admin).\n')
    await seen
    expect(Object.values(running.data.staff)).toEqual([
      expect.objectContaining({ username: 'Kari', role: 'admin' }),
    ])
    expect(await readdir(dir.dir)).toEqual([])
  })
})
