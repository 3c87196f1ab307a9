/**
 * @module bot/store/handled-sms
 * Inbound SMS already answered, by MessageSid. Twilio retries a webhook it got no answer to
 * (https://www.twilio.com/docs/usage/webhooks/webhooks-connection-overrides), so the same
 * message can arrive twice: the second gets the first one's TwiML and runs no turn.
 */
import type { HandledSms } from './schema.js'
import type { Store } from './store.js'

/** Long enough for any retry of Twilio's; older records are pruned. */
export const HANDLED_SMS_KEEP_MS = 24 * 60 * 60 * 1000
/** A scan for old records at most this often. */
const PRUNE_EVERY_MS = 10 * 60 * 1000

/** The reply given to this MessageSid within the keep period, if it was handled. */
export function handledReply(store: Store, messageSid: string, now: Date): string[] | undefined {
  const record = store.data.handledSms[messageSid]
  if (!record || now.getTime() - Date.parse(record.at) > HANDLED_SMS_KEEP_MS) return undefined
  return record.bodies
}

/** Records the reply to a MessageSid; durable with the turn's own flush. */
export function rememberReply(store: Store, messageSid: string, record: HandledSms): void {
  store.put('handledSms', messageSid, record)
}

const lastPrune = new WeakMap<Store, number>()

/** Removes records older than the keep period; scans at most every ten minutes per store. */
export function pruneHandledSms(store: Store, now: Date): number {
  const at = now.getTime()
  if (at - (lastPrune.get(store) ?? -Infinity) < PRUNE_EVERY_MS) return 0
  lastPrune.set(store, at)
  let removed = 0
  for (const [sid, record] of Object.entries(store.data.handledSms)) {
    if (at - Date.parse(record.at) > HANDLED_SMS_KEEP_MS) {
      store.remove('handledSms', sid)
      removed++
    }
  }
  return removed
}
