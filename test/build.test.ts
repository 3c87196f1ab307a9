import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { readFileSync } from 'node:fs'
import { buildServer, serverNodeFlags } from '../bot/build.js'
import { openStore } from '../bot/store/store.js'
import { AUTH_TOKEN, PUBLIC_URL, signedRequests } from '../bench/load.js'
import { realKnowledge, tempDir } from './helpers/make-app.js'

/** `npm start` runs the bundle in dist/, not the TypeScript the other tests import: check the bundle. */
describe('the production build', () => {
  it('Should be started by npm start with the same Node flags the benchmark measured', () => {
    const { scripts } = JSON.parse(readFileSync('package.json', 'utf8')) as {
      scripts: Record<string, string>
    }
    expect(scripts.start).toContain(`node ${serverNodeFlags.join(' ')} dist/main.js`)
  })

  it('Should start from dist/main.js, answer an SMS, serve web chat and the console, and keep the turn on shutdown', async () => {
    await buildServer()
    const temp = await tempDir()
    const port = 4_800 + Math.floor(Math.random() * 500)
    const child = spawn(process.execPath, [...serverNodeFlags, 'dist/main.js'], {
      env: {
        ...process.env,
        PORT: String(port),
        HOST: '127.0.0.1',
        DATA_DIR: temp.dir,
        PUBLIC_URL,
        TWILIO_AUTH_TOKEN: AUTH_TOKEN,
        NODE_ENV: 'development',
        LOG_LEVEL: 'error',
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let printed = ''
    child.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()))
    const url = `http://127.0.0.1:${port}`
    for (
      let i = 0;
      i < 300 &&
      !(await fetch(`${url}/health`).then(
        (r) => r.ok,
        () => false
      ));
      i++
    ) {
      await new Promise((r) => setTimeout(r, 50))
    }
    expect(printed).toContain(`${realKnowledge().topics.size} topics`)
    // The dialogs are imported file by file (dialogs/dialog-kit.ts): the text recognizers behind
    // botbuilder's own prompts would add 4.6 MB and about 0.3 s to every start.
    const server = readFileSync('dist/main.js', 'utf8')
    expect(server).not.toContain('@microsoft/recognizers-text')
    // Scripts (content:check, crisis:build, the corpus runners) guard their command-line code
    // with import.meta.url, which in one bundle is every module's: none may be in it.
    expect(
      server.match(/^\/\/ (test\/.*|content\/(check|crisis-build|learn-build)\.ts)$/gm)
    ).toBeNull()

    const [menu] = signedRequests(1)
    const sms = await fetch(`${url}/sms/twilio`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': menu!.signature,
      },
      body: menu!.body,
    })
    expect(sms.status).toBe(200)
    expect(await sms.text()).toMatch(/<Message>[^<]*NAV/)

    // The web chat bundle is found in node_modules from dist/, as it is from the source.
    const page = await (await fetch(`${url}/chat`)).text()
    const script = page.match(/webchat-[\d.]+\.js/)?.[0]
    expect(script).toBeDefined()
    const bundle = await fetch(`${url}/chat/${script}`)
    expect(bundle.status).toBe(200)
    expect((await bundle.arrayBuffer()).byteLength).toBeGreaterThan(100_000)
    expect((await fetch(`${url}/console/login`)).status).toBe(200)

    child.kill('SIGTERM')
    const [code] = await once(child, 'exit')
    expect(code).toBe(0)
    const store = await openStore(temp.dir)
    expect(store.data.contacts[`sms:${new URLSearchParams(menu!.body).get('From')}`]).toBeDefined()
    await temp.remove()
  }, 90_000)
})
