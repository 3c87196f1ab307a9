/**
 * @module bot/scheduler/dispatcher
 * Sends what waits in the outbox: due messages, at most `ratePerSecond` per sender, a few at a
 * time. A message is marked "sending" on disk before the provider is called and "sent" on disk
 * before the worker takes the next one, so a crash can resend at most the messages in flight.
 * Retryable failures back off and try again; permanent ones stop and are shown.
 */
import pLimit, { type LimitFunction } from 'p-limit'
import { RateLimiterMemory, RateLimiterQueue } from 'rate-limiter-flexible'
import type { SmsTransport } from '../channels/channel.js'
import type { Logger } from '../logger.js'
import { moveMessage } from '../store/outbox.js'
import { attemptSend, backoffMs, type SendDeps } from './send-attempt.js'

export { backoffMs }
import type { OutboxMessage } from '../store/schema.js'
import type { Store } from '../store/store.js'

/**
 * Whether a due message may go now: 'hold' leaves it waiting (quiet hours), a cancel reason drops
 * it for good (the person opted out, the appointment has passed).
 */
export type DispatchGate = (
  message: OutboxMessage,
  now: Date
) => 'send' | 'hold' | { cancel: string }

export type DispatcherOptions = {
  store: Store
  transport: SmsTransport
  clock: () => Date
  logger: Logger
  /** Messages per second per sender; 0 means no limit. */
  ratePerSecond: number
  /** Sends in flight at once (the most a crash can duplicate). */
  concurrency: number
  /** The in-flight limit shared with every other send; default: one of `concurrency` of its own. */
  inFlight?: LimitFunction
  maxAttempts: number
  /** Asked before each send, again after waiting for the rate limit; default: always send. */
  gate?: DispatchGate
  /** Called each time a message's outcome is on disk (a live progress view re-renders). */
  onSettled?: (message: OutboxMessage) => void
  /** Several instances: each try taken by one of them (send-attempt.ts). */
  claim?: SendDeps['claim']
}

export type DispatchResult = { sent: number; retried: number; failed: number }

/** Sends allowed per window of about a tenth of a second. */
const windowPoints = (rate: number) => Math.max(1, Math.round(rate / 10))

export class Dispatcher {
  readonly #queue: RateLimiterQueue | null
  readonly #inFlight: LimitFunction

  constructor(private readonly options: DispatcherOptions) {
    this.#inFlight = options.inFlight ?? pLimit(options.concurrency)
    this.#queue =
      options.ratePerSecond > 0
        ? // Tenth-of-a-second windows: close to the configured rate without whole-second bursts.
          new RateLimiterQueue(
            new RateLimiterMemory({
              points: windowPoints(options.ratePerSecond),
              duration: windowPoints(options.ratePerSecond) / options.ratePerSecond,
            }),
            { maxQueueSize: 1_000_000 }
          )
        : null
  }

  /** Messages that were being sent when the process stopped go back to the queue (resent once). */
  recover(): number {
    const { store, clock } = this.options
    const stuck = Object.values(store.data.outbox).filter((m) => m.state === 'sending')
    for (const m of stuck) moveMessage(store, m.id, 'pending', clock())
    return stuck.length
  }

  /**
   * Several instances: messages being sent by an instance that has stopped (`stopped` picks
   * them out) go back to the queue, as `recover` does for the only process at its start.
   */
  async recoverStopped(stopped: (ids: string[]) => Promise<string[]>): Promise<number> {
    const { store, clock } = this.options
    const sending = Object.values(store.data.outbox).filter((m) => m.state === 'sending')
    if (sending.length === 0) return 0
    let moved = 0
    for (const id of await stopped(sending.map((m) => m.id)))
      if (moveMessage(store, id, 'pending', clock())) moved++
    return moved
  }

  /** The SMS due at `now`, oldest first. */
  due(now: Date): OutboxMessage[] {
    const at = now.toISOString()
    return Object.values(this.options.store.data.outbox)
      .filter((m) => m.channel === 'sms' && m.state === 'pending' && (m.dueAt ?? m.createdAt) <= at)
      .sort((a, b) => (a.dueAt ?? a.createdAt).localeCompare(b.dueAt ?? b.createdAt))
  }

  /** Sends everything due now; resolves when each is sent, retried later or failed, on disk. */
  async tick(now = this.options.clock()): Promise<DispatchResult> {
    const due = this.due(now).filter((m) => this.#allowed(m, now))
    const result: DispatchResult = { sent: 0, retried: 0, failed: 0 }
    let next = 0
    const worker = async () => {
      while (next < due.length) {
        const message = due[next++]!
        const outcome = await this.#send(message)
        if (outcome !== 'skipped' && outcome !== 'taken') result[outcome]++
        this.options.onSettled?.(message)
      }
    }
    await Promise.all(
      Array.from({ length: Math.min(this.options.concurrency, due.length) }, worker)
    )
    await this.options.store.flush()
    return result
  }

  /** Applies the gate: true to send now; a cancelled message is moved here. */
  #allowed(message: OutboxMessage, now: Date): boolean {
    const verdict = this.options.gate?.(message, now) ?? 'send'
    if (typeof verdict === 'object') {
      moveMessage(this.options.store, message.id, 'cancelled', now, { lastError: verdict.cancel })
    }
    return verdict === 'send'
  }

  async #send(message: OutboxMessage): Promise<keyof DispatchResult | 'skipped' | 'taken'> {
    const { store, clock } = this.options
    if (this.#queue) await this.#queue.removeTokens(1)
    // Waiting for the rate limit can take minutes in a campaign: they may have opted out since.
    const current = store.data.outbox[message.id]
    if (!current || current.state !== 'pending' || !this.#allowed(current, clock()))
      return 'skipped'
    return attemptSend({ ...this.options, inFlight: this.#inFlight }, current)
  }
}
