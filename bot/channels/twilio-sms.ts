/**
 * @module bot/channels/twilio-sms
 * Twilio SMS: the webhook turns a signed form into an Activity, runs the bot, and answers with
 * TwiML holding the replies, rendered for a basic phone. Messages sent later (proactive) go
 * through the outbox.
 */
import {
  BotAdapter,
  TurnContext,
  type Activity,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import twilio from 'twilio'
import { z } from 'zod'
import { fitToBudget, toGsm7 } from './sms-text.js'
import type { SmsDelivery } from '../outbound.js'

export const SMS_CHANNEL_ID = 'sms'
const replyBuffer = Symbol('smsReplies')

type Logic = (context: TurnContext) => Promise<void>

export const InboundSms = z.object({
  MessageSid: z
    .string()
    .regex(/^(SM|MM)[0-9a-zA-Z]{32}$/, 'MessageSid must be SM or MM followed by 32 characters'),
  From: z.string().regex(/^\+?[0-9]{3,15}$/, 'From must be a phone number'),
  To: z.string().max(32).optional(),
  Body: z.string().max(1600, 'Body is longer than an SMS can be').default(''),
})
export type InboundSms = z.infer<typeof InboundSms>

export const StatusCallback = z.object({
  MessageSid: z.string().min(1, 'MessageSid is required'),
  MessageStatus: z.string().min(1, 'MessageStatus is required'),
  ErrorCode: z.string().optional(),
})

/** Bot replies as SMS bodies: numbered options as text, GSM-7 only, each body within the budget. */
export function renderSms(activities: Partial<Activity>[], maxSegments: number): string[] {
  const texts = activities
    .filter((a) => a.type === 'message' || a.type === undefined)
    .map((a) => {
      const actions = a.suggestedActions?.actions ?? []
      const text = a.text ?? ''
      const list = actions
        .filter((action) => !text.includes(String(action.title)))
        .map((action, i) => `${i + 1} ${action.title}`)
      return [text, ...list].filter(Boolean).join('\n')
    })
    .filter(Boolean)
  if (texts.length === 0) return []
  return fitToBudget(toGsm7(texts.join('\n\n')), maxSegments)
}

export class SmsAdapter extends BotAdapter {
  constructor(
    private readonly options: { deliver: SmsDelivery; maxSegments: number; locale: string }
  ) {
    super()
  }

  /** Runs one inbound SMS through the bot; returns the reply bodies for TwiML. */
  async processInbound(sms: InboundSms, logic: Logic): Promise<string[]> {
    const activity: Partial<Activity> = {
      type: 'message',
      id: sms.MessageSid,
      timestamp: new Date(),
      channelId: SMS_CHANNEL_ID,
      serviceUrl: 'urn:twilio-sms',
      conversation: { id: sms.From, isGroup: false, conversationType: 'personal', name: '' },
      from: { id: sms.From, name: '', role: 'user' },
      recipient: { id: sms.To ?? 'bot', name: '', role: 'bot' },
      text: sms.Body,
      locale: this.options.locale,
      channelData: { messageSid: sms.MessageSid },
    }
    const context = new TurnContext(this, activity)
    const replies: Partial<Activity>[] = []
    context.turnState.set(replyBuffer, replies)
    await this.runMiddleware(context, logic)
    return renderSms(replies, this.options.maxSegments)
  }

  async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[]
  ): Promise<ResourceResponse[]> {
    const buffer = context.turnState.get(replyBuffer) as Partial<Activity>[] | undefined
    const responses: ResourceResponse[] = []
    for (const activity of activities) {
      if (activity.type !== 'message') {
        responses.push({ id: '' })
      } else if (buffer) {
        buffer.push(activity)
        responses.push({ id: `reply-${buffer.length}` })
      } else {
        const to = activity.conversation?.id ?? context.activity.conversation.id
        const ids: string[] = []
        const notBefore = notBeforeOf(activity)
        for (const body of renderSms([activity], this.options.maxSegments)) {
          ids.push((await this.options.deliver(to, body, { notBefore })).id)
        }
        responses.push({ id: ids.join(',') })
      }
    }
    return responses
  }

  async updateActivity(): Promise<void> {
    throw new Error('SMS cannot edit a sent message')
  }

  async deleteActivity(): Promise<void> {
    throw new Error('SMS cannot delete a sent message')
  }

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: Logic
  ): Promise<void> {
    const activity = TurnContext.applyConversationReference(
      { type: 'event', name: 'continueConversation' },
      reference,
      true
    )
    await this.runMiddleware(new TurnContext(this, activity), logic)
  }
}

export type SmsRouteDeps = {
  adapter: SmsAdapter
  authToken?: string
  publicUrl: string
  /** Runs the bot for one SMS, serialised per number, resolving once state is durable. */
  handle: (sms: InboundSms) => Promise<string[]>
  receipt: (status: z.infer<typeof StatusCallback>) => Promise<boolean>
}

/** POST /sms/twilio and /sms/twilio/status. */
export function smsRoutes(deps: SmsRouteDeps) {
  const app = new Hono<{ Variables: { form: Record<string, string> } }>()
  app.use(
    '*',
    bodyLimit({ maxSize: 32 * 1024, onError: (c) => c.text('Request body too large', 413) })
  )

  app.use('*', async (c, next) => {
    if (!deps.authToken) return c.text('SMS webhook is not configured: set TWILIO_AUTH_TOKEN', 503)
    const url = new URL(c.req.url)
    const params = Object.fromEntries(new URLSearchParams(await c.req.text()))
    const signature = c.req.header('x-twilio-signature') ?? ''
    const signedUrl = deps.publicUrl + url.pathname + url.search
    if (!signature || !twilio.validateRequest(deps.authToken, signature, signedUrl, params)) {
      return c.text('Invalid Twilio signature', 403)
    }
    c.set('form', params)
    await next()
  })

  app.post('/', async (c) => {
    const parsed = InboundSms.safeParse(c.get('form'))
    if (!parsed.success) return c.text(`Bad SMS webhook: ${describe(parsed.error)}`, 400)
    const bodies = await deps.handle(parsed.data)
    const twiml = new twilio.twiml.MessagingResponse()
    for (const body of bodies) twiml.message(body)
    return c.body(twiml.toString(), 200, { 'content-type': 'text/xml; charset=utf-8' })
  })

  app.post('/status', async (c) => {
    const parsed = StatusCallback.safeParse(c.get('form'))
    if (!parsed.success) return c.text(`Bad status callback: ${describe(parsed.error)}`, 400)
    await deps.receipt(parsed.data)
    return c.body(null, 204)
  })
  return app
}

function describe(error: z.ZodError): string {
  return error.issues.map((i) => `${i.path.join('.') || 'form'}: ${i.message}`).join('; ')
}

/** A proactive message may ask to wait (quiet hours): `channelData.notBefore`, an ISO time. */
function notBeforeOf(activity: Partial<Activity>): Date | undefined {
  const at = (activity.channelData as { notBefore?: unknown } | undefined)?.notBefore
  return typeof at === 'string' && !Number.isNaN(Date.parse(at)) ? new Date(at) : undefined
}
