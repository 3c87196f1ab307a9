/**
 * @module bot/outbound
 * An SMS that should leave now (a volunteer's reply, an alert to staff): stored in the outbox and
 * tried at once, outside the rate-limited queue; or one held until a time (a notice at night).
 * If the try fails but may work later, the dispatcher retries it like any other queued message.
 */
import { enqueueMessage } from './store/outbox.js'
import type { OutboxMessage } from './store/schema.js'
import { attemptSend, type SendDeps } from './scheduler/send-attempt.js'

/**
 * `notBefore` in the future only queues the message: the dispatcher sends it then. `audience`
 * 'staff' marks an alert to staff, which a participant's SLETT never takes.
 */
export type SmsDelivery = (
  to: string,
  body: string,
  options?: { notBefore?: Date; audience?: 'staff' }
) => Promise<OutboxMessage>

export function createSmsDelivery(deps: SendDeps & { newId: () => string }): SmsDelivery {
  return async (to, body, options = {}) => {
    const now = deps.clock()
    const later = options.notBefore && options.notBefore > now ? options.notBefore : undefined
    const message = enqueueMessage(
      deps.store,
      {
        id: deps.newId(),
        channel: 'sms',
        to,
        body,
        ...(later && { dueAt: later.toISOString() }),
        ...(options.audience && { audience: options.audience }),
      },
      now
    )
    if (later) await deps.store.flush()
    else await attemptSend(deps, message)
    return deps.store.data.outbox[message.id]!
  }
}
