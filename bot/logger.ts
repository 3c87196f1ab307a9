/**
 * @module bot/logger
 * One JSON line per event. Every string is passed through the phone mask on the way out, so a
 * careless caller cannot leak a number into the log.
 */
import { maskPhonesIn } from './mask.js'

export type Level = 'debug' | 'info' | 'warn' | 'error'
const rank: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 }

export type Logger = {
  [L in Level]: (event: string, fields?: Record<string, unknown>) => void
} & { level: Level }

function scrub(value: unknown): unknown {
  if (typeof value === 'string') return maskPhonesIn(value)
  if (value instanceof Error) return maskPhonesIn(value.stack ?? value.message)
  if (Array.isArray(value)) return value.map(scrub)
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, scrub(v)]))
  }
  return value
}

/** Creates a logger writing JSON lines through `write` (stdout by default). */
export function createLogger(
  level: Level = 'info',
  write: (line: string) => void = (line) => process.stdout.write(line + '\n')
): Logger {
  const log =
    (at: Level) =>
    (event: string, fields: Record<string, unknown> = {}) => {
      if (rank[at] < rank[level]) return
      write(
        JSON.stringify({
          time: new Date().toISOString(),
          level: at,
          event,
          ...(scrub(fields) as object),
        })
      )
    }
  return { level, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') }
}

/** A logger that keeps lines in memory, for tests. */
export function memoryLogger(level: Level = 'debug'): Logger & { lines: string[] } {
  const lines: string[] = []
  return Object.assign(
    createLogger(level, (l) => lines.push(l)),
    { lines }
  )
}
