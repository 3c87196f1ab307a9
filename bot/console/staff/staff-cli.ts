/**
 * @module bot/console/staff/staff-cli
 * Staff accounts from the command line; the first admin can only be made here, so there is never
 * a default password:
 *   npm run staff -- add kari --role admin [--phone +4791234567]
 *   npm run staff -- passwd kari | unlock kari | disable kari | enable kari | list
 * The password is read from standard input when it is piped, or asked for twice (hidden).
 * Run it while the server is stopped: two processes writing one store lose each other's changes.
 */
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import pg from 'pg'
import { z } from 'zod'
import { ConfigError, loadConfig, type Config } from '../../config.js'
import { postgresLimiters } from '../../rate-limit.js'
import { StaffRole } from '../../store/schema.js'
import {
  addStaff,
  endSessionsOf,
  findStaff,
  newStaffId,
  StaffExistsError,
  StaffPhone,
  StaffUsername,
  unlockStaff,
  updateStaff,
} from '../../store/staff.js'
import { InstanceLockedError, lockDataDir } from '../../store/instance-lock.js'
import { openPgStore } from '../../store/pg/pg-store.js'
import { openStore, type Store } from '../../store/store.js'
import { createLoginGuard } from './login-guard.js'
import { hashPassword, MIN_PASSWORD_LENGTH } from './passwords.js'

class UsageError extends Error {}

const usage =
  'commands: add <name> --role volunteer|coordinator|admin [--phone +47...], passwd <name>, unlock <name>, disable <name>, enable <name>, list'

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) {
    const chunks: Buffer[] = []
    for await (const chunk of process.stdin) chunks.push(chunk as Buffer)
    return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? ''
  }
  const first = await hidden('Password: ')
  const second = await hidden('Again: ')
  if (first !== second) throw new UsageError('the two passwords differ')
  return first
}

/** Asks for a line without echoing it. */
function hidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true })
    const output = rl as unknown as { _writeToOutput: (s: string) => void }
    rl.question(question, (answer) => {
      rl.close()
      process.stdout.write('\n')
      resolve(answer)
    })
    output._writeToOutput = () => {} // keep typed characters off the screen
  })
}

async function newPasswordHash(): Promise<string> {
  const password = await readPassword()
  if ([...password].length < MIN_PASSWORD_LENGTH) {
    throw new UsageError(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`)
  }
  return hashPassword(password)
}

/** Lifts a name's login locks in PostgreSQL's limits table (several instances share them). */
async function unlockShared(config: Config, username: string): Promise<void> {
  const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 1 })
  try {
    await createLoginGuard(config, () => new Date(), postgresLimiters(pool)).unlock(username)
  } finally {
    await pool.end()
  }
}

async function serverIsRunning(port: number): Promise<boolean> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(800) })
    return res.ok
  } catch {
    return false
  }
}

async function main(argv: string[]): Promise<string> {
  const { positionals, values } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { role: { type: 'string' }, phone: { type: 'string' } },
  })
  const [command, name] = positionals
  const config = loadConfig()
  // PostgreSQL is shared: running servers hear the change (NOTIFY) and catch up at once.
  if (config.DATABASE_URL) {
    const store = await openPgStore(config.DATABASE_URL, { listen: false })
    try {
      const done = await run(store, command, name, values)
      // The running servers keep login locks in the shared limits table: lift them there too.
      if (command === 'unlock' && name) await unlockShared(config, name)
      return done
    } finally {
      await store.close()
    }
  }
  if (await serverIsRunning(config.PORT)) {
    throw new UsageError(`stop the server on port ${config.PORT} first: it holds the store open`)
  }
  // The server holds the store: with it running, this stops with one line saying so.
  process.on('exit', await lockDataDir(config.DATA_DIR))
  return run(await openStore(config.DATA_DIR), command, name, values)
}

async function run(
  store: Store,
  command: string | undefined,
  name: string | undefined,
  values: { role?: string; phone?: string }
): Promise<string> {
  if (command === 'list') {
    return Object.values(store.data.staff)
      .map(
        (s) =>
          `${s.username}\t${s.role}${s.disabled ? '\tdisabled' : ''}${s.lockedUntil ? '\tlocked' : ''}`
      )
      .join('\n')
  }
  if (!command || !name) throw new UsageError(usage)
  const username = StaffUsername.parse(name)
  if (command === 'add') {
    const role = StaffRole.parse(values.role ?? 'volunteer')
    const phone = values.phone === undefined ? undefined : StaffPhone.parse(values.phone)
    if (findStaff(store, username)) throw new StaffExistsError(`${username} already exists`)
    const passwordHash = await newPasswordHash()
    const id = newStaffId()
    addStaff(store, { id, username, role, passwordHash, phone }, new Date())
    await store.flush()
    return `Added ${username} (${role}).`
  }
  const account = findStaff(store, username)
  if (!account) throw new UsageError(`no staff account named ${username}`)
  if (command === 'passwd')
    updateStaff(store, account.id, { passwordHash: await newPasswordHash() })
  else if (command === 'unlock') unlockStaff(store, account.id)
  else if (command === 'disable') updateStaff(store, account.id, { disabled: true })
  else if (command === 'enable') updateStaff(store, account.id, { disabled: false })
  else throw new UsageError(usage)
  if (command === 'passwd' || command === 'disable') endSessionsOf(store, account.id)
  await store.flush()
  return `${command}: done for ${username}.`
}

try {
  process.stdout.write((await main(process.argv.slice(2))) + '\n')
} catch (error) {
  const known =
    error instanceof UsageError ||
    error instanceof ConfigError ||
    error instanceof StaffExistsError ||
    error instanceof InstanceLockedError
  const message =
    error instanceof z.ZodError
      ? error.issues.map((i) => i.message).join('; ')
      : (error as Error).message
  process.stderr.write(
    `staff: ${known || error instanceof z.ZodError ? message : (error as Error).stack}\n`
  )
  process.exit(1)
}
