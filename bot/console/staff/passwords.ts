/**
 * @module bot/console/staff/passwords
 * Staff passwords, hashed with scrypt (memory-hard, in node's crypto): a stolen store file does
 * not give anyone a password cheaply. The parameters are stored in each hash, so they can grow.
 * Hashing runs in its own worker thread (hash-pool.ts), never on the threads file writes use.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createHashPool } from './hash-pool.js'

/** One of OWASP's recommended scrypt settings (Password Storage Cheat Sheet): 32 MiB per hash. */
const cost = { N: 2 ** 15, r: 8, p: 3 }
const KEY_LENGTH = 32
const MAX_MEMORY = 64 * 1024 * 1024

export const MIN_PASSWORD_LENGTH = 10

// No o/0, i/l/1 or 5: the password is read aloud or copied from a screen.
const readable = 'abcdefghjkmnpqrstuvwxyz2346789'

/** A password an admin hands over once, like "kq7t-m3xa-9wfe": 12 random characters, ~59 bits. */
export function temporaryPassword(): string {
  const groups: string[] = []
  for (let g = 0; g < 3; g++) {
    // 256 % 30 leaves a bias of under 1%; rejecting bytes >= 240 removes it.
    let group = ''
    while (group.length < 4) {
      for (const byte of randomBytes(8)) {
        if (byte < 240 && group.length < 4) group += readable[byte % readable.length]
      }
    }
    groups.push(group)
  }
  return groups.join('-')
}

/** At most this many hashes wait for the one being made; more get HashingBusy at once. */
const MAX_WAITING = 8
const pool = createHashPool(MAX_WAITING)

/** Whether a hash asked for now would be refused: a login can be answered 503 before any work. */
export const hashingFull = (): boolean => pool.full()

type Cost = { N: number; r: number; p: number }

function derive(password: string, salt: Buffer, length: number, o: Cost): Promise<Buffer> {
  const options = { ...o, maxmem: MAX_MEMORY }
  return pool.scrypt({ password: password.normalize('NFC'), salt, length, options })
}

/** "scrypt$N$r$p$salt$key", salt and key in base64. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, KEY_LENGTH, cost)
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), key.toString('base64')].join(
    '$'
  )
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, N, r, p, salt, key] = stored.split('$')
  if (kind !== 'scrypt' || !salt || !key) return false
  const expected = Buffer.from(key, 'base64')
  const actual = await derive(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(N),
    r: Number(r),
    p: Number(p),
  })
  return timingSafeEqual(actual, expected)
}

let decoy: Promise<string> | undefined

/** A hash no password matches: checked for unknown usernames so they take as long as real ones. */
export function decoyHash(): Promise<string> {
  // A refused hash (the queue was full) is not kept: the next login makes it.
  decoy ??= hashPassword(randomBytes(24).toString('base64')).catch((error: unknown) => {
    decoy = undefined
    throw error
  })
  return decoy
}
