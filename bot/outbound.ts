/**
 * @module bot/outbound
 * An SMS that should leave now (a volunteer's reply, an alert to staff): stored in the outbox and
 * tried at once, outside the rate-limited queue. If the try fails but may work later, the
 * dispatcher retries it like any other queued message.
 */
import { enqueueMessage } from './store/outbox.js'
import type { OutboxMessage } from './store/schema.js'
import { attemptSend, type SendDeps } from './scheduler/send-attempt.js'

export type SmsDelivery = (to: string, body: string) => Promise<OutboxMessage>

export function createSmsDelivery(deps: SendDeps & { newId: () => string }): SmsDelivery {
  return async (to, body) => {
    const message = enqueueMessage(
      deps.store,
      { id: deps.newId(), channel: 'sms', to, body },
      deps.clock()
    )
    await attemptSend(deps, message)
    return deps.store.data.outbox[message.id]!
  }
}
