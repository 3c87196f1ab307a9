/**
 * @module bot/channels/sms-transport
 * Where outbound SMS go: Twilio's REST API when an account is configured, otherwise nowhere but
 * the local outbox (the simulator and the console show it).
 */
import twilio from 'twilio'
import type RequestClient from 'twilio/lib/base/RequestClient.js'
import { SendError, type SmsTransport } from './channel.js'

type TwilioSettings = {
  accountSid: string
  authToken: string
  from?: string
  messagingServiceSid?: string
}

/** Twilio errors that will not go away by trying again (21610: the number sent STOP). */
const permanentCodes = new Set([
  21211, 21408, 21610, 21612, 21614, 21617, 30003, 30004, 30005, 30006, 30007,
])

export function twilioTransport(
  settings: TwilioSettings,
  statusCallback: string,
  // Kept-alive connections: a campaign would otherwise pay a TLS handshake per message.
  httpClient: RequestClient = new twilio.RequestClient({ keepAlive: true, maxSockets: 64 })
): SmsTransport {
  const client = twilio(settings.accountSid, settings.authToken, { httpClient, autoRetry: false })
  return {
    name: 'twilio',
    async send(to, body) {
      try {
        const message = await client.messages.create({
          to,
          body,
          statusCallback,
          ...(settings.messagingServiceSid
            ? { messagingServiceSid: settings.messagingServiceSid }
            : { from: settings.from! }),
        })
        return { providerId: message.sid }
      } catch (error) {
        throw toSendError(error)
      }
    },
  }
}

/** Keeps messages in the store only; ids are local. */
export function localTransport(nextId: () => string): SmsTransport {
  return {
    name: 'local',
    async send() {
      return { providerId: nextId() }
    },
  }
}

function toSendError(error: unknown): SendError {
  const e = error as { status?: number; code?: number; message?: string }
  if (typeof e.status === 'number') {
    const retryable = e.status === 429 || e.status >= 500 ? !permanentCodes.has(e.code ?? 0) : false
    return new SendError(
      `Twilio ${e.status}${e.code ? ` error ${e.code}` : ''}: ${e.message ?? ''}`,
      retryable,
      String(e.code ?? e.status)
    )
  }
  return new SendError(`network: ${e.message ?? String(error)}`, true)
}
