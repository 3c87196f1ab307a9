/**
 * @module bot/store/pg/store-migrate-cli
 * Moves an installation from the files to PostgreSQL (docs/postgresql.md):
 *   npm run store:migrate -- --to "$DATABASE_URL" [--from ./data] [--replace]
 * Stop the server first (the DATA_DIR lock says so if not). Prints the counts on both sides and
 * exits 1 if any differ.
 */
import { parseArgs } from 'node:util'
import { InstanceLockedError } from '../instance-lock.js'
import { copyDataDir, TargetNotEmptyError } from './copy-data-dir.js'

const usage = 'usage: npm run store:migrate -- --to postgres://... [--from DATA_DIR] [--replace]'

try {
  const { values } = parseArgs({
    options: {
      to: { type: 'string' },
      from: { type: 'string' },
      replace: { type: 'boolean', default: false },
    },
  })
  if (!values.to || !/^postgres(ql)?:\/\//.test(values.to)) throw new TargetNotEmptyError(usage)
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
  const known = error instanceof TargetNotEmptyError || error instanceof InstanceLockedError
  process.stderr.write(
    `store:migrate: ${known ? (error as Error).message : (error as Error).stack}\n`
  )
  process.exit(1)
}
