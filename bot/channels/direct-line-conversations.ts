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

/**
 * A change to the feeds, as another instance applies it (direct-line-sync.ts): several instances
 * on one database each keep every conversation, so a client may reach any of them.
 */
export type FeedEvent =
  | { kind: 'create'; id: string; userId: string; locale: string; origin?: string }
  | { kind: 'tokens'; id: string; tokens: { hash: string; expiresAt: number }[] }
  | { kind: 'update'; id: string; locale: string; started: boolean }
  | { kind: 'append'; id: string; seq: number; activity: Activity }
  /** `nextSeq`: the watermark goes on from there (a feed rebuilt from a file, history empty). */
  | { kind: 'clear'; id: string; nextSeq?: number }
  | { kind: 'ticket'; key: string; conversationId: string; expiresAt: number }
  | { kind: 'redeem'; key: string }

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
      /** Hears every change made here (none on one instance). */
      onChange?: (event: FeedEvent) => void
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
    this.options.onChange?.({
      kind: 'create',
      id: conversation.id,
      userId: conversation.userId,
      locale,
      ...(origin !== undefined && { origin }),
    })
    return { conversation, token: this.issueToken(conversation) }
  }

  /** Sets the locale and marks it started (the greeting turn runs once, wherever). */
  update(conversation: DirectLineConversation, change: { locale?: string; started?: boolean }) {
    if (change.locale !== undefined) conversation.locale = change.locale
    if (change.started !== undefined) conversation.started = change.started
    this.options.onChange?.({
      kind: 'update',
      id: conversation.id,
      locale: conversation.locale,
      started: conversation.started,
    })
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
    this.options.onChange?.({
      kind: 'tokens',
      id: conversation.id,
      tokens: conversation.tokens.map((t) => ({
        hash: t.hash.toString('hex'),
        expiresAt: t.expiresAt,
      })),
    })
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
    this.#keep(conversation, copy)
    this.options.onChange?.({ kind: 'append', id: conversation.id, seq, activity: copy })
    return stored
  }

  #keep(conversation: DirectLineConversation, activity: Activity): void {
    conversation.history.push(activity)
    for (const listener of conversation.listeners ?? [])
      listener({ activities: [activity], watermark: String(conversation.nextSeq) })
    const cap = this.options.historyCap ?? HISTORY_CAP
    if (conversation.history.length > cap)
      conversation.history.splice(0, conversation.history.length - cap)
  }

  /** Applies a change another instance made (never told back to `onChange`). */
  apply(event: FeedEvent): void {
    if (event.kind === 'ticket') {
      const { key, conversationId, expiresAt } = event
      this.#tickets.set(key, { conversationId, expiresAt })
      return
    }
    if (event.kind === 'redeem') return void this.#tickets.delete(event.key)
    if (event.kind === 'create') {
      if (this.#byId.has(event.id)) return
      this.#makeRoom()
      this.#byId.set(event.id, {
        id: event.id,
        userId: event.userId,
        locale: event.locale,
        origin: event.origin,
        started: false,
        tokens: [],
        history: [],
        nextSeq: 0,
      })
      return
    }
    const conversation = this.#byId.get(event.id)
    if (!conversation) return
    if (event.kind === 'tokens') {
      conversation.tokens = event.tokens.map((t) => ({
        hash: Buffer.from(t.hash, 'hex'),
        expiresAt: t.expiresAt,
      }))
    } else if (event.kind === 'update') {
      conversation.locale = event.locale
      conversation.started = event.started
    } else if (event.kind === 'clear') {
      conversation.history.length = 0
      if (event.nextSeq !== undefined && event.nextSeq > conversation.nextSeq)
        conversation.nextSeq = event.nextSeq
    } else if (event.seq >= conversation.nextSeq) {
      // A gap (a cleared or capped history elsewhere) is skipped: watermarks only grow.
      if (event.seq > conversation.nextSeq) conversation.history.length = 0
      conversation.nextSeq = event.seq + 1
      this.#keep(conversation, event.activity)
    }
  }

  /**
   * Drops every activity kept so far (after SLETT: a reload or resume must not show the deleted
   * texts again). Watermarks go on from where they were, so an open page just sees what follows.
   */
  clearHistory(conversation: DirectLineConversation): void {
    conversation.history.length = 0
    this.options.onChange?.({ kind: 'clear', id: conversation.id })
  }

  /**
   * The events that rebuild every conversation as it is now (its history, watermark and tokens;
   * not stream tickets, which live a minute): what a file of the feeds is rewritten to.
   */
  *events(): Generator<FeedEvent> {
    for (const c of this.#byId.values()) {
      yield {
        kind: 'create',
        id: c.id,
        userId: c.userId,
        locale: c.locale,
        ...(c.origin !== undefined && { origin: c.origin }),
      }
      yield { kind: 'update', id: c.id, locale: c.locale, started: c.started }
      yield {
        kind: 'tokens',
        id: c.id,
        tokens: c.tokens.map((t) => ({ hash: t.hash.toString('hex'), expiresAt: t.expiresAt })),
      }
      const first = c.nextSeq - c.history.length
      if (c.history.length === 0 && c.nextSeq > 0)
        yield { kind: 'clear', id: c.id, nextSeq: c.nextSeq }
      for (const [i, activity] of c.history.entries())
        yield { kind: 'append', id: c.id, seq: first + i, activity }
    }
  }

  /**
   * Forgets conversations no page can open any more (every token expired before `before`, in ms):
   * nobody can read their feed, so it is not kept. Returns how many went.
   */
  dropExpired(before: number): number {
    let dropped = 0
    for (const [id, conversation] of this.#byId) {
      if (conversation.tokens.every((t) => t.expiresAt <= before)) {
        this.#byId.delete(id)
        dropped++
      }
    }
    return dropped
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
    const key = hashOf(secret).toString('hex')
    const ticket = { conversationId: conversation.id, expiresAt: now + STREAM_TICKET_MS }
    this.#tickets.set(key, ticket)
    this.options.onChange?.({ kind: 'ticket', key, ...ticket })
    return secret
  }

  /** The conversation a stream ticket opens, spending the ticket; undefined if none or stale. */
  redeemTicket(secret: string): DirectLineConversation | undefined {
    const key = hashOf(secret).toString('hex')
    const ticket = this.#tickets.get(key)
    this.#tickets.delete(key)
    if (ticket) this.options.onChange?.({ kind: 'redeem', key })
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
