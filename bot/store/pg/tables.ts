/**
 * @module bot/store/pg/tables
 * Which table holds each collection of the store document, and the typed columns filled from
 * each record (migrations/001-initial.sql creates them). The record itself is the jsonb column
 * `record`; the typed columns are for lookups, indexes and whoever queries the database.
 */
import type { CollectionName } from '../store.js'

export type Column = {
  name: string
  /** The PostgreSQL type of the array the values are sent as. */
  type: 'text' | 'timestamptz' | 'boolean'
  of: (record: Record<string, unknown>) => unknown
}

const field =
  (key: string) =>
  (r: Record<string, unknown>): unknown =>
    r[key] ?? null
const text = (name: string, key: string): Column => ({ name, type: 'text', of: field(key) })
const time = (name: string, key: string): Column => ({ name, type: 'timestamptz', of: field(key) })

export const tables: Record<CollectionName, { table: string; columns: Column[] }> = {
  participants: {
    table: 'participants',
    columns: [
      text('channel', 'channel'),
      text('address', 'address'),
      time('created_at', 'createdAt'),
      time('last_seen_at', 'lastSeenAt'),
      { name: 'opted_out', type: 'boolean', of: (r) => r.optedOut === true },
    ],
  },
  // The record is the participant id itself (a string).
  contacts: {
    table: 'contacts',
    columns: [{ name: 'participant_id', type: 'text', of: (r) => r as unknown as string }],
  },
  conversations: {
    table: 'conversations',
    columns: [text('participant_id', 'participantId'), time('updated_at', 'updatedAt')],
  },
  botState: { table: 'bot_state', columns: [] },
  outbox: {
    table: 'outbox',
    columns: [
      text('state', 'state'),
      text('channel', 'channel'),
      text('recipient', 'to'),
      time('created_at', 'createdAt'),
      time('updated_at', 'updatedAt'),
      time('due_at', 'dueAt'),
      text('provider_id', 'providerId'),
      {
        name: 'source_kind',
        type: 'text',
        of: (r) => (r.source as { kind?: string })?.kind ?? null,
      },
      { name: 'source_id', type: 'text', of: (r) => (r.source as { id?: string })?.id ?? null },
    ],
  },
  mappings: {
    table: 'mappings',
    columns: [text('participant_id', 'participantId'), time('at', 'at')],
  },
  staff: { table: 'staff', columns: [text('username', 'username')] },
  sessions: {
    table: 'staff_sessions',
    columns: [text('staff_id', 'staffId'), time('expires_at', 'expiresAt')],
  },
  handoffs: {
    table: 'handoffs',
    columns: [
      text('participant_id', 'participantId'),
      text('state', 'state'),
      time('updated_at', 'updatedAt'),
    ],
  },
  handledSms: {
    table: 'handled_sms',
    columns: [time('at', 'at'), text('participant_id', 'participantId')],
  },
  people: { table: 'people', columns: [text('phone', 'phone')] },
  appointments: {
    table: 'appointments',
    columns: [text('person_id', 'personId'), time('at', 'at'), text('status', 'status')],
  },
  campaigns: {
    table: 'campaigns',
    columns: [text('state', 'state'), time('send_at', 'sendAt')],
  },
  replies: {
    table: 'reminder_replies',
    columns: [
      text('participant_id', 'participantId'),
      text('person_id', 'personId'),
      time('at', 'at'),
      time('handled_at', 'handledAt'),
    ],
  },
}
