/**
 * @module bot/channels/direct-line-routes
 * The Direct Line 3.0 subset that Web Chat uses: a token, start or resume a conversation (with a
 * `streamUrl` for the WebSocket stream, direct-line-stream.ts), post an activity, read activities
 * after a watermark (polling, the fallback), refresh the token. Every call after the first
 * carries a token bound to one conversation. Errors follow the reference: the
 * `{ error: { code, message } }` shape, 401 without a usable Authorization header, 403 for a
 * token that is wrong or expired, 404 for what does not exist.
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-direct-line-3-0-api-reference
 */
import { Hono, type Context } from 'hono'
import { clientAddress } from '../client-address.js'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible'
import { memoryLimiters, type Limiters } from '../rate-limit.js'
import { z } from 'zod'
import type { UserMessage } from './direct-line-adapter.js'
import type {
  DirectLineConversation,
  DirectLineConversations,
} from './direct-line-conversations.js'

export type DirectLineRouteDeps = {
  conversations: DirectLineConversations
  /** Greets a new conversation once (idempotent), resolving once that turn is durable. */
  start: (conversation: DirectLineConversation) => Promise<void>
  /** Runs one message, in order per conversation, resolving with the echo's id once durable. */
  receive: (conversation: DirectLineConversation, message: UserMessage) => Promise<string>
  conversationsPerHour: number
  messagesPerMinute: number
  /** Take the client address from X-Forwarded-For (set by our own proxy) instead of the socket. */
  trustProxy: boolean
  /** Whether a message is answered past the rate limit (a crisis, a request for a person). */
  mustAnswer: (sender: string, text: string) => Promise<boolean>
  /**
   * Several instances: `settle` resolves once this instance's feed changes are shared, `refresh`
   * takes in the others' (a token or an activity from another instance).
   */
  shared?: { settle(): Promise<void>; refresh(): Promise<void> }
  /** Where the limits count; default in memory. */
  limiters?: Limiters
}

const Locale = z
  .string()
  .regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8}){0,3}$/, 'locale must be a language tag like nb-NO')

/** Optional body of POST /tokens/generate and POST /conversations. */
const StartBody = z.object({ locale: Locale.optional() }).loose()

/** What Web Chat posts. Only the fields we use are read; `from` is ignored, the token decides who. */
export const PostedActivity = z
  .object({
    type: z.enum(['message', 'typing'], 'type must be "message" or "typing"'),
    text: z.string().max(2000, 'text is longer than 2000 characters').optional(),
    locale: Locale.optional(),
    channelData: z
      .object({
        clientActivityID: z
          .string()
          .max(100, 'channelData.clientActivityID is longer than 100 characters')
          .optional(),
      })
      .loose()
      .optional(),
    attachments: z.array(z.unknown()).max(0, 'attachments are not supported').optional(),
  })
  .loose()
  .refine((a) => a.type !== 'message' || Boolean(a.text?.trim()), {
    message: 'a message needs text',
    path: ['text'],
  })

const Watermark = z.union([
  z.literal(''),
  z.string().regex(/^\d{1,9}$/, 'watermark must be a number'),
])

type Env = { Variables: { conversation: DirectLineConversation } }

const fail = (c: Context, status: ContentfulStatusCode, code: string, message: string) =>
  c.json({ error: { code, message } }, status)

const describe = (error: z.ZodError) =>
  error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ')

/** Routes under /directline. */
export function directLineRoutes(deps: DirectLineRouteDeps) {
  const { conversations } = deps
  const app = new Hono<Env>()
  const limiters = deps.limiters ?? memoryLimiters
  const starts = limiters('webchat-starts', deps.conversationsPerHour, 3600)
  const posts = limiters('webchat-posts', deps.messagesPerMinute, 60)

  /** Spends one point for this client; answers 429 with Retry-After when none is left. */
  const limited = async (c: Context, limiter: RateLimiterAbstract) => {
    try {
      await limiter.consume(clientAddress(c, deps.trustProxy))
      return undefined
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error
      c.header('Retry-After', String(Math.ceil(error.msBeforeNext / 1000)))
      return fail(c, 429, 'TooManyRequests', 'Too many requests from this address; try again later')
    }
  }

  /** ws:// or wss:// on the address the client used, with a one-time ticket. */
  const streamUrl = (c: Context, conversation: DirectLineConversation, watermark?: string) => {
    const url = new URL(c.req.url)
    const forwarded = deps.trustProxy
      ? c.req.header('x-forwarded-proto')?.split(',')[0]?.trim()
      : undefined
    const secure = (forwarded ?? url.protocol.replace(':', '')) === 'https'
    const base = c.req.path.replace(/\/conversations.*$/, '')
    const query = new URLSearchParams({ t: conversations.streamTicket(conversation) })
    if (watermark) query.set('watermark', watermark)
    return `${secure ? 'wss' : 'ws'}://${url.host}${base}/conversations/${conversation.id}/stream?${query}`
  }

  const session = (
    c: Context,
    conversation: DirectLineConversation,
    token: string,
    watermark?: string
  ) => ({
    conversationId: conversation.id,
    token,
    expires_in: conversations.secondsLeft(conversation),
    streamUrl: streamUrl(c, conversation, watermark),
  })

  const bearer = (c: Context) => (c.req.header('authorization') ?? '').replace(/^Bearer /, '')

  app.use(
    '*',
    bodyLimit({
      maxSize: 16 * 1024,
      onError: (c) => fail(c, 413, 'BadArgument', 'Request body too large'),
    })
  )

  // Our own entry point (Azure's needs the bot secret): a page gets a conversation and its token.
  app.post('/tokens/generate', async (c) => {
    const body = StartBody.safeParse(await readJson(c, {}))
    if (!body.success) return fail(c, 400, 'BadArgument', describe(body.error))
    const refused = await limited(c, starts)
    if (refused) return refused
    const { conversation, token } = conversations.create(
      body.data.locale ?? 'nb-NO',
      clientAddress(c, deps.trustProxy)
    )
    await deps.shared?.settle()
    return c.json({
      conversationId: conversation.id,
      token: token.token,
      expires_in: token.expiresIn,
      userId: conversation.userId,
    })
  })

  // Everything else needs a live token of the conversation it names.
  app.use('*', async (c, next) => {
    let checked = conversations.check(c.req.header('authorization'))
    // Started or refreshed on another instance a moment ago: take that in and look again.
    if (!checked.ok && checked.reason === 'invalid' && deps.shared) {
      await deps.shared.refresh()
      checked = conversations.check(c.req.header('authorization'))
    }
    if (!checked.ok) {
      const message = {
        missing: 'Authorization: Bearer <token> is required',
        malformed: 'Authorization must be "Bearer <token>"',
        invalid: 'The token is not valid',
        expired: 'The token has expired',
      }[checked.reason]
      // The reference: 401 when the header is missing or malformed, 403 for a bad token.
      const unauthorized = checked.reason === 'missing' || checked.reason === 'malformed'
      const code = checked.reason === 'expired' ? 'TokenExpired' : 'BadArgument'
      return fail(c, unauthorized ? 401 : 403, code, message)
    }
    c.set('conversation', checked.conversation)
    await next()
  })

  // One conversation's token never opens another, whether that one exists or not.
  const ownConversation = async (c: Context<Env>, next: () => Promise<void>) => {
    if (c.req.param('id') !== c.get('conversation').id) {
      return fail(c, 403, 'BadArgument', 'The token is not valid for this conversation')
    }
    await next()
  }
  app.use('/conversations/:id', ownConversation)
  app.use('/conversations/:id/*', ownConversation)

  app.post('/tokens/refresh', async (c) => {
    const conversation = c.get('conversation')
    const answer = session(c, conversation, conversations.issueToken(conversation).token)
    await deps.shared?.settle()
    return c.json(answer)
  })

  app.post('/conversations', async (c) => {
    const body = StartBody.safeParse(await readJson(c, {}))
    if (!body.success) return fail(c, 400, 'BadArgument', describe(body.error))
    const conversation = c.get('conversation')
    const already = conversation.started
    if (!already && body.data.locale)
      conversations.update(conversation, { locale: body.data.locale })
    await deps.start(conversation)
    const answer = session(c, conversation, bearer(c))
    await deps.shared?.settle()
    // 201 for a new conversation, 200 for one already started (the reference's two answers).
    return c.json(answer, already ? 200 : 201)
  })

  // Resume: Web Chat calls this when it was given a conversationId.
  app.get('/conversations/:id', async (c) => {
    const conversation = c.get('conversation')
    const watermark = Watermark.safeParse(c.req.query('watermark') ?? '')
    if (!watermark.success) return fail(c, 400, 'BadArgument', describe(watermark.error))
    await deps.start(conversation)
    const answer = session(c, conversation, bearer(c), watermark.data || undefined)
    await deps.shared?.settle()
    return c.json(answer)
  })

  app.post('/conversations/:id/activities', async (c) => {
    const parsed = PostedActivity.safeParse(await readJson(c, undefined))
    if (!parsed.success) return fail(c, 400, 'BadArgument', describe(parsed.error))
    const refused = await limited(c, posts)
    const conversation = c.get('conversation')
    // A flood costs little, but someone in crisis is answered whatever the limit says.
    const sender = `webchat:${conversation.id}`
    if (refused && !(parsed.data.text && (await deps.mustAnswer(sender, parsed.data.text))))
      return refused
    // Typing from the user is not shown back to them and the bot has no use for it.
    if (parsed.data.type === 'typing') return c.json({ id: '' })
    const id = await deps.receive(conversation, {
      text: parsed.data.text!.trim(),
      locale: parsed.data.locale,
      clientActivityID: parsed.data.channelData?.clientActivityID,
    })
    return c.json({ id })
  })

  app.get('/conversations/:id/activities', async (c) => {
    const watermark = Watermark.safeParse(c.req.query('watermark') ?? '')
    if (!watermark.success) return fail(c, 400, 'BadArgument', describe(watermark.error))
    await deps.shared?.refresh()
    const from = watermark.data === '' ? undefined : Number(watermark.data)
    return c.json(conversations.since(c.get('conversation'), from))
  })

  // Anything else: Direct Line's JSON error, not a bare page.
  app.all('*', (c) => fail(c, 404, 'NotFound', `${c.req.method} ${c.req.path} does not exist`))

  return app
}

/** The body as JSON; `fallback` for an empty body, `undefined` (a 400 later) for one that is not JSON. */
async function readJson(c: Context, fallback: unknown): Promise<unknown> {
  const text = await c.req.text()
  if (!text.trim()) return fallback
  try {
    return JSON.parse(text)
  } catch {
    return undefined
  }
}
