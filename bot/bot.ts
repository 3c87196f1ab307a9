/**
 * @module bot/bot
 * The one ActivityHandler every channel runs: finds the participant, settles the language,
 * remembers how to reach them, then hands the message to the router dialog.
 */
import {
  ActivityHandler,
  TurnContext,
  type ConversationState,
  type StatePropertyAccessor,
} from 'botbuilder'
import { DialogSet, DialogTurnStatus, type DialogState } from 'botbuilder-dialogs'
import { ROUTER_DIALOG, RouterDialog } from '../dialogs/router-dialog.js'
import { setScope, type BotServices } from '../dialogs/scope.js'
import type { Language } from './i18n.js'
import type { Logger } from './logger.js'
import { saveReference } from './store/conversations.js'
import { touchParticipant } from './store/participants.js'
import type { Channel, Participant } from './store/schema.js'
import type { Store } from './store/store.js'
import type { TranscriptLog } from './store/transcripts.js'

export type BotDeps = {
  store: Store
  transcripts: TranscriptLog
  conversationState: ConversationState
  services: BotServices
  defaultLanguage: Language
  clock: () => Date
  newId: (prefix: string) => string
  logger: Logger
}

/** Our channel name for a Bot Framework channel id. */
export function channelOf(channelId: string): Channel {
  if (channelId === 'sms') return 'sms'
  if (channelId === 'webchat' || channelId === 'directline') return 'webchat'
  if (channelId === 'test') return 'test'
  return 'botframework'
}

export class ReentryBot extends ActivityHandler {
  readonly #dialogState: StatePropertyAccessor<DialogState>
  readonly #dialogs: DialogSet

  constructor(private readonly deps: BotDeps) {
    super()
    this.#dialogState = deps.conversationState.createProperty<DialogState>('dialogState')
    this.#dialogs = new DialogSet(this.#dialogState).add(new RouterDialog(deps.services.mapping))

    this.onMessage(async (context, next) => {
      await this.#handleMessage(context)
      await next()
    })
    this.onMembersAdded(async (context, next) => {
      const joined = context.activity.membersAdded ?? []
      if (joined.some((m) => m.id !== context.activity.recipient.id)) {
        const participant = this.#participant(context)
        const language = this.#language(participant, undefined)
        await context.sendActivity(this.deps.services.translate(language)('welcome.text'))
      }
      await next()
    })
  }

  override async run(context: TurnContext): Promise<void> {
    await super.run(context)
    await this.deps.conversationState.saveChanges(context, false)
  }

  async #handleMessage(context: TurnContext): Promise<void> {
    const { services, transcripts, clock } = this.deps
    const text = context.activity.text ?? ''
    const participant = this.#participant(context)
    const language = this.#language(participant, text)
    setScope(context, { participant, language, t: services.translate(language), services })
    if (participant.consent?.given) {
      transcripts.append({
        at: clock().toISOString(),
        participantId: participant.id,
        direction: 'in',
        text,
      })
      context.onSendActivities(async (_ctx, activities, next) => {
        for (const a of activities) {
          if (a.type === 'message' && a.text) {
            transcripts.append({
              at: clock().toISOString(),
              participantId: participant.id,
              direction: 'out',
              text: a.text,
              by: 'bot',
            })
          }
        }
        return next()
      })
    }
    const dc = await this.#dialogs.createContext(context)
    const result = await dc.continueDialog()
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(ROUTER_DIALOG)
  }

  #participant(context: TurnContext): Participant {
    const { store, clock, newId } = this.deps
    const { participant } = touchParticipant(
      store,
      channelOf(context.activity.channelId),
      context.activity.conversation.id,
      clock(),
      () => newId('p')
    )
    saveReference(
      store,
      participant.id,
      TurnContext.getConversationReference(context.activity),
      clock()
    )
    return participant
  }

  /**
   * A language they chose sticks. Otherwise we follow what they write: the first message that
   * tells the languages apart sets it, and a later one that clearly does can change it.
   */
  #language(participant: Participant, text: string | undefined): Language {
    if (participant.languageChosen && participant.language) return participant.language
    const margin = participant.language ? 2 : 1
    const detected = text ? this.deps.services.matcher.detectLanguage(text, margin) : undefined
    if (detected && detected !== participant.language) {
      this.deps.services.setLanguage(participant, detected, false)
    }
    return participant.language ?? this.deps.defaultLanguage
  }
}
