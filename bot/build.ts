/**
 * `npm run build` (and before `npm start`): the server as one JavaScript file per entry in dist/,
 * run by plain Node. Start-up then skips compiling TypeScript and resolving hundreds of small
 * module files, which took most of the start-up time (see bench/results/latest.md).
 */
import { build } from 'esbuild'
import { join } from 'node:path'
import { projectRoot } from './paths.js'

export const distDir = join(projectRoot, 'dist')

/** Bundles the server (bot/main.ts) and the benchmark's server into dist/. */
export async function buildServer(): Promise<void> {
  await build({
    entryPoints: { main: 'bot/main.ts', 'bench-server': 'bench/server.ts' },
    absWorkingDir: projectRoot,
    outdir: distDir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    // The bundled CommonJS packages call require(); an ES module has to be given one.
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    // Twilio is 7 MB of REST clients it loads lazily itself; bundling it only slows parsing.
    external: ['twilio'],
    logLevel: 'warning',
  })
}

if (process.argv[1] === import.meta.filename) await buildServer()
