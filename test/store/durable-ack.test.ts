import { once } from 'node:events'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../bot/store/store.js'
import { AUTH_TOKEN, PUBLIC_URL, signedRequests } from '../../bench/load.js'
import { tempDir } from '../helpers/make-app.js'
import { startServer } from '../helpers/server-process.js'

describe('grouped writes', () => {
  it('Should never answer a text before its turn is on disk: kill right after the 200s, all there on restart', async () => {
    const temp = await tempDir()
    const port = 4_300 + Math.floor(Math.random() * 500)
    const cleanups: (() => Promise<void>)[] = []
    // The bench's server, signed with the bench's token like its requests.
    const bench = { PUBLIC_URL, TWILIO_AUTH_TOKEN: AUTH_TOKEN }
    const server = await startServer(
      temp.dir,
      port,
      cleanups,
      bench,
      [],
      ['bench/server.ts', 'durable']
    )
    // 40 different numbers at once: their turns share flushes (group commit).
    const requests = signedRequests(40).slice(0, 40)
    const answers = await Promise.all(
      requests.map((r) =>
        fetch(`${server.url}/sms/twilio`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'x-twilio-signature': r.signature,
          },
          body: r.body,
        })
      )
    )
    server.child.kill('SIGKILL')
    await once(server.child, 'exit')
    expect(answers.map((a) => a.status)).toEqual(requests.map(() => 200))

    const store = await openStore(temp.dir)
    const numbers = requests.map((r) => new URLSearchParams(r.body).get('From')!)
    for (const number of numbers) {
      const id = store.data.contacts[`sms:${number}`]
      expect(id, number).toBeDefined()
      expect(store.data.botState[`sms/conversations/${number}/`], number).toBeDefined()
    }
    await temp.remove()
  }, 90_000)
})
