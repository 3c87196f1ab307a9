/**
 * The real server (bot/main.ts) on PostgreSQL: DATABASE_URL set, a signed SMS answered, the
 * process killed without warning and started again, and the conversation goes on where it was
 * (the same participant, its dialog state, the retried webhook answered from the record).
 */
import { once } from 'node:events'
import pg from 'pg'
import { afterAll, describe, expect, it } from 'vitest'
import { tempDir } from '../helpers/make-app.js'
import { createTestDatabase } from '../helpers/pg.js'
import { startServer } from '../helpers/server-process.js'
import { inboundForm, signedPost } from '../helpers/twilio.js'

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  while (cleanups.length) await cleanups.pop()!()
})

async function text(url: string, form: Record<string, string>): Promise<string> {
  const response = await fetch(`${url}/sms/twilio`, signedPost('/sms/twilio', form))
  expect(response.status).toBe(200)
  return response.text()
}

describe('the server on PostgreSQL', () => {
  it('Should answer an SMS, survive a kill -9 and go on with the same conversation', async () => {
    const db = await createTestDatabase()
    cleanups.push(db.drop)
    const dir = await tempDir()
    cleanups.push(dir.remove)
    const port = 5_200 + Math.floor(Math.random() * 400)
    const settings = { DATABASE_URL: db.url }
    const first = await startServer(dir.dir, port, cleanups, settings)
    // They choose English: the participant's record says so from now on.
    const hello = inboundForm('+4791234567', 'ENGLISH')
    const firstReply = await text(first.url, hello)
    expect(firstReply).toContain('<Message>')
    first.child.kill('SIGKILL')
    await once(first.child, 'exit')

    const second = await startServer(dir.dir, port + 1, cleanups, settings)
    // Twilio's retry of the first webhook: the same answer from the record, no second turn.
    expect(await text(second.url, hello)).toBe(firstReply)
    const again = await text(second.url, inboundForm('+4791234567', 'Hei'))
    // The same text from a number never seen before is answered in Norwegian; theirs in English.
    const stranger = await text(second.url, inboundForm('+4797654321', 'Hei'))
    expect(again).not.toBe(stranger)

    const client = new pg.Client({ connectionString: db.url })
    await client.connect()
    try {
      const participants = await client.query(
        "SELECT key, record FROM participants WHERE address = '+4791234567'"
      )
      expect(participants.rows).toHaveLength(1)
      expect(participants.rows[0].record).toMatchObject({ language: 'en', languageChosen: true })
      const contacts = await client.query(
        "SELECT participant_id FROM contacts WHERE key = 'sms:+4791234567'"
      )
      expect(contacts.rows[0].participant_id).toBe(participants.rows[0].key)
      const state = await client.query(
        "SELECT 1 FROM bot_state WHERE key LIKE 'sms/conversations/+4791234567%'"
      )
      expect(state.rows.length).toBeGreaterThan(0)
      // Nothing of the store went to DATA_DIR.
      const { readdir } = await import('node:fs/promises')
      expect(await readdir(dir.dir)).not.toContain('store')
    } finally {
      await client.end()
    }
  }, 240_000)
})
