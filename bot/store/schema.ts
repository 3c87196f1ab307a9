/**
 * @module bot/store/schema
 * The main store document, checked with zod when it loads. Transcripts are not here: they are
 * appended to day files (see transcripts.ts) so that this document stays small.
 */
import { z } from 'zod'

const isoTime = z.iso.datetime({ offset: true })

export const Channel = z.enum(['sms', 'webchat', 'botframework', 'test'])
export type Channel = z.infer<typeof Channel>

export const Consent = z.object({
  given: z.boolean(),
  at: isoTime,
  channel: Channel,
  textVersion: z.string(),
})

export const Participant = z.object({
  id: z.string(),
  channel: Channel,
  /** Phone number (sms) or conversation id (web chat): what we need to reach them. */
  address: z.string(),
  language: z.enum(['nb', 'en']).optional(),
  /** True once they chose with NORSK/ENGLISH; a detected language may still change. */
  languageChosen: z.boolean().optional(),
  createdAt: isoTime,
  lastSeenAt: isoTime,
  optedOut: z.boolean().default(false),
  consent: Consent.optional(),
})
export type Participant = z.infer<typeof Participant>

/** A botbuilder ConversationReference, kept loose: it is botbuilder's shape, not ours. */
export const ConversationRef = z.object({
  participantId: z.string(),
  reference: z.record(z.string(), z.unknown()),
  updatedAt: isoTime,
})
export type ConversationRef = z.infer<typeof ConversationRef>

export const BotStateItem = z.object({ eTag: z.string(), value: z.record(z.string(), z.unknown()) })
export type BotStateItem = z.infer<typeof BotStateItem>

export const OutboxState = z.enum([
  'pending',
  'sending',
  'sent',
  'delivered',
  'failed',
  'cancelled',
])
export type OutboxState = z.infer<typeof OutboxState>

export const OutboxMessage = z.object({
  id: z.string(),
  channel: Channel,
  to: z.string(),
  body: z.string(),
  state: OutboxState,
  createdAt: isoTime,
  updatedAt: isoTime,
  attempts: z.number().int().default(0),
  /** Not to be sent before this time (a reminder, quiet hours, a retry's back-off). */
  dueAt: isoTime.optional(),
  providerId: z.string().optional(),
  providerStatus: z.string().optional(),
  lastError: z.string().optional(),
})
export type OutboxMessage = z.infer<typeof OutboxMessage>

export const Alert = z.object({
  id: z.string(),
  participantId: z.string(),
  reason: z.enum(['crisis', 'human', 'not-understood']),
  topicId: z.string().optional(),
  createdAt: isoTime,
  open: z.boolean(),
})
export type Alert = z.infer<typeof Alert>

/** A needs mapping the participant agreed to share with a coordinator. */
export const MappingRecord = z.object({
  participantId: z.string(),
  at: isoTime,
  answers: z.record(z.string(), z.string()),
  consent: Consent,
})
export type MappingRecord = z.infer<typeof MappingRecord>

export const StoreData = z.object({
  version: z.literal(1),
  participants: z.record(z.string(), Participant),
  /** "channel:address" → participant id. */
  contacts: z.record(z.string(), z.string()),
  conversations: z.record(z.string(), ConversationRef),
  botState: z.record(z.string(), BotStateItem),
  outbox: z.record(z.string(), OutboxMessage),
  alerts: z.record(z.string(), Alert),
  mappings: z.record(z.string(), MappingRecord).default({}),
})
export type StoreData = z.infer<typeof StoreData>

export function emptyStore(): StoreData {
  return {
    version: 1,
    participants: {},
    contacts: {},
    conversations: {},
    botState: {},
    outbox: {},
    alerts: {},
    mappings: {},
  }
}
