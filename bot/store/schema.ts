/**
 * @module bot/store/schema
 * The main store document, checked with zod when it loads. Transcripts are not here: they are
 * appended to day files (see transcripts.ts) so that this document stays small.
 */
import { z } from 'zod'
import { CrisisKind } from '../../content/schema.js'
import { reminderCollections } from './reminder-records.js'

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
  /** Someone at this number said it is the wrong person (a typo or a reused number). */
  wrongNumberAt: isoTime.optional(),
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
  /** The reminder or campaign it belongs to: progress, replies, quiet hours and opt-out at send time. */
  source: z
    .object({ kind: z.enum(['reminder', 'campaign']), id: z.string(), personId: z.string() })
    .optional(),
  /** Cancelled instead of sent after this time: a reminder must not arrive after its appointment. */
  notAfter: isoTime.optional(),
  /**
   * 'staff': an alert to a staff member's or on-call phone. It is the staff's record, not the
   * participant's whose number it may share (a staff member testing from their own phone).
   */
  audience: z.literal('staff').optional(),
})
export type OutboxMessage = z.infer<typeof OutboxMessage>

/** A needs mapping the participant agreed to share with a coordinator. */
export const MappingRecord = z.object({
  participantId: z.string(),
  at: isoTime,
  answers: z.record(z.string(), z.string()),
  consent: Consent,
})
export type MappingRecord = z.infer<typeof MappingRecord>

export const StaffRole = z.enum(['volunteer', 'coordinator', 'admin'])
export type StaffRole = z.infer<typeof StaffRole>

/** A volunteer, coordinator or admin who logs in to the console. */
export const StaffAccount = z.object({
  id: z.string(),
  username: z.string(),
  role: StaffRole,
  /** scrypt$N$r$p$salt$hash (see bot/console/staff/passwords.ts); never a plain password. */
  passwordHash: z.string(),
  /** Where off-platform alerts reach them (coordinators: unclaimed requests). */
  phone: z.string().optional(),
  createdAt: isoTime,
  failedLogins: z.number().int().default(0),
  lockedUntil: isoTime.optional(),
  disabled: z.boolean().default(false),
  /** Set by an admin's new or reset password: the console asks for their own first. */
  mustChangePassword: z.boolean().default(false),
})
export type StaffAccount = z.infer<typeof StaffAccount>

/** A console login, keyed by the SHA-256 of its cookie token. */
export const StaffSession = z.object({
  staffId: z.string(),
  csrf: z.string(),
  createdAt: isoTime,
  expiresAt: isoTime,
})
export type StaffSession = z.infer<typeof StaffSession>

export const HandoffState = z.enum([
  'requested',
  'claimed',
  'transferred',
  'closed',
  'expired',
  'cancelled',
])
export type HandoffState = z.infer<typeof HandoffState>

/** One change of a handoff, kept for good: when, who ("participant", "system" or a staff id), what. */
export const HandoffChange = z.object({
  at: isoTime,
  actor: z.string(),
  event: z.string(),
  /** Unset for the request that created it. */
  from: HandoffState.optional(),
  to: HandoffState,
  detail: z.string().optional(),
})
export type HandoffChange = z.infer<typeof HandoffChange>

/** What the crisis layer saw in this chat, for staff: how clear, which kinds, which words. */
export const CrisisTrigger = z.object({
  level: z.enum(['danger', 'possible']),
  kinds: z.array(CrisisKind),
  cues: z.array(z.string()),
  at: isoTime,
})
export type CrisisTrigger = z.infer<typeof CrisisTrigger>

/** A participant waiting for, or talking with, a person (see bot/handoff/machine.ts). */
export const Handoff = z.object({
  id: z.string(),
  participantId: z.string(),
  channel: Channel,
  state: HandoffState,
  urgent: z.boolean(),
  /** outreach: a coordinator wrote first (bot/handoff/staff-actions.ts reachOut). */
  reason: z.enum(['crisis', 'human', 'not-understood', 'outreach']),
  createdAt: isoTime,
  updatedAt: isoTime,
  /** When it last entered the queue (requested, released, transferred): waiting counts from here. */
  queuedAt: isoTime,
  /** Last message either way: idle handoffs expire so the bot is never silenced for good. */
  lastActivityAt: isoTime,
  /** The participant wrote and no person has answered since. */
  waitingSince: isoTime.optional(),
  /** When the participant last wrote: a reply at night to someone writing now is not held. */
  lastInboundAt: isoTime.optional(),
  assignee: z.string().optional(),
  /** A coordinator it was transferred to; unset means any coordinator. */
  transferTo: z.string().optional(),
  outcome: z.string().optional(),
  notifiedAt: isoTime.optional(),
  escalatedAt: isoTime.optional(),
  /** Crisis words in this chat (the request or a later message). */
  crisis: CrisisTrigger.optional(),
  /** When a person first answered: until then an urgent chat acknowledges every message. */
  answeredAt: isoTime.optional(),
  /** When the bot last acknowledged a message while the chat waited for a person. */
  ackedAt: isoTime.optional(),
  history: z.array(HandoffChange),
  notes: z.array(z.object({ at: isoTime, by: z.string(), text: z.string() })).default([]),
  /**
   * What the participant did before asking (bot/handoff/before-chat.ts): the topics the bot
   * answered, and whether they let staff read the texts (then those are in the transcript).
   */
  before: z.object({ topics: z.array(z.string()), consent: z.boolean() }).optional(),
})
export type Handoff = z.infer<typeof Handoff>

/**
 * An inbound SMS already answered, by its MessageSid: a retried webhook gets the same TwiML and
 * runs no second turn. Kept a day (Twilio retries within minutes), the participant's with SLETT.
 */
export const HandledSms = z.object({
  at: isoTime,
  bodies: z.array(z.string()),
  /** Whose turn it was, if they still exist after it (SLETT deletes them within the turn). */
  participantId: z.string().optional(),
})
export type HandledSms = z.infer<typeof HandledSms>

export const StoreData = z.object({
  version: z.literal(1),
  participants: z.record(z.string(), Participant),
  /** "channel:address" → participant id. */
  contacts: z.record(z.string(), z.string()),
  conversations: z.record(z.string(), ConversationRef),
  botState: z.record(z.string(), BotStateItem),
  outbox: z.record(z.string(), OutboxMessage),
  mappings: z.record(z.string(), MappingRecord).default({}),
  staff: z.record(z.string(), StaffAccount).default({}),
  sessions: z.record(z.string(), StaffSession).default({}),
  handoffs: z.record(z.string(), Handoff).default({}),
  handledSms: z.record(z.string(), HandledSms).default({}),
  ...reminderCollections,
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
    mappings: {},
    staff: {},
    sessions: {},
    handoffs: {},
    handledSms: {},
    people: {},
    appointments: {},
    campaigns: {},
    replies: {},
  }
}
