/**
 * @module bot/console/staff/sessions
 * Console logins: a random token in an HttpOnly, SameSite=Strict cookie (Secure and __Host- when
 * the console is served over https), stored only as its SHA-256. Each session has its own CSRF
 * token; the login form, before any session, uses a double-submit cookie.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Context } from 'hono'
import { deleteCookie, getCookie, setCookie } from 'hono/cookie'
import { createSession, deleteSession, liveSession } from '../../store/staff.js'
import type { StaffAccount, StaffSession } from '../../store/schema.js'
import type { Store } from '../../store/store.js'

const sessionCookie = (secure: boolean) => (secure ? '__Host-console' : 'console_session')
const loginCookie = (secure: boolean) => (secure ? '__Host-console-login' : 'console_login')
const cookieOptions = (secure: boolean) =>
  ({ httpOnly: true, sameSite: 'Strict', secure, path: '/' }) as const

export const newToken = () => randomBytes(32).toString('base64url')
const sha256 = (text: string) => createHash('sha256').update(text).digest()

/** Compares two secrets in constant time, whatever their lengths. */
export function sameSecret(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false
  return timingSafeEqual(sha256(a), sha256(b))
}

export function startSession(
  c: Context,
  store: Store,
  staff: StaffAccount,
  options: { now: Date; hours: number; secure: boolean }
): void {
  const token = newToken()
  const expires = new Date(options.now.getTime() + options.hours * 3_600_000)
  createSession(store, sha256(token).toString('hex'), {
    staffId: staff.id,
    csrf: newToken(),
    createdAt: options.now.toISOString(),
    expiresAt: expires.toISOString(),
  })
  setCookie(c, sessionCookie(options.secure), token, {
    ...cookieOptions(options.secure),
    maxAge: options.hours * 3600,
  })
}

export type CurrentSession = { key: string; session: StaffSession; staff: StaffAccount }

/** The signed-in staff member behind the request's cookie, if the session is live. */
export function currentSession(
  c: Context,
  store: Store,
  now: Date,
  secure: boolean
): CurrentSession | undefined {
  const token = getCookie(c, sessionCookie(secure))
  if (!token) return undefined
  const key = sha256(token).toString('hex')
  const session = liveSession(store, key, now)
  const staff = session && store.data.staff[session.staffId]
  if (!session || !staff || staff.disabled) return undefined
  return { key, session, staff }
}

/** Whether the session behind `key` still lets its holder see anything (a live stream asks). */
export function sessionIsLive(store: Store, key: string, now: Date): boolean {
  const session = liveSession(store, key, now)
  const staff = session && store.data.staff[session.staffId]
  return !!staff && !staff.disabled
}

export function endSession(c: Context, store: Store, key: string, secure: boolean): void {
  deleteSession(store, key)
  deleteCookie(c, sessionCookie(secure), cookieOptions(secure))
}

/** A fresh token for the login form, also set as a cookie the POST must match. */
export function loginFormToken(c: Context, secure: boolean): string {
  const token = newToken()
  setCookie(c, loginCookie(secure), token, cookieOptions(secure))
  return token
}

export function loginFormTokenMatches(c: Context, secure: boolean, sent: string): boolean {
  return sameSecret(getCookie(c, loginCookie(secure)), sent)
}
