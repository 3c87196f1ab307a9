/**
 * @module bot/local-content
 * The local content coordinators edit in the console: every saved version is its own file in
 * DATA_DIR/local-content (v0001.json, v0002.json, ...), written to a temporary file, synced and
 * renamed, so a crash leaves the last whole version; the newest is the one in use.
 */
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  writeSync,
} from 'node:fs'
import { join } from 'node:path'
import { ConsoleContent } from '../content/local-profile.js'
import type { Logger } from './logger.js'

const VERSION_FILE = /^v(\d{4,})\.json$/

export class LocalContentFiles {
  constructor(
    readonly dir: string,
    private logger?: Logger
  ) {}

  /** Every saved version, newest first (a damaged file is logged and skipped). */
  versions(): ConsoleContent[] {
    let names: string[] = []
    try {
      names = readdirSync(this.dir).filter((n) => VERSION_FILE.test(n))
    } catch {
      return []
    }
    const versions: ConsoleContent[] = []
    for (const name of names.sort().reverse()) {
      try {
        versions.push(ConsoleContent.parse(JSON.parse(readFileSync(join(this.dir, name), 'utf8'))))
      } catch (error) {
        this.logger?.warn('local_content.damaged', { file: name, error: (error as Error).message })
      }
    }
    return versions
  }

  latest(): ConsoleContent | undefined {
    return this.versions()[0]
  }

  /** Writes the next version; it is durable when this returns. */
  save(content: Omit<ConsoleContent, 'version'>): ConsoleContent {
    mkdirSync(this.dir, { recursive: true })
    const version = (this.latest()?.version ?? 0) + 1
    const saved = ConsoleContent.parse({ ...content, version })
    const name = `v${String(version).padStart(4, '0')}.json`
    const temp = join(this.dir, `.${name}.tmp`)
    const fd = openSync(temp, 'w')
    try {
      writeSync(fd, JSON.stringify(saved, null, 2))
      fsyncSync(fd)
    } finally {
      closeSync(fd)
    }
    renameSync(temp, join(this.dir, name))
    return saved
  }
}
