/**
 * @module bot/store/outbox
 * Every message sent outside a webhook reply is stored here first, then sent, then tracked by
 * delivery receipts. States move only along the transition table; receipts that arrive out of
 * order cannot move a message backwards.
 */
import type { Channel, OutboxMessage, OutboxState } from './schema.js'
import { TWILIO_OPTED_OUT, optOutFromProvider } from './participants.js'
import type { Store } from './store.js'

/**
 * Provider id → message id, so a campaign's thousands of receipts do not each scan the outbox.
 * Rebuilt from the outbox whenever it misses or points at the wrong message, so it never has to
 * follow deletions or restarts.
 */
const providerIndex = new WeakMap<Store, Map<string, string>>()

export const outboxTransitions: Record<OutboxState, readonly OutboxState[]> = {
  pending: ['sending', 'cancelled'],
  sending: ['sent', 'delivered', 'failed', 'pending'],
  sent: ['delivered', 'failed'],
  delivered: [],
  failed: [],
  cancelled: [],
}

export function canMove(from: OutboxState, to: OutboxState): boolean {
  return outboxTransitions[from].includes(to)
}

export function enqueueMessage(
  store: Store,
  message: { id: string; channel: Channel; to: string; body: string } & Partial<
    Pick<OutboxMessage, 'dueAt' | 'source' | 'notAfter' | 'audience'>
  >,
  now: Date
): OutboxMessage {
  return store.put('outbox', message.id, {
    ...message,
    state: 'pending',
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
    attempts: 0,
  })
}

/** Moves a message if the table allows it; returns whether it moved. */
export function moveMessage(
  store: Store,
  id: string,
  to: OutboxState,
  now: Date,
  fields: Partial<
    Pick<OutboxMessage, 'providerId' | 'providerStatus' | 'lastError' | 'attempts' | 'dueAt'>
  > = {}
): boolean {
  const message = store.data.outbox[id]
  if (!message || !canMove(message.state, to)) return false
  store.edit('outbox', id, (m) =>
    Object.assign(m, fields, { state: to, updatedAt: now.toISOString() })
  )
  if (fields.providerId) providerIndex.get(store)?.set(fields.providerId, id)
  return true
}

function byProviderId(store: Store, providerId: string): OutboxMessage | undefined {
  const cached = store.data.outbox[providerIndex.get(store)?.get(providerId) ?? '']
  if (cached?.providerId === providerId) return cached
  const index = new Map<string, string>()
  for (const m of Object.values(store.data.outbox)) if (m.providerId) index.set(m.providerId, m.id)
  providerIndex.set(store, index)
  return store.data.outbox[index.get(providerId) ?? '']
}

/** Twilio MessageStatus → our state, for receipts. Intermediate statuses change nothing. */
const receiptStates: Record<string, OutboxState | undefined> = {
  sent: 'sent',
  delivered: 'delivered',
  read: 'delivered',
  undelivered: 'failed',
  failed: 'failed',
}

/**
 * Applies a delivery receipt by provider id; returns false when no message has that id. A receipt
 * saying the number opted out with Twilio opts the participant out here too.
 */
export function applyReceipt(
  store: Store,
  providerId: string,
  status: string,
  errorCode: string | undefined,
  now: Date
): boolean {
  const message = byProviderId(store, providerId)
  if (!message) return false
  const target = receiptStates[status]
  store.edit('outbox', message.id, (m) => {
    m.providerStatus = status
    m.updatedAt = now.toISOString()
    if (errorCode) m.lastError = `Twilio error ${errorCode}`
  })
  if (target && target !== message.state) moveMessage(store, message.id, target, now)
  if (errorCode === TWILIO_OPTED_OUT) optOutFromProvider(store, message.channel, message.to)
  return true
}

/** Newest first; for the simulator and the console. */
export function recentMessages(
  store: Store,
  channel: Channel,
  to?: string,
  limit = 50
): OutboxMessage[] {
  return Object.values(store.data.outbox)
    .filter((m) => m.channel === channel && (to === undefined || m.to === to))
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt))
    .slice(0, limit)
}
