/**
 * @module bot/store/staff
 * Console accounts and their logins. Sessions are stored by the hash of their cookie token, so a
 * copy of the store file cannot be used to log in.
 */
import { randomBytes } from 'node:crypto'
import { z } from 'zod'
import type { StaffAccount, StaffRole, StaffSession } from './schema.js'
import type { Store } from './store.js'

export class StaffExistsError extends Error {}

/** A new account's name and number, from the console's form or the staff CLI. */
export const StaffUsername = z
  .string()
  .trim()
  // One form of å (a Mac may send a + ring): the same name always finds the same account.
  .transform((name) => name.normalize('NFC'))
  .pipe(
    z
      .string()
      .regex(
        /^[a-zA-Z0-9æøåÆØÅäöüÄÖÜéÉ._-]{2,32}$/,
        'use 2-32 letters (æ, ø and å too), digits, . _ or -'
      )
  )
export const StaffPhone = z
  .string()
  .regex(/^\+[1-9][0-9]{6,14}$/, 'must be E.164, like +4791234567')

export const newStaffId = () => `s_${randomBytes(9).toString('base64url')}`

export function addStaff(
  store: Store,
  account: {
    id: string
    username: string
    role: StaffRole
    passwordHash: string
    phone?: string
    mustChangePassword?: boolean
  },
  now: Date
): StaffAccount {
  if (findStaff(store, account.username)) {
    throw new StaffExistsError(`a staff account named ${account.username} already exists`)
  }
  return store.put('staff', account.id, {
    ...account,
    createdAt: now.toISOString(),
    failedLogins: 0,
    disabled: false,
    mustChangePassword: account.mustChangePassword ?? false,
  })
}

/** Usernames are matched without regard to case: "Kari" and "kari" are one person. */
export function findStaff(store: Store, username: string): StaffAccount | undefined {
  const wanted = username.trim().normalize('NFC').toLowerCase()
  return Object.values(store.data.staff).find(
    (s) => s.username.normalize('NFC').toLowerCase() === wanted
  )
}

/** The active account whose alert number this is (a staff member texting from their phone). */
export function staffByPhone(store: Store, phone: string): StaffAccount | undefined {
  return Object.values(store.data.staff).find((s) => s.phone === phone && !s.disabled)
}

export function staffById(store: Store, id: string): StaffAccount | undefined {
  return store.data.staff[id]
}

export function isLocked(account: StaffAccount, now: Date): boolean {
  return !!account.lockedUntil && account.lockedUntil > now.toISOString()
}

/** Locks an account everywhere until `until` (too many wrong passwords from many places). */
export function lockStaff(store: Store, id: string, until: Date): void {
  store.edit('staff', id, (account) => {
    account.lockedUntil = until.toISOString()
  })
}

export function recordLoginSuccess(store: Store, id: string): void {
  store.edit('staff', id, (account) => {
    account.failedLogins = 0
    delete account.lockedUntil
  })
}

/** Lifts a lockout (staff CLI `unlock`). */
export function unlockStaff(store: Store, id: string): void {
  recordLoginSuccess(store, id)
}

export function updateStaff(
  store: Store,
  id: string,
  change: Partial<
    Pick<StaffAccount, 'passwordHash' | 'role' | 'phone' | 'disabled' | 'mustChangePassword'>
  >
): void {
  store.edit('staff', id, (account) => {
    Object.assign(account, change)
    if (change.passwordHash) {
      account.failedLogins = 0
      delete account.lockedUntil
    }
  })
}

export function createSession(store: Store, tokenHash: string, session: StaffSession): void {
  store.put('sessions', tokenHash, session)
}

/** The live session behind a token hash; an expired one is removed and not returned. */
export function liveSession(store: Store, tokenHash: string, now: Date): StaffSession | undefined {
  const session = store.data.sessions[tokenHash]
  if (!session) return undefined
  if (session.expiresAt > now.toISOString()) return session
  deleteSession(store, tokenHash)
  return undefined
}

/** Whether the account is enabled and logged in somewhere now (presence counts nothing else). */
export function hasLiveSession(store: Store, staffId: string, now: Date): boolean {
  if (store.data.staff[staffId]?.disabled !== false) return false
  const at = now.toISOString()
  return Object.values(store.data.sessions).some((s) => s.staffId === staffId && s.expiresAt > at)
}

export function deleteSession(store: Store, tokenHash: string): void {
  store.remove('sessions', tokenHash)
}

/** Removes every session of one account (password change, disabled account), but `keep`. */
export function endSessionsOf(store: Store, staffId: string, keep?: string): void {
  for (const [hash, s] of Object.entries(store.data.sessions)) {
    if (s.staffId === staffId && hash !== keep) store.remove('sessions', hash)
  }
}

export function pruneSessions(store: Store, now: Date): number {
  const expired = Object.entries(store.data.sessions).filter(
    ([, s]) => s.expiresAt <= now.toISOString()
  )
  for (const [hash] of expired) deleteSession(store, hash)
  return expired.length
}
