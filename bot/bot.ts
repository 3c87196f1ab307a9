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
import type { DialogState } from 'botbuilder-dialogs'
import { DialogSet, DialogTurnStatus } from '../dialogs/dialog-kit.js'
import { ROUTER_DIALOG, RouterDialog } from '../dialogs/router-dialog.js'
import { scopeOf, setScope, type BotServices } from '../dialogs/scope.js'
import type { Language } from './i18n.js'
import type { Logger } from './logger.js'
import { saveReference } from './store/conversations.js'
import { touchParticipant } from './store/participants.js'
import type { Channel, Participant } from './store/schema.js'
import type { Store } from './store/store.js'
import type { TranscriptEntry, TranscriptLog } from './store/transcripts.js'
import type { BeforeChat } from './handoff/before-chat.js'

export type BotDeps = {
  store: Store
  transcripts: TranscriptLog
  /** Texts written before consent, in memory, for the volunteer once they agree. */
  beforeChat: BeforeChat
  conversationState: ConversationState
  services: BotServices
  defaultLanguage: Language
  clock: () => Date
  newId: (prefix: string) => string
  logger: Logger
  /**
   * This message had words of danger (clear or possible): the sender's next messages are
   * answered past the rate limits for an hour (the JA to a check), whichever instance they reach.
   */
  crisisWords: (participant: Participant) => Promise<void>
  /**
   * Deletes the participant if this turn asked to (SLETT): true once everything is gone, false
   * when nothing was asked; throws when the deletion failed.
   */
  forgetAfterTurn: (context: TurnContext, participantId: string) => Promise<boolean>
}

/** Our channel name for a Bot Framework channel id. */
export function channelOf(channelId: string, serviceUrl?: string): Channel {
  if (channelId === 'sms') return 'sms'
  // Azure's own Web Chat says 'webchat' too, but it reaches us (and we it) through Bot Service.
  const viaBotService = serviceUrl?.startsWith('https://') ?? false
  if ((channelId === 'webchat' || channelId === 'directline') && !viaBotService) return 'webchat'
  if (channelId === 'test') return 'test'
  return 'botframework'
}

/** nb or en for a BCP 47 tag like nb-NO, no, nn or en-US; undefined for anything else. */
function languageOfLocale(locale: string): Language | undefined {
  const primary = locale.toLowerCase().split('-')[0]
  if (primary === 'nb' || primary === 'no' || primary === 'nn') return 'nb'
  return primary === 'en' ? 'en' : undefined
}

const participantKey = Symbol('participant')
/**
 * Where botbuilder keeps the dialogs' memory scopes for a turn. It builds them anew on every
 * turn; they hold no state of their own, so the first turn's serve every later one, as
 * botbuilder's own DialogManager does (issue 13: building them cost more than the router).
 */
const memoryScopes = 'DialogStateManagerConfiguration'
/** Set once the participant is deleted: nothing of the turn may be kept after that. */
const forgotten = Symbol('forgotten')

export class ReentryBot extends ActivityHandler {
  readonly #dialogState: StatePropertyAccessor<DialogState>
  readonly #dialogs: DialogSet
  #memoryScopes: unknown

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
        const language = this.#language(participant, undefined, context.activity.locale)
        const { services } = this.deps
        const t = services.translate(language)
        setScope(context, {
          participant,
          language,
          t,
          services,
          understood: services.understanding.understand(''),
        })
        // The greeting and the main menu (buttons on web chat), through the router.
        const dc = await this.#dialogs.createContext(context)
        await dc.beginDialog(ROUTER_DIALOG, { greet: t('welcome.text') })
      }
      await next()
    })
  }

  override async run(context: TurnContext): Promise<void> {
    if (this.#memoryScopes) context.turnState.set(memoryScopes, this.#memoryScopes)
    await super.run(context)
    this.#memoryScopes ??= context.turnState.get(memoryScopes)
    const participant = context.turnState.get(participantKey) as Participant | undefined
    if (participant && (await this.#forget(context, participant))) {
      // Nothing of this conversation may be written back, not even its empty dialog state.
      await this.deps.conversationState.delete(context)
      return
    }
    await this.deps.conversationState.saveChanges(context, false)
  }

  /** SLETT: "deleted" is said only once everything is gone; a failure says so instead. */
  async #forget(context: TurnContext, participant: Participant): Promise<boolean> {
    let done: boolean
    try {
      done = await this.deps.forgetAfterTurn(context, participant.id)
    } catch (error) {
      this.deps.logger.error('participant.delete_failed', { error })
      await context.sendActivity(scopeOf(context).t('privacy.deleteFailed'))
      return false
    }
    if (!done) return false
    context.turnState.set(forgotten, true)
    await context.sendActivity(scopeOf(context).t('privacy.deleted'))
    return true
  }

  async #handleMessage(context: TurnContext): Promise<void> {
    const { services, transcripts, clock, store, beforeChat } = this.deps
    const text = context.activity.text ?? ''
    const participant = this.#participant(context)
    const understood = services.understanding.understand(text)
    const language = this.#language(participant, text, undefined, understood.signal.language)
    if (understood.signal.level !== 'none') await this.deps.crisisWords(participant)
    setScope(context, {
      participant,
      language,
      t: services.translate(language),
      services,
      understood,
    })
    // With consent every message goes to the transcript. Without it, what the bot says during a
    // chat with a person does too (staff see the emergency answer it gave); anything else is held
    // in memory only, for a consent that may follow (the question says so).
    const consented = () => !!store.data.participants[participant.id]?.consent?.given
    const keep = (entry: TranscriptEntry) => {
      if (consented()) transcripts.append(entry)
      else if (entry.direction === 'out' && services.handoff.isActive(participant))
        transcripts.append(entry)
      else if (!services.handoff.isActive(participant)) beforeChat.keepText(entry)
    }
    const at = clock().toISOString()
    keep({ at, participantId: participant.id, direction: 'in', text })
    context.onSendActivities(async (_ctx, activities, next) => {
      if (context.turnState.get(forgotten)) return next()
      for (const a of activities) {
        if (a.type === 'message' && a.text) {
          keep({
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
    const dc = await this.#dialogs.createContext(context)
    const result = await dc.continueDialog()
    if (result.status === DialogTurnStatus.empty) await dc.beginDialog(ROUTER_DIALOG)
  }

  #participant(context: TurnContext): Participant {
    const { store, clock, newId } = this.deps
    const { participant } = touchParticipant(
      store,
      channelOf(context.activity.channelId, context.activity.serviceUrl),
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
    context.turnState.set(participantKey, participant)
    return participant
  }

  /**
   * A language they chose sticks. Otherwise we follow what they write: the first message that
   * tells the languages apart sets it, and a later one that clearly does can change it.
   */
  #language(
    participant: Participant,
    text: string | undefined,
    locale?: string,
    /** The language of the crisis words in the text, when the words alone do not tell. */
    crisisLanguage?: Language
  ): Language {
    if (participant.languageChosen && participant.language) return participant.language
    const margin = participant.language ? 2 : 1
    // A browser language other than the default greets a newcomer in it; what they write still counts.
    const hinted = !participant.language && locale ? languageOfLocale(locale) : undefined
    // The crisis words' language only for a newcomer: "everything is so hopeless" from someone
    // who writes English must not switch them to Norwegian because the matcher cannot tell.
    const detected = text
      ? (this.deps.services.matcher.detectLanguage(text, margin) ??
        (participant.language ? undefined : crisisLanguage))
      : hinted !== this.deps.defaultLanguage
        ? hinted
        : undefined
    if (detected && detected !== participant.language) {
      this.deps.services.setLanguage(participant, detected, false)
    }
    return participant.language ?? this.deps.defaultLanguage
  }
}
