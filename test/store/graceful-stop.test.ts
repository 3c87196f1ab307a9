/**
 * SIGTERM, the documented way to stop an instance for an upgrade (docs/instances.md), lets the
 * texts it has already taken finish: each gets its answer, none a 500 because the store closed
 * under it (outside review of issue 17, finding 10), on the embedded store and on PostgreSQL.
 */
import { once } from 'node:events'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/make-app.js'
import { createTestDatabase } from '../helpers/pg.js'
import { startServer } from '../helpers/server-process.js'
import { inboundForm, messagesOf, signedPost } from '../helpers/twilio.js'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function stopUnderLoad(settings: Record<string, string>) {
  const dir = await tempDir()
  cleanups.push(dir.remove)
  const port = 4_500 + Math.floor(Math.random() * 300)
  const server = await startServer(dir.dir, port, cleanups, settings)
  const texts = Array.from({ length: 40 }, (_, i) =>
    inboundForm(`+4790${String(i).padStart(6, '0')}`, 'meny')
  )
  const answers = texts.map((form) =>
    fetch(`${server.url}/sms/twilio`, signedPost('/sms/twilio', form)).then(
      async (res) => ({ status: res.status, messages: messagesOf(await res.text()) }),
      () => ({ status: 0, messages: [] as string[] })
    )
  )
  await new Promise((r) => setTimeout(r, 60))
  server.child.kill('SIGTERM')
  const results = await Promise.all(answers)
  const [code] = await once(server.child, 'exit')
  return { results, code }
}

describe('SIGTERM under load', { timeout: 120_000 }, () => {
  it.each([
    ['the embedded store', async () => ({})],
    [
      'PostgreSQL',
      async () => {
        const db = await createTestDatabase()
        cleanups.push(db.drop)
        return { DATABASE_URL: db.url }
      },
    ],
  ])('Should answer every text it had taken before it stops, on %s', async (_name, settings) => {
    const { results, code } = await stopUnderLoad(await settings())
    expect(code).toBe(0)
    // Each text the server had taken was answered; none failed under a closed store.
    const taken = results.filter((r) => r.status !== 0)
    expect(taken.length).toBeGreaterThan(0)
    expect(taken.map((r) => r.status)).toEqual(taken.map(() => 200))
    for (const r of taken) expect(r.messages.join('')).toContain('1')
  })
})
