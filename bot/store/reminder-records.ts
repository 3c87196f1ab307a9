/**
 * @module bot/store/reminder-records
 * The coordinator's side of reminders, as stored: the people they remind (linked to the bot's
 * participant by phone number), their appointments with the planned reminders, campaigns, and the
 * replies that came back. Checked with zod when the store loads, like the rest of the document.
 */
import { z } from 'zod'

const isoTime = z.iso.datetime({ offset: true })

export const Language = z.enum(['nb', 'en'])

/** Whether the person agreed to get reminders; only "given" is ever sent anything. */
export const ReminderConsent = z.enum(['given', 'refused', 'unknown'])
export type ReminderConsent = z.infer<typeof ReminderConsent>

/**
 * Someone a coordinator sends reminders to. The bot's participant with channel "sms" and this
 * phone number is the same person (their opt-out counts); they need never have texted us.
 */
export const Person = z.object({
  id: z.string(),
  /** A name or an alias, as the coordinator knows them. */
  name: z.string().min(1).max(80),
  /** E.164; unset when the coordinator has no number yet (such people are skipped). */
  phone: z.string().optional(),
  language: Language,
  groups: z.array(z.string()).default([]),
  consent: ReminderConsent,
  consentAt: isoTime.optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
  createdBy: z.string().optional(),
})
export type Person = z.infer<typeof Person>

/** Why a planned reminder was not sent. */
export const SkipReason = z.enum([
  'passed',
  'quiet-hours',
  'merged',
  'opted-out',
  'no-consent',
  'no-phone',
])
export type SkipReason = z.infer<typeof SkipReason>

/** One reminder of an appointment: planned when the appointment is saved, queued when due. */
export const PlannedReminder = z.object({
  /** The rule it comes from ("-1d@18:00", "-2h"), or "catch-up" for an appointment entered late. */
  rule: z.string(),
  dueAt: isoTime,
  state: z.enum(['planned', 'queued', 'skipped', 'cancelled']),
  reason: SkipReason.optional(),
  /** The outbox message, once queued. */
  messageId: z.string().optional(),
  /** The appointment's time this reminder was about, once the appointment has moved since. */
  oldAt: isoTime.optional(),
})
export type PlannedReminder = z.infer<typeof PlannedReminder>

export const AppointmentAnswer = z.enum(['coming', 'new-time'])

export const Appointment = z.object({
  id: z.string(),
  personId: z.string(),
  what: z.string().min(1).max(60),
  where: z.string().max(80).optional(),
  /** The appointment's instant, written with its Europe/Oslo (TZ) offset. */
  at: isoTime,
  status: z.enum(['scheduled', 'cancelled']),
  reminders: z.array(PlannedReminder),
  /** The person's last answer to a reminder. */
  answer: z.object({ kind: AppointmentAnswer, at: isoTime }).optional(),
  /** Last message from the person after a reminder: a later "1" answers the menu, not this. */
  heardAt: isoTime.optional(),
  /** The appointment this one replaced (a new time). */
  replaces: z.string().optional(),
  /** How often it was changed in place; reminders planned since carry it in their outbox id. */
  edits: z.number().int().positive().optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
  createdBy: z.string().optional(),
})
export type Appointment = z.infer<typeof Appointment>

export const CampaignState = z.enum(['scheduled', 'sending', 'done', 'cancelled'])
export type CampaignState = z.infer<typeof CampaignState>

/** Counts of a campaign, kept on the record when it ends so retention of messages loses nothing. */
export const CampaignCounts = z.object({
  recipients: z.number().int(),
  optedOut: z.number().int(),
  noConsent: z.number().int(),
  noPhone: z.number().int(),
  sent: z.number().int().default(0),
  delivered: z.number().int().default(0),
  failed: z.number().int().default(0),
  cancelled: z.number().int().default(0),
})
export type CampaignCounts = z.infer<typeof CampaignCounts>

export const Campaign = z.object({
  id: z.string(),
  name: z.string().min(1).max(80),
  /** The message per language, as the coordinator wrote it (the footer is added when sent). */
  texts: z.object({ nb: z.string().max(1000), en: z.string().max(1000) }),
  /** Everyone in any of these groups (none: everyone), optionally one language only. */
  audience: z.object({ groups: z.array(z.string()), language: Language.optional() }),
  sendAt: isoTime,
  state: CampaignState,
  counts: CampaignCounts.optional(),
  startedAt: isoTime.optional(),
  finishedAt: isoTime.optional(),
  createdAt: isoTime,
  createdBy: z.string().optional(),
})
export type Campaign = z.infer<typeof Campaign>

/** A reply to a reminder or a campaign, for the coordinators to see in the console. */
export const ReminderReply = z.object({
  id: z.string(),
  participantId: z.string(),
  personId: z.string(),
  appointmentId: z.string().optional(),
  campaignId: z.string().optional(),
  /** coming: "1"; new-time: "2"; human: asked for a person; message: anything else. */
  kind: z.enum(['coming', 'new-time', 'human', 'message']),
  text: z.string().max(500).optional(),
  at: isoTime,
  handledBy: z.string().optional(),
  handledAt: isoTime.optional(),
})
export type ReminderReply = z.infer<typeof ReminderReply>

/** The collections, spread into the store document (bot/store/schema.ts). */
export const reminderCollections = {
  people: z.record(z.string(), Person).default({}),
  appointments: z.record(z.string(), Appointment).default({}),
  campaigns: z.record(z.string(), Campaign).default({}),
  replies: z.record(z.string(), ReminderReply).default({}),
}
