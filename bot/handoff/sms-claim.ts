/**
 * @module bot/handoff/sms-claim
 * Taking a chat from the phone: an alert to a staff member's number ends "Svar TA K7M2", and
 * "TA K7M2" (or just "TA" while one chat waits) from that number claims it, as the console's
 * button does. Only the claim happens by SMS: reading and answering stay in the logged-in
 * console, and a chat whose holder never opens it goes back to the queue as any other would.
 */
import type { StaffAccount } from '../store/schema.js'
import { openHandoffs } from '../store/handoffs.js'
import type { Store } from '../store/store.js'
import { aliasCode } from './alias.js'
import type { ConsoleTranslate } from '../i18n.js'
import type { ActionResult } from './staff-actions.js'

const claimWords = /^\s*(ta|take|claim)(?:\s+([a-z0-9]{4}))?\s*[.!]?\s*$/i

/** The alias code a claim names ("" for "TA" alone), or undefined when the text is no claim. */
export function parseClaim(text: string): string | undefined {
  const match = claimWords.exec(text)
  return match ? (match[2] ?? '').toUpperCase() : undefined
}

export type SmsClaimDeps = {
  store: Store
  t: () => ConsoleTranslate
  consoleUrl: string
  claim: (staff: StaffAccount, id: string) => Promise<ActionResult>
  touch: (staffId: string) => void
}

/** Claims what `text` names for `staff` and returns the SMS answer; undefined for other texts. */
export async function claimBySms(
  deps: SmsClaimDeps,
  staff: StaffAccount,
  text: string
): Promise<string | undefined> {
  const code = parseClaim(text)
  if (code === undefined) return undefined
  const t = deps.t()
  const open = openHandoffs(deps.store)
  const named = code
    ? open.filter((h) => aliasCode(h.participantId) === code)
    : open.filter((h) => h.state !== 'claimed')
  if (named.length === 0) return t('smsClaim.none')
  if (named.length > 1) {
    const codes = named.map((h) => aliasCode(h.participantId))
    return t('smsClaim.which', { codes: codes.join(', '), first: codes[0] })
  }
  const h = named[0]!
  const alias = t('participant.alias', { code: aliasCode(h.participantId) })
  // They are on their way to the console: count them as present from now.
  deps.touch(staff.id)
  const result = await deps.claim(staff, h.id)
  if (!result.ok) {
    const holder = result.holder ? deps.store.data.staff[result.holder]?.username : undefined
    return t(`refused.${result.reason}`, { holder: holder ?? t('someone') })
  }
  return t('smsClaim.done', { alias, url: `${deps.consoleUrl}/chats/${h.id}` })
}
