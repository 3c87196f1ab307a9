import { TestAdapter, type Activity } from 'botbuilder'
import { expect } from 'vitest'
import { localTransport } from '../../bot/channels/sms-transport.js'
import { memoryLogger } from '../../bot/logger.js'
import { createRuntime } from '../../bot/runtime.js'
import { openStore } from '../../bot/store/store.js'
import { TranscriptLog } from '../../bot/store/transcripts.js'
import { realKnowledge, tempDir, testConfig } from './make-app.js'

/** One step: what the participant sends, and what the reply must contain (every string, in order). */
export type Step = [send: string, expect: string | string[]]

/** A bot on a temp store behind botbuilder's TestAdapter, as one participant on `channelId`. */
export async function transcriptBot(
  channelId = 'sms',
  address = '+4791111111',
  clock?: () => Date
) {
  const temp = await tempDir()
  const store = await openStore(temp.dir)
  const runtime = createRuntime({
    config: testConfig,
    store,
    transcripts: await TranscriptLog.open(temp.dir),
    knowledge: realKnowledge(),
    smsTransport: localTransport(() => 'local'),
    logger: memoryLogger(),
    clock,
  })
  const adapter = new TestAdapter((context) => runtime.bot.run(context), {
    channelId,
    conversation: { id: address, isGroup: false, conversationType: 'personal', name: '' },
    from: { id: address, name: 'participant' },
    recipient: { id: 'bot', name: 'bot' },
  })
  return { adapter, runtime, store, cleanup: temp.remove }
}

/**
 * Sends each step and checks everything the bot said in that turn, joined as an SMS would join
 * it; returns the reply texts.
 */
export async function play(adapter: TestAdapter, steps: Step[]): Promise<string[]> {
  const replies: string[] = []
  for (const [send, expected] of steps) {
    await adapter.processActivity(send)
    const text = adapter.activeQueue
      .splice(0)
      .map((activity: Partial<Activity>) =>
        [
          activity.text ?? '',
          ...(activity.suggestedActions?.actions ?? []).map((a) => String(a.title)),
        ].join('\n')
      )
      .join('\n\n')
    replies.push(text)
    let from = 0
    for (const part of Array.isArray(expected) ? expected : [expected]) {
      const at = text.indexOf(part, from)
      expect(at, `after "${send}" expected "${part}" in:\n${text}`).toBeGreaterThanOrEqual(0)
      from = at + part.length
    }
  }
  return replies
}
