/**
 * @module bot/handoff/permissions
 * Who may do what to a handoff, apart from whether the state machine allows it. Volunteers see
 * only the chats they hold; coordinators and admins supervise, and take transferred chats.
 */
import type { Handoff, Participant, StaffAccount } from '../store/schema.js'
import { isOpen } from './machine.js'

/** Why a console action was refused; each has a clear sentence in locales/../console.json. */
export type Refusal =
  | 'not-found'
  | 'taken'
  | 'not-yours'
  | 'ended'
  | 'claim-first'
  | 'role'
  | 'offline'
  | 'unreachable'
  | 'no-consent'
  | 'opted-out'

const leads = (staff: StaffAccount) => staff.role !== 'volunteer'

/** Opening a conversation: its holder, or a coordinator/admin (audited either way). */
export function mayRead(staff: StaffAccount, h: Handoff): boolean {
  return h.assignee === staff.id || leads(staff)
}

export function claimRefusal(staff: StaffAccount, h: Handoff): Refusal | undefined {
  if (!isOpen(h.state)) return 'ended'
  if (h.state === 'claimed') return h.assignee === staff.id ? undefined : 'taken'
  if (h.state === 'transferred' && !leads(staff)) return 'role'
  return undefined
}

/** Replying, transferring, releasing: only the one who holds the chat. */
export function holderRefusal(staff: StaffAccount, h: Handoff): Refusal | undefined {
  if (!isOpen(h.state)) return 'ended'
  if (h.state !== 'claimed') return 'claim-first'
  return h.assignee === staff.id ? undefined : 'taken'
}

export function closeRefusal(staff: StaffAccount, h: Handoff): Refusal | undefined {
  if (!isOpen(h.state)) return 'ended'
  if (h.state === 'transferred') return leads(staff) ? undefined : 'role'
  return holderRefusal(staff, h)
}

export function noteRefusal(staff: StaffAccount, h: Handoff): Refusal | undefined {
  if (!isOpen(h.state)) return 'ended'
  return h.assignee === staff.id || leads(staff) ? undefined : 'not-yours'
}

/**
 * Writing first: coordinators and admins only, by SMS, to someone who agreed that a person may
 * read and answer them, and who has not said STOPP.
 */
export function reachOutRefusal(
  staff: StaffAccount,
  participant: Participant | undefined
): Extract<Refusal, 'role' | 'not-found' | 'unreachable' | 'no-consent' | 'opted-out'> | undefined {
  if (!leads(staff)) return 'role'
  if (!participant) return 'not-found'
  if (participant.channel !== 'sms') return 'unreachable'
  if (!participant.consent?.given) return 'no-consent'
  if (participant.optedOut) return 'opted-out'
  return undefined
}
