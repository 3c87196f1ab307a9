/**
 * Fills a data folder the way a long-running service would look: participants who have talked
 * to the bot (with dialog state and a conversation reference each) and a year of transcripts.
 * It writes the files directly, through the store's own code, so the layout is the real one.
 */
import { mkdir, open } from 'node:fs/promises'
import { join } from 'node:path'
import { openPgStore } from '../bot/store/pg/pg-store.js'
import { openStore, type Store } from '../bot/store/store.js'

export async function prefill(dir: string, participants: number, transcriptMessages: number): Promise<void> {
  const store = await openStore(dir)
  const now = Date.parse('2026-11-23T12:00:00Z')
  putParticipants(store, participants, now)
  await store.flush()
  await writeTranscripts(join(dir, 'transcripts'), participants, transcriptMessages, now)
}

/**
 * The same on PostgreSQL (DATABASE_URL): the records through the store, the year of transcripts
 * straight into its table in one statement.
 */
export async function prefillPostgres(url: string, participants: number, transcriptMessages: number): Promise<void> {
  const store = await openPgStore(url, { listen: false })
  const now = Date.parse('2026-11-23T12:00:00Z')
  putParticipants(store, participants, now)
  await store.flush()
  await store.pg!.query(
    `INSERT INTO transcripts (participant_id, at, direction, entry)
     SELECT 'p_prefill' || (n % $2), at, dir,
            jsonb_build_object('at', at, 'participantId', 'p_prefill' || (n % $2), 'direction', dir,
              'text', CASE dir WHEN 'out' THEN 'Har du ikke noe sted å sove i natt? Gå til NAV-kontoret der du er, i dag.' ELSE 'har ikke noe sted å bo i natt' END)
       FROM (SELECT n, to_timestamp($3 / 1000.0) - (n % 365) * interval '1 day' + (n / 365) * interval '1 second' AS at,
                    CASE n % 2 WHEN 1 THEN 'out' ELSE 'in' END AS dir
               FROM generate_series(0, $1 - 1) n) t`,
    [transcriptMessages, Math.max(1, participants), now]
  )
  await store.close()
}

function putParticipants(store: Store, participants: number, now: number): void {
  for (let i = 0; i < participants; i++) {
    const id = `p_prefill${i}`
    const phone = `+4741${String(i).padStart(6, '0')}`
    const at = new Date(now - (i % 365) * 86_400_000).toISOString()
    store.put('participants', id, { id, channel: 'sms', address: phone, language: i % 5 ? 'nb' : 'en', createdAt: at, lastSeenAt: at, optedOut: false })
    store.put('contacts', `sms:${phone}`, id)
    store.put('conversations', id, {
      participantId: id,
      updatedAt: at,
      reference: { channelId: 'sms', serviceUrl: 'urn:twilio-sms', conversation: { id: phone }, user: { id: phone }, bot: { id: '+4759440000' }, locale: 'nb-NO' },
    })
    // A finished conversation's dialog state: the router waiting for the next message.
    store.put('botState', `sms/conversations/${phone}/`, {
      eTag: '1',
      value: { dialogState: { dialogStack: [{ id: 'router', state: { router: { options: [{ kind: 'more', id: 'housing-tonight' }], failures: 0 }, dialogs: { dialogStack: [] } } }] } },
    })
  }
}

/** A year of day files, written in big appends. */
async function writeTranscripts(dir: string, participants: number, total: number, now: number): Promise<void> {
  await mkdir(dir, { recursive: true })
  const perDay = Math.ceil(total / 365)
  let written = 0
  for (let day = 364; day >= 0 && written < total; day--) {
    const date = new Date(now - day * 86_400_000)
    const handle = await open(join(dir, `${date.toISOString().slice(0, 10)}.jsonl`), 'a')
    const lines: string[] = []
    for (let j = 0; j < perDay && written < total; j++, written++) {
      const p = written % Math.max(1, participants)
      lines.push(JSON.stringify({ at: new Date(date.getTime() + j * 1000).toISOString(), participantId: `p_prefill${p}`, direction: j % 2 ? 'out' : 'in', text: j % 2 ? 'Har du ikke noe sted å sove i natt? Gå til NAV-kontoret der du er, i dag.' : 'har ikke noe sted å bo i natt' }))
    }
    await handle.appendFile(lines.join('\n') + '\n')
    await handle.close()
  }
}
