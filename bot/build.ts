/**
 * `npm run build` (and before `npm start`): the server as one JavaScript file per entry in dist/,
 * run by plain Node. Start-up then skips compiling TypeScript and resolving hundreds of small
 * module files, which took most of the start-up time (see bench/results/latest.md).
 */
import { build } from 'esbuild'
import { join } from 'node:path'
import { projectRoot } from './paths.js'

export const distDir = join(projectRoot, 'dist')

/**
 * How `npm start` runs the bundle (package.json repeats them; a test checks they agree). V8 lets
 * the heap grow to four times the live data before a full collection when memory is plentiful:
 * 106 MB live became 420 MB RSS under load. A factor of two keeps it near 300 MB, with no hard
 * cap that a bigger deployment could hit.
 */
export const serverNodeFlags = ['--heap-growing-percent=100']

/** Bundles the server (bot/main.ts) into dist/, and with `bench` the benchmark's server too. */
export async function buildServer(options: { bench?: boolean } = {}): Promise<void> {
  await build({
    entryPoints: {
      main: 'bot/main.ts',
      ...(options.bench && { 'bench-server': 'bench/server.ts' }),
    },
    absWorkingDir: projectRoot,
    outdir: distDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // The bundled CommonJS packages call require(); an ES module has to be given one.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    // Twilio is 7 MB of REST clients it loads lazily itself; bundling it only slows parsing.
    // pg-native: pg's optional native binding, never used here.
    external: ['twilio', 'pg-native'],
    logLevel: 'warning',
  })
}

if (process.argv[1] === import.meta.filename) await buildServer()
