/**
 * @module bot/store/pg/store-migrate-cli
 * Moves an installation from the files to PostgreSQL (docs/postgresql.md):
 *   npm run store:migrate -- --to "$DATABASE_URL" [--from ./data] [--replace]
 * Stop the server first (the DATA_DIR lock says so if not). Prints the counts on both sides and
 * exits 1 if any differ.
 */
import { parseArgs } from 'node:util'
import { InstanceLockedError } from '../instance-lock.js'
import {
  copyDataDir,
  InstancesRunningError,
  NoStoreError,
  TargetNotEmptyError,
} from './copy-data-dir.js'

const usage = 'usage: npm run store:migrate -- --to postgres://... [--from DATA_DIR] [--replace]'

class UsageError extends Error {}

/**
 * One line for what an operator can fix: our own refusals, a bad option (node's parseArgs), and
 * what PostgreSQL or the connection said (a database that does not exist, a refused connection);
 * a stack only for a fault in this program.
 */
function oneLine(error: unknown): string | undefined {
  if (
    error instanceof UsageError ||
    error instanceof TargetNotEmptyError ||
    error instanceof NoStoreError ||
    error instanceof InstancesRunningError ||
    error instanceof InstanceLockedError
  )
    return error.message
  const code = (error as { code?: unknown }).code
  if (typeof code !== 'string') return undefined
  if (code.startsWith('ERR_PARSE_ARGS')) return `${(error as Error).message}; ${usage}`
  // PostgreSQL's SQLSTATE (five characters) or a socket error (ECONNREFUSED, ENOTFOUND).
  if (/^[0-9A-Z]{5}$/.test(code) || /^E[A-Z]+$/.test(code))
    return `PostgreSQL: ${(error as Error).message || code}`
  return undefined
}

try {
  const { values } = parseArgs({
    options: {
      to: { type: 'string' },
      from: { type: 'string' },
      replace: { type: 'boolean', default: false },
    },
  })
  if (!values.to) throw new UsageError(`--to is missing; ${usage}`)
  // The URL is not echoed: it may hold a password.
  if (!/^postgres(ql)?:\/\//.test(values.to))
    throw new UsageError(`--to must be a postgres:// URL; ${usage}`)
  const from = values.from ?? process.env.DATA_DIR ?? './data'
  const counts = await copyDataDir(from, values.to, {
    replace: values.replace,
    log: (line) => process.stdout.write(`store:migrate: ${line}\n`),
  })
  let differ = false
  for (const [table, { files, database }] of Object.entries(counts)) {
    const same = files === database
    differ ||= !same
    process.stdout.write(
      `${table.padEnd(18)} ${String(files).padStart(9)} in files ${String(database).padStart(9)} in PostgreSQL${same ? '' : '  DIFFERENT'}\n`
    )
  }
  if (differ) {
    process.stderr.write('store:migrate: the counts differ: do not switch to DATABASE_URL yet\n')
    process.exit(1)
  }
  process.stdout.write(`store:migrate: done; start the server with DATABASE_URL set\n`)
} catch (error) {
  process.stderr.write(`store:migrate: ${oneLine(error) ?? (error as Error).stack}\n`)
  process.exit(1)
}
