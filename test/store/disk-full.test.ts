/**
 * A full disk during traffic, then space again, then a crash and a restart: every text that was
 * answered (acknowledged) is in the store after the restart, and the service starts. The test
 * mounts a small tmpfs of its own (it runs as root, as the project's tests do here).
 */
import { execFileSync } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, rm, unlink, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { AUTH_TOKEN, PUBLIC_URL } from '../helpers/twilio.js'
import { openStore } from '../../bot/store/store.js'
import { tempDir } from '../helpers/make-app.js'
import { startServer } from '../helpers/server-process.js'
import twilio from 'twilio'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function mountTmpfs(megabytes: number): Promise<string> {
  const temp = await tempDir()
  const dir = join(temp.dir, 'data')
  await mkdir(dir)
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${megabytes}m`, 'tmpfs', dir])
  cleanups.push(async () => {
    execFileSync('umount', ['-l', dir])
    await temp.remove()
  })
  return dir
}

let sequence = 0
/** One signed text from `from`; true when it was answered with 200 (acknowledged). */
async function text(url: string, from: string, body: string): Promise<boolean> {
  const sid = `SM${(++sequence).toString(16).padStart(32, '0')}`
  const form = {
    MessageSid: sid,
    AccountSid: 'AC' + '0'.repeat(32),
    From: from,
    To: '+4759440000',
    Body: body,
  }
  const signature = twilio.getExpectedTwilioSignature(AUTH_TOKEN, `${PUBLIC_URL}/sms/twilio`, form)
  const res = await fetch(`${url}/sms/twilio`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-twilio-signature': signature,
    },
    body: new URLSearchParams(form),
  }).catch(() => undefined)
  await res?.arrayBuffer()
  return res?.status === 200
}

describe('a full disk', () => {
  it('Should lose nothing acknowledged when the disk fills during traffic, is freed, and the process is killed', async () => {
    const dir = await mountTmpfs(8)
    const port = 5_300 + Math.floor(Math.random() * 400)
    const server = await startServer(dir, port, cleanups)
    const acknowledged = new Set<string>()
    const refused = new Set<string>()
    let n = 0
    const traffic = async (rounds: number) => {
      await Promise.all(
        Array.from({ length: 8 }, async () => {
          for (let i = 0; i < rounds; i++) {
            const from = `+4792${String(n++).padStart(6, '0')}`
            if (await text(server.url, from, 'meny')) acknowledged.add(from)
            else refused.add(from)
          }
        })
      )
    }
    await traffic(10)
    // Fill what is left, while texts keep coming.
    const filler = join(dir, 'filler')
    const filling = writeFile(filler, Buffer.alloc(16 * 1024 * 1024)).catch(
      (e: NodeJS.ErrnoException) => e.code
    )
    await Promise.all([traffic(10), filling])
    expect(await filling).toBe('ENOSPC')
    await traffic(5)
    expect(refused.size).toBeGreaterThan(0)
    // Space again: texts are answered again without a restart.
    await unlink(filler)
    const before = acknowledged.size
    await traffic(10)
    expect(acknowledged.size).toBeGreaterThan(before)
    server.child.kill('SIGKILL')
    await once(server.child, 'exit')

    const again = await startServer(dir, port + 1, cleanups)
    expect(await text(again.url, '+4799999999', 'meny')).toBe(true)
    again.child.kill('SIGTERM')
    await once(again.child, 'exit')
    const store = await openStore(dir)
    const missing = [...acknowledged].filter(
      (from) =>
        !store.data.contacts[`sms:${from}`] || !store.data.botState[`sms/conversations/${from}/`]
    )
    expect(missing).toEqual([])
    await rm(join(dir, 'instance.lock'), { force: true })
  }, 120_000)
})
