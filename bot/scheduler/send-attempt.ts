/**
 * @module bot/scheduler/send-attempt
 * One try at sending one outbox SMS, the same for a volunteer's live reply and for a reminder:
 * "sending" is on disk before the provider is called and the outcome is on disk before this
 * resolves, so a crash can resend at most the messages in flight. Every try, whatever sent it,
 * waits for a place under one in-flight limit (SMS_DISPATCH_CONCURRENCY), so that is also the
 * most a crash can send twice. A retryable failure goes back to the queue with a back-off; a
 * permanent one stops and keeps its reason.
 */
import type { LimitFunction } from 'p-limit'
import { SendError, type SmsTransport } from '../channels/channel.js'
import type { Logger } from '../logger.js'
import { moveMessage } from '../store/outbox.js'
import { TWILIO_OPTED_OUT, optOutFromProvider } from '../store/participants.js'
import type { OutboxMessage } from '../store/schema.js'
import type { Store } from '../store/store.js'

export type SendDeps = {
  store: Store
  transport: SmsTransport
  clock: () => Date
  logger: Logger
  maxAttempts: number
  /** The one in-flight limit all sends share (runtime.ts makes it); none: no limit here. */
  inFlight?: LimitFunction
  /**
   * Several instances: takes this try of this message for this instance (cluster.claimSend);
   * false when another instance has it. None: this process is the only sender.
   */
  claim?: (messageId: string, attempt: number) => Promise<boolean>
}

/** 'taken': another instance is sending it; this one left it alone. */
export type SendOutcome = 'sent' | 'retried' | 'failed' | 'taken'

/** Back-off before attempt n+1: 30 s, 2 min, 8 min, … capped at an hour. */
export function backoffMs(attempt: number): number {
  return Math.min(3_600_000, 30_000 * 4 ** Math.max(0, attempt - 1))
}

export function attemptSend(deps: SendDeps, message: OutboxMessage): Promise<SendOutcome> {
  return deps.inFlight ? deps.inFlight(() => tryOnce(deps, message)) : tryOnce(deps, message)
}

async function tryOnce(deps: SendDeps, message: OutboxMessage): Promise<SendOutcome> {
  const { store, transport, clock, logger } = deps
  const attempts = message.attempts + 1
  if (deps.claim) {
    if (store.data.outbox[message.id]?.state !== 'pending') return 'failed'
    if (!(await deps.claim(message.id, attempts))) return 'taken'
  }
  if (!moveMessage(store, message.id, 'sending', clock(), { attempts })) return 'failed'
  await store.flush()
  try {
    const { providerId } = await transport.send(message.to, message.body)
    moveMessage(store, message.id, 'sent', clock(), { providerId })
    await store.flush()
    logger.info('sms.sent', { id: message.id, to: message.to, transport: transport.name })
    return 'sent'
  } catch (error) {
    const retry = error instanceof SendError && error.retryable && attempts < deps.maxAttempts
    const lastError = (error as Error).message
    if (retry) {
      const dueAt = new Date(clock().getTime() + backoffMs(attempts)).toISOString()
      moveMessage(store, message.id, 'pending', clock(), { lastError, dueAt })
    } else {
      moveMessage(store, message.id, 'failed', clock(), { lastError })
      if (error instanceof SendError && error.code === TWILIO_OPTED_OUT) {
        const participantId = optOutFromProvider(store, message.channel, message.to)
        if (participantId) logger.info('sms.opted_out_with_provider', { participantId })
      }
    }
    await store.flush()
    logger.warn('sms.send_failed', { id: message.id, to: message.to, retry, error: lastError })
    return retry ? 'retried' : 'failed'
  }
}
