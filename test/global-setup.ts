/**
 * Before any test: browser tests need Debian's Chromium, and the PostgreSQL tests a PostgreSQL
 * server at 127.0.0.1:5432 (trust auth, user postgres). Start the installed server when it is
 * stopped, install Debian's packages when missing (we are root on CI and dev machines here),
 * otherwise stop with one clear line. Never skip silently.
 */
import { execSync } from 'node:child_process'
import { existsSync, readdirSync } from 'node:fs'
import { CHROMIUM } from './helpers/browser.js'

const PG_READY = 'pg_isready -q -h 127.0.0.1 -p 5432'

function ready(): boolean {
  try {
    execSync(PG_READY, { stdio: 'ignore' })
    return true
  } catch {
    return false
  }
}

/** Waits up to 30 s for the server to accept connections. */
function waitReady(): boolean {
  for (let i = 0; i < 60; i++) {
    if (ready()) return true
    execSync('sleep 0.5')
  }
  return false
}

function ensurePostgres(): void {
  if (existsSync('/usr/bin/pg_isready') && ready()) return
  const root = process.getuid?.() === 0
  if (!existsSync('/etc/postgresql') || readdirSync('/etc/postgresql').length === 0) {
    if (!root)
      throw new Error(
        "PostgreSQL is missing: install Debian's postgresql package (apt-get install -y postgresql)"
      )
    process.stderr.write("PostgreSQL is missing: installing Debian's postgresql package\n")
    execSync(
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql',
      { stdio: 'inherit' }
    )
  }
  const version = readdirSync('/etc/postgresql').sort().at(-1)!
  const hba = `/etc/postgresql/${version}/main/pg_hba.conf`
  // The tests connect as postgres over TCP without a password, as on the dev machines.
  if (
    root &&
    existsSync(hba) &&
    !/^host\s+all\s+all\s+127\.0\.0\.1\/32\s+trust/m.test(
      execSync(`cat ${hba}`, { encoding: 'utf8' })
    )
  ) {
    execSync(`sed -i '1i host all all 127.0.0.1/32 trust' ${hba}`)
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main reload || true`, {
      stdio: 'ignore',
      shell: '/bin/sh',
    })
  }
  if (!ready()) {
    execSync(`pg_ctlcluster --skip-systemctl-redirect ${version} main start`, { stdio: 'inherit' })
  }
  if (!waitReady()) throw new Error('PostgreSQL did not start: see /var/log/postgresql/')
}

export default function setup(): void {
  ensurePostgres()
  if (existsSync(CHROMIUM)) return
  if (process.getuid?.() !== 0) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium)`
    )
  }
  process.stderr.write(`Chromium is missing at ${CHROMIUM}: installing Debian's chromium package\n`)
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', {
    stdio: 'inherit',
  })
  if (!existsSync(CHROMIUM)) throw new Error(`Installing chromium did not put it at ${CHROMIUM}`)
}
