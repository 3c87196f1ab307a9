/**
 * Before any test: browser tests need Debian's Chromium. Install it when missing (we are root on
 * CI and dev machines here), otherwise stop with one clear line. Never skip silently.
 */
import { execSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { CHROMIUM } from './helpers/browser.js'

export default function setup(): void {
  if (existsSync(CHROMIUM)) return
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium is missing at ${CHROMIUM}: install Debian's chromium package (apt-get install -y chromium)`)
  }
  process.stderr.write(`Chromium is missing at ${CHROMIUM}: installing Debian's chromium package\n`)
  execSync('apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium', { stdio: 'inherit' })
  if (!existsSync(CHROMIUM)) throw new Error(`Installing chromium did not put it at ${CHROMIUM}`)
}
