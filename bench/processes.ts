/** Child processes for the benchmark: start, wait for health, read CPU and memory from /proc. */
import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { once } from 'node:events'
import { serverNodeFlags } from '../bot/build.js'

export type Server = {
  url: string
  startupMs: number
  cpuMs(): number
  rssMb(): number
  stop(): Promise<void>
}

const clockTicksPerSecond = 100

export function tsxArgs(script: string, ...args: string[]): string[] {
  return ['--import', 'tsx', script, ...args]
}

/** Starts the built benchmark server (dist/bench-server.js) in `mode` and resolves once /health answers. */
export function startServer(
  mode: string,
  port: number,
  env: Record<string, string>
): Promise<Server> {
  // --expose-gc only so the report can tell live memory from garbage not yet collected.
  return startNode(['--expose-gc', ...serverNodeFlags, 'dist/bench-server.js', mode], port, env)
}

/**
 * Starts the built server as `npm start` runs it (dist/main.js) and resolves once /health answers.
 * `flags`: more for node (--cpu-prof, which NODE_OPTIONS refuses).
 */
export function startMain(
  port: number,
  env: Record<string, string>,
  flags: string[] = []
): Promise<Server> {
  return startNode([...serverNodeFlags, ...flags, 'dist/main.js'], port, env)
}

async function startNode(
  args: string[],
  port: number,
  env: Record<string, string>
): Promise<Server> {
  const started = performance.now()
  const child = spawn(process.execPath, args, {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const url = `http://127.0.0.1:${port}`
  await waitForHealth(url, child)
  const startupMs = performance.now() - started
  return {
    url,
    startupMs,
    cpuMs: () => cpuMs(child.pid!),
    rssMb: () => rssMb(child.pid!),
    stop: async () => {
      child.kill('SIGTERM')
      if (child.exitCode === null) await once(child, 'exit')
    },
  }
}

async function waitForHealth(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`)
    try {
      if ((await fetch(`${url}/health`)).ok) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`${url} did not become healthy within 60 s`)
}

/** User plus system CPU time of a process, in milliseconds. */
export function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicksPerSecond
}

export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'))!
  return Number(line.replace(/\D+/g, '')) / 1024
}
