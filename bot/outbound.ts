/**
 * @module bot/outbound
 * The one way an SMS leaves outside a webhook reply: stored in the outbox and on disk first,
 * then handed to the transport, then marked. A crash between the two leaves it pending, not lost.
 */
import type { Logger } from './logger.js'
import { SendError, type SmsTransport } from './channels/channel.js'
import { enqueueMessage, moveMessage } from './store/outbox.js'
import type { OutboxMessage } from './store/schema.js'
import type { Store } from './store/store.js'

export type SmsDelivery = (to: string, body: string) => Promise<OutboxMessage>

export function createSmsDelivery(deps: {
  store: Store
  transport: SmsTransport
  clock: () => Date
  newId: () => string
  logger: Logger
}): SmsDelivery {
  const { store, transport, clock, logger } = deps
  return async (to, body) => {
    const message = enqueueMessage(store, { id: deps.newId(), channel: 'sms', to, body }, clock())
    moveMessage(store, message.id, 'sending', clock(), { attempts: message.attempts + 1 })
    await store.flush()
    try {
      const { providerId } = await transport.send(to, body)
      moveMessage(store, message.id, 'sent', clock(), { providerId })
      logger.info('sms.sent', { id: message.id, to, transport: transport.name })
    } catch (error) {
      const retryable = error instanceof SendError && error.retryable
      moveMessage(store, message.id, retryable ? 'pending' : 'failed', clock(), {
        lastError: (error as Error).message,
      })
      logger.warn('sms.send_failed', {
        id: message.id,
        to,
        retryable,
        error: (error as Error).message,
      })
    }
    await store.flush()
    return store.data.outbox[message.id]!
  }
}
