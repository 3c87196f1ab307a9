import { TestAdapter, type Activity } from 'botbuilder'
import { expect } from 'vitest'
import { localTransport } from '../../bot/channels/sms-transport.js'
import { memoryLogger } from '../../bot/logger.js'
import { createRuntime } from '../../bot/runtime.js'
import { openStore } from '../../bot/store/store.js'
import { TranscriptLog } from '../../bot/store/transcripts.js'
import { realKnowledge, tempDir } from './make-app.js'

/** One step: what the participant sends, and what the reply must contain (every string, in order). */
export type Step = [send: string, expect: string | string[]]

/** A bot on a temp store behind botbuilder's TestAdapter, as one participant on `channelId`. */
export async function transcriptBot(channelId = 'sms', address = '+4791111111') {
  const temp = await tempDir()
  const store = await openStore(temp.dir)
  const runtime = createRuntime({
    config: { DEFAULT_LANGUAGE: 'nb', SMS_MAX_SEGMENTS: 2 },
    store,
    transcripts: await TranscriptLog.open(temp.dir),
    knowledge: realKnowledge(),
    smsTransport: localTransport(() => 'local'),
    logger: memoryLogger(),
  })
  const adapter = new TestAdapter((context) => runtime.bot.run(context), {
    channelId,
    conversation: { id: address, isGroup: false, conversationType: 'personal', name: '' },
    user: { id: address, name: 'participant' },
    bot: { id: 'bot', name: 'bot' },
  })
  return { adapter, runtime, store, cleanup: temp.remove }
}

/** Sends each step and checks the single reply; returns the reply texts. */
export async function play(adapter: TestAdapter, steps: Step[]): Promise<string[]> {
  const replies: string[] = []
  for (const [send, expected] of steps) {
    await adapter.send(send).assertReply((activity: Partial<Activity>) => {
      const text = [activity.text ?? '', ...(activity.suggestedActions?.actions ?? []).map((a) => String(a.title))].join('\n')
      replies.push(text)
      let from = 0
      for (const part of Array.isArray(expected) ? expected : [expected]) {
        const at = text.indexOf(part, from)
        expect(at, `after "${send}" expected "${part}" in:\n${text}`).toBeGreaterThanOrEqual(0)
        from = at + part.length
      }
    })
  }
  return replies
}
