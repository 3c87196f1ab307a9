/**
 * The real server (bot/main.ts) in a process of its own on a temp DATA_DIR, for the tests that
 * kill it, flood it or fill its disk. Started once `/health` answers; killed by the cleanup.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { AUTH_TOKEN, PUBLIC_URL } from './twilio.js'

export async function startServer(
  dataDir: string,
  port: number,
  /** Where the test registers what to undo after its file. */
  cleanups: (() => Promise<void>)[],
  settings: Record<string, string> = {},
  /** Modules to load before the server (node --import), e.g. test/fixtures/twilio-redirect.ts. */
  preload: string[] = [],
  /** The script and its arguments: the real server, or the bench's (bench/server.ts durable). */
  entry: string[] = ['bot/main.ts']
): Promise<{ child: ChildProcess; url: string }> {
  const imports = preload.flatMap((file) => ['--import', `./${file}`])
  const child = spawn(process.execPath, ['--import', 'tsx', ...imports, ...entry], {
    env: {
      ...process.env,
      PORT: String(port),
      DATA_DIR: dataDir,
      PUBLIC_URL,
      TWILIO_AUTH_TOKEN: AUTH_TOKEN,
      NODE_ENV: 'development',
      LOG_LEVEL: 'error',
      ...settings,
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  cleanups.push(async () => void (child.exitCode === null && child.kill('SIGKILL')))
  const url = `http://127.0.0.1:${port}`
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    const up = await fetch(`${url}/health`).then(
      (r) => r.ok,
      () => false
    )
    if (up) return { child, url }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error(`server did not start: ${stderr}`)
}
