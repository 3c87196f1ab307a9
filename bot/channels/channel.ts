/**
 * @module bot/channels/channel
 * What every channel shares: a send that may fail, and whether trying again could help.
 */

/** A failed send. `retryable` says whether the same message may succeed later (429, 5xx, network). */
export class SendError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
    readonly code?: string
  ) {
    super(message)
  }
}

/** Sends one SMS body to one number, returning the provider's message id. */
export type SmsTransport = {
  readonly name: 'twilio' | 'local'
  send(to: string, body: string): Promise<{ providerId: string }>
}
