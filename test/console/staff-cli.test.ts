import { spawnSync } from 'node:child_process'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { verifyPassword } from '../../bot/console/staff/passwords.js'
import { openStore } from '../../bot/store/store.js'
import { tempDir } from '../helpers/make-app.js'

const root = join(import.meta.dirname, '..', '..')
let temp: Awaited<ReturnType<typeof tempDir>>

beforeAll(async () => {
  temp = await tempDir()
})
afterAll(async () => temp.remove())

/** `npm run staff -- …` with the password piped in, against a temp DATA_DIR. */
function staff(args: string[], input: string) {
  const run = spawnSync(
    join(root, 'node_modules', '.bin', 'tsx'),
    ['bot/console/staff/staff-cli.ts', ...args],
    {
      cwd: root,
      input,
      encoding: 'utf8',
      // A port nothing listens on: the CLI refuses to run beside a live server.
      env: { ...process.env, DATA_DIR: temp.dir, PORT: '3', NODE_ENV: 'test' },
    }
  )
  return { status: run.status, out: run.stdout + run.stderr }
}

describe('npm run staff', { timeout: 60_000 }, () => {
  it('Should add the first admin with a password from stdin, hashed with scrypt', async () => {
    const added = staff(
      ['add', 'Kari', '--role', 'admin', '--phone', '+4791112223'],
      'et langt passord\n'
    )
    expect(added).toMatchObject({ status: 0, out: 'Added Kari (admin).\n' })
    const store = await openStore(temp.dir)
    const [account] = Object.values(store.data.staff)
    expect(account).toMatchObject({ username: 'Kari', role: 'admin', phone: '+4791112223' })
    expect(account!.passwordHash).toMatch(/^scrypt\$32768\$8\$3\$/)
    expect(JSON.stringify(store.data)).not.toContain('et langt passord')
    expect(await verifyPassword('et langt passord', account!.passwordHash)).toBe(true)
  })

  it('Should refuse a short password, a taken name, a bad role, and no command', () => {
    expect(staff(['add', 'ola', '--role', 'volunteer'], 'kort\n')).toMatchObject({
      status: 1,
      out: expect.stringContaining('at least 10 characters'),
    })
    expect(staff(['add', 'kari', '--role', 'volunteer'], 'et langt passord\n').out).toContain(
      'already exists'
    )
    expect(staff(['add', 'ola', '--role', 'boss'], 'et langt passord\n').status).toBe(1)
    expect(staff([], '').out).toContain('commands: add <name>')
  })
})
