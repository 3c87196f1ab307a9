/**
 * @module bot/channels/bot-framework
 * Azure Bot Service (Teams, Azure's own Web Chat, other channels) through botbuilder's
 * CloudAdapter. It exists only with an app id and secret, so every request is checked against
 * Bot Framework's signed JWT; without them there is no route at all (anonymous CloudAdapter
 * would accept anything).
 */
import {
  CloudAdapter,
  ConfigurationBotFrameworkAuthentication,
  ConfigurationServiceClientCredentialFactory,
  type Activity,
  type ConversationReference,
  type TurnContext,
} from 'botbuilder'
import { Hono } from 'hono'
import { bodyLimit } from 'hono/body-limit'
import type { ContentfulStatusCode } from 'hono/utils/http-status'
import { z } from 'zod'
import type { BotFrameworkCredentials } from '../config.js'

type Logic = (context: TurnContext) => Promise<void>

export type BotFrameworkResult = { status: number; body?: unknown }

/** The least an activity from the Bot Connector must have before botbuilder sees it. */
const IncomingActivity = z
  .object({
    type: z.string().min(1, 'type is required'),
    serviceUrl: z.url('serviceUrl must be a URL'),
    conversation: z.object({ id: z.string().min(1, 'conversation.id is required') }).loose(),
  })
  .loose()

export class BotFrameworkAdapter extends CloudAdapter {
  constructor(private readonly credentials: BotFrameworkCredentials) {
    const options = {
      MicrosoftAppId: credentials.appId,
      MicrosoftAppPassword: credentials.appPassword,
      MicrosoftAppType: credentials.appType,
      MicrosoftAppTenantId: credentials.tenantId,
    }
    super(
      new ConfigurationBotFrameworkAuthentication(
        options,
        new ConfigurationServiceClientCredentialFactory(options)
      )
    )
  }

  /** Checks the caller's JWT and runs the turn; 401 when the request is not signed by Bot Framework. */
  async receive(
    authorization: string,
    activity: Activity,
    logic: Logic
  ): Promise<BotFrameworkResult> {
    try {
      const invoke = await this.processActivity(authorization, activity, logic)
      return { status: invoke?.status ?? 200, body: invoke?.body }
    } catch (error) {
      const status = (error as { statusCode?: number }).statusCode
      if (status === 401 || status === 403) return { status: 401 }
      throw error
    }
  }

  /** Proactive messages (runtime.sendProactive) use the old signature; CloudAdapter wants the app id. */
  override async continueConversation(
    reference: Partial<ConversationReference>,
    logic: Logic
  ): Promise<void> {
    await this.continueConversationAsync(this.credentials.appId, reference, logic)
  }
}

export type BotFrameworkRouteDeps = {
  /** Runs one activity, in order per conversation, resolving once its effects are durable. */
  handle: (authorization: string, activity: Activity) => Promise<BotFrameworkResult>
}

/** POST /api/messages. */
export function botFrameworkRoutes(deps: BotFrameworkRouteDeps) {
  const app = new Hono()
  app.use(
    '*',
    bodyLimit({ maxSize: 256 * 1024, onError: (c) => c.text('Request body too large', 413) })
  )
  app.post('/messages', async (c) => {
    const authorization = c.req.header('authorization') ?? ''
    // Nothing is parsed or run for a caller that did not even try to sign.
    if (!authorization.startsWith('Bearer ')) return c.text('Unauthorized', 401)
    const parsed = IncomingActivity.safeParse(await c.req.json().catch(() => undefined))
    if (!parsed.success) {
      const reason = parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`)
      return c.text(`Bad activity: ${reason.join('; ')}`, 400)
    }
    const result = await deps.handle(authorization, parsed.data as unknown as Activity)
    const status = result.status as ContentfulStatusCode
    if (result.status === 401) return c.text('Unauthorized', 401)
    return result.body === undefined ? c.body(null, status) : c.json(result.body as object, status)
  })
  return app
}
