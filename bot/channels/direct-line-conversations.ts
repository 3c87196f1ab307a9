/**
 * @module bot/channels/direct-line-conversations
 * The Direct Line side of each web chat: who may read it (a random token bound to one
 * conversation and one user, kept only as a hash, expiring) and what it shows (the last
 * activities, numbered by a watermark that only grows). In memory and bounded: the bot's own
 * state (participant, dialog) is in the store, keyed by the conversation id.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Activity } from 'botbuilder'

/** Activities kept per conversation; older ones drop off the front, watermarks keep counting. */
export const HISTORY_CAP = 200
/** Conversations kept at once; past it, expired ones go first, then the least recently used. */
export const CONVERSATION_CAP = 5000

export type DirectLineConversation = {
  readonly id: string
  /** The user the token speaks for; whatever `from.id` a client sends is replaced by this. */
  readonly userId: string
  locale: string
  started: boolean
  /** The current token and the one it replaced (still valid until it expires, for polls in flight). */
  tokens: { hash: Buffer; expiresAt: number }[]
  history: Activity[]
  /** Watermark of the next activity: history[i] has watermark `nextSeq - history.length + i`. */
  nextSeq: number
  /** The client address that started it: caps on urgent requests count by it. */
  origin?: string
  /** Open WebSocket streams, each told of every new activity. */
  listeners?: Set<(set: { activities: Activity[]; watermark: string }) => void>
}

export type IssuedToken = { token: string; expiresIn: number }

export type TokenCheck =
  | { ok: true; conversation: DirectLineConversation }
  | { ok: false; reason: 'missing' | 'malformed' | 'invalid' | 'expired' }

const hashOf = (secret: string) => createHash('sha256').update(secret).digest()
const randomPart = (bytes: number) => randomBytes(bytes).toString('base64url')

/** How long a stream URL may wait to be opened; each opens one stream, once. */
const STREAM_TICKET_MS = 60_000

export class DirectLineConversations {
  readonly #byId = new Map<string, DirectLineConversation>()
  /** Stream tickets (hashed) → conversation id and expiry: no bearer token ever sits in a URL. */
  readonly #tickets = new Map<string, { conversationId: string; expiresAt: number }>()

  constructor(
    private readonly options: {
      tokenLifetimeMs: number
      clock: () => Date
      historyCap?: number
      conversationCap?: number
    }
  ) {}

  get size(): number {
    return this.#byId.size
  }

  /** A new, not yet started conversation and the token that alone may use it. */
  create(
    locale: string,
    origin?: string
  ): { conversation: DirectLineConversation; token: IssuedToken } {
    this.#makeRoom()
    const conversation: DirectLineConversation = {
      id: `dl_${randomPart(18)}`,
      userId: `u_${randomPart(12)}`,
      locale,
      origin,
      started: false,
      tokens: [],
      history: [],
      nextSeq: 0,
    }
    this.#byId.set(conversation.id, conversation)
    return { conversation, token: this.issueToken(conversation) }
  }

  get(id: string): DirectLineConversation | undefined {
    return this.#byId.get(id)
  }

  /** A fresh token for the conversation; the previous one stays valid until it expires. */
  issueToken(conversation: DirectLineConversation): IssuedToken {
    const secret = randomPart(32)
    const now = this.options.clock().getTime()
    const live = conversation.tokens.filter((t) => t.expiresAt > now).slice(-1)
    conversation.tokens = [
      ...live,
      { hash: hashOf(secret), expiresAt: now + this.options.tokenLifetimeMs },
    ]
    return {
      token: `${conversation.id}.${secret}`,
      expiresIn: Math.floor(this.options.tokenLifetimeMs / 1000),
    }
  }

  /** Checks an `Authorization: Bearer …` header: a token of a known conversation, not expired. */
  check(authorization: string | undefined): TokenCheck {
    const match = /^Bearer ([A-Za-z0-9_-]{1,64})\.([A-Za-z0-9_-]{43})$/.exec(authorization ?? '')
    if (!authorization) return { ok: false, reason: 'missing' }
    if (!/^Bearer \S+$/.test(authorization)) return { ok: false, reason: 'malformed' }
    if (!match) return { ok: false, reason: 'invalid' }
    const conversation = this.#byId.get(match[1]!)
    if (!conversation) return { ok: false, reason: 'invalid' }
    const hash = hashOf(match[2]!)
    // Compare with every stored hash, without stopping early, in constant time.
    let found: { expiresAt: number } | undefined
    for (const token of conversation.tokens) {
      if (timingSafeEqual(hash, token.hash)) found = token
    }
    if (!found) return { ok: false, reason: 'invalid' }
    if (found.expiresAt <= this.options.clock().getTime()) return { ok: false, reason: 'expired' }
    this.#touch(conversation)
    return { ok: true, conversation }
  }

  /** Seconds left on the newest token. */
  secondsLeft(conversation: DirectLineConversation): number {
    const newest = Math.max(...conversation.tokens.map((t) => t.expiresAt))
    return Math.max(0, Math.floor((newest - this.options.clock().getTime()) / 1000))
  }

  /** Adds an activity to the feed, giving it an id and the next watermark. */
  append(
    conversation: DirectLineConversation,
    activity: Partial<Activity>
  ): Activity & { id: string } {
    const seq = conversation.nextSeq++
    const stored = {
      ...activity,
      id: `${conversation.id}|${String(seq).padStart(7, '0')}`,
      timestamp: this.options.clock(),
    } as Activity & { id: string }
    const copy = JSON.parse(JSON.stringify(stored)) as Activity
    conversation.history.push(copy)
    for (const listener of conversation.listeners ?? [])
      listener({ activities: [copy], watermark: String(conversation.nextSeq) })
    const cap = this.options.historyCap ?? HISTORY_CAP
    if (conversation.history.length > cap)
      conversation.history.splice(0, conversation.history.length - cap)
    return stored
  }

  /**
   * Drops every activity kept so far (after SLETT: a reload or resume must not show the deleted
   * texts again). Watermarks go on from where they were, so an open page just sees what follows.
   */
  clearHistory(conversation: DirectLineConversation): void {
    conversation.history.length = 0
  }

  /** Activities after `watermark` (all still kept when there is none) and the watermark to ask with next. */
  since(
    conversation: DirectLineConversation,
    watermark: number | undefined
  ): { activities: Activity[]; watermark: string } {
    const first = conversation.nextSeq - conversation.history.length
    const from = Math.max(0, Math.min(watermark ?? 0, conversation.nextSeq) - first)
    return {
      activities: conversation.history.slice(from),
      watermark: String(conversation.nextSeq),
    }
  }

  /** A one-time ticket for the conversation's WebSocket stream (Direct Line's streamUrl). */
  streamTicket(conversation: DirectLineConversation): string {
    const now = this.options.clock().getTime()
    for (const [key, ticket] of this.#tickets)
      if (ticket.expiresAt <= now) this.#tickets.delete(key)
    const secret = randomPart(24)
    this.#tickets.set(hashOf(secret).toString('hex'), {
      conversationId: conversation.id,
      expiresAt: now + STREAM_TICKET_MS,
    })
    return secret
  }

  /** The conversation a stream ticket opens, spending the ticket; undefined if none or stale. */
  redeemTicket(secret: string): DirectLineConversation | undefined {
    const key = hashOf(secret).toString('hex')
    const ticket = this.#tickets.get(key)
    this.#tickets.delete(key)
    if (!ticket || ticket.expiresAt <= this.options.clock().getTime()) return undefined
    return this.#byId.get(ticket.conversationId)
  }

  #touch(conversation: DirectLineConversation): void {
    // Map order is insertion order: moving it to the end keeps the map ordered by last use.
    this.#byId.delete(conversation.id)
    this.#byId.set(conversation.id, conversation)
  }

  #makeRoom(): void {
    const cap = this.options.conversationCap ?? CONVERSATION_CAP
    if (this.#byId.size < cap) return
    const now = this.options.clock().getTime()
    for (const [id, conversation] of this.#byId) {
      if (conversation.tokens.every((t) => t.expiresAt <= now)) this.#byId.delete(id)
    }
    for (const id of this.#byId.keys()) {
      if (this.#byId.size < cap) break
      this.#byId.delete(id)
    }
  }
}
