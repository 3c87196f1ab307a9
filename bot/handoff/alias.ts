/**
 * @module bot/handoff/alias
 * A short, stable code for a participant that staff can say aloud ("K7M2") without knowing their
 * number or name.
 */
import { createHash } from 'node:crypto'

// No 0/O, 1/I: codes are read aloud and copied by hand.
const letters = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789'

export function aliasCode(participantId: string): string {
  const bytes = createHash('sha256').update(participantId).digest()
  return [...bytes.subarray(0, 4)].map((b) => letters[b % letters.length]).join('')
}
