/**
 * @module bot/channels/direct-line-adapter
 * Web chat's BotAdapter: a user's activity is echoed into the conversation's feed (Web Chat
 * waits for that echo), then runs through the bot; the bot's replies are appended to the same
 * feed, which the browser polls. Proactive messages land in the feed the same way.
 */
import {
  ActivityTypes,
  BotAdapter,
  TurnContext,
  type Activity,
  type ChannelAccount,
  type ConversationReference,
  type ResourceResponse,
} from 'botbuilder'
import { SendError } from './channel.js'
import { linkPhones, phonePattern, signed } from './web-text.js'
import type {
  DirectLineConversation,
  DirectLineConversations,
} from './direct-line-conversations.js'

/** The channel id web chat turns carry; bot.ts maps it to the 'webchat' channel. */
export const WEBCHAT_CHANNEL_ID = 'webchat'
const SERVICE_URL = 'urn:directline'
const BOT: ChannelAccount = { id: 'bot', name: 'Bot', role: 'bot' }

type Logic = (context: TurnContext) => Promise<void>

/** What a user may send: the fields the routes checked, never the client's own from or ids. */
export type UserMessage = {
  text: string
  locale?: string
  clientActivityID?: string
}

const feedTypes = new Set<string>([ActivityTypes.Message, ActivityTypes.Typing])

export class DirectLineAdapter extends BotAdapter {
  #phones: RegExp | undefined

  constructor(
    readonly conversations: DirectLineConversations,
    /** The phone book's numbers: each becomes a tel: link in what the bot and staff send. */
    phoneNumbers: readonly string[] = []
  ) {
    super()
    this.#phones = phonePattern(phoneNumbers)
  }

  /** New phone book numbers (local content changed in the console). */
  usePhoneNumbers(phoneNumbers: readonly string[]): void {
    this.#phones = phonePattern(phoneNumbers)
  }

  /** Greets once: a conversationUpdate that adds the user, as Azure's Direct Line sends. */
  async start(conversation: DirectLineConversation, logic: Logic): Promise<void> {
    if (conversation.started) return
    this.conversations.update(conversation, { started: true })
    const user = this.#user(conversation)
    const activity: Partial<Activity> = {
      ...this.#base(conversation),
      type: ActivityTypes.ConversationUpdate,
      id: `${conversation.id}|start`,
      from: user,
      membersAdded: [BOT, user],
    }
    await this.runMiddleware(new TurnContext(this, activity), logic)
  }

  /** Echoes the user's activity into the feed, runs the turn, and returns the echo's id. */
  async receive(
    conversation: DirectLineConversation,
    input: UserMessage,
    logic: Logic
  ): Promise<string> {
    const echo = this.conversations.append(conversation, {
      ...this.#base(conversation),
      type: ActivityTypes.Message,
      from: this.#user(conversation),
      text: input.text,
      textFormat: 'plain',
      locale: input.locale ?? conversation.locale,
      // Web Chat matches its pending message to the echo by this id; without it, "Sending" forever.
      channelData: input.clientActivityID
        ? { clientActivityID: input.clientActivityID }
        : undefined,
    })
    await this.runMiddleware(new TurnContext(this, echo), logic)
    return echo.id
  }

  async sendActivities(
    context: TurnContext,
    activities: Partial<Activity>[]
  ): Promise<ResourceResponse[]> {
    const responses: ResourceResponse[] = []
    for (const activity of activities) {
      if (!feedTypes.has(activity.type ?? '')) {
        responses.push({ id: '' })
        continue
      }
      const id = activity.conversation?.id ?? context.activity.conversation.id
      const conversation = this.conversations.get(id)
      if (!conversation) throw new SendError('The web chat conversation is no longer open', false)
      const stored = this.conversations.append(conversation, {
        ...activity,
        ...(activity.text !== undefined && { text: this.#webText(activity) }),
        channelId: WEBCHAT_CHANNEL_ID,
        serviceUrl: SERVICE_URL,
        conversation: { id, isGroup: false, conversationType: 'personal', name: '' },
        from: BOT,
        recipient: this.#user(conversation),
      })
      responses.push({ id: stored.id })
    }
    return responses
  }

  async updateActivity(): Promise<void> {
    throw new Error('Web chat messages are not edited after they are sent')
  }

  async deleteActivity(): Promise<void> {
    throw new Error('Web chat messages are not deleted after they are sent')
  }

  async continueConversation(
    reference: Partial<ConversationReference>,
    logic: Logic
  ): Promise<void> {
    const conversation = this.conversations.get(reference.conversation?.id ?? '')
    if (!conversation) throw new SendError('The web chat conversation is no longer open', false)
    const activity = TurnContext.applyConversationReference(
      { type: ActivityTypes.Event, name: 'continueConversation' },
      { ...reference, channelId: WEBCHAT_CHANNEL_ID, serviceUrl: SERVICE_URL },
      true
    )
    await this.runMiddleware(new TurnContext(this, activity), logic)
  }

  /** Numbers as links, and a staff member's name and role on top (channelData.sender). */
  #webText(activity: Partial<Activity>): string {
    const sender = (activity.channelData as { sender?: unknown } | undefined)?.sender
    const text = linkPhones(activity.text ?? '', this.#phones)
    return typeof sender === 'string' ? signed(text, sender) : text
  }

  #user(conversation: DirectLineConversation): ChannelAccount {
    return { id: conversation.userId, name: '', role: 'user' }
  }

  #base(conversation: DirectLineConversation): Partial<Activity> {
    return {
      channelId: WEBCHAT_CHANNEL_ID,
      serviceUrl: SERVICE_URL,
      conversation: { id: conversation.id, isGroup: false, conversationType: 'personal', name: '' },
      recipient: BOT,
      locale: conversation.locale,
      timestamp: new Date(),
    }
  }
}
