/**
 * @module bot/runtime
 * Builds the bot and its channels from the parts main.ts (or a test) provides, so every test
 * runs exactly the production wiring with its own store, clock and transport.
 */
import { createHash, randomBytes } from 'node:crypto'
import pLimit from 'p-limit'
import { dirname, join } from 'node:path'
import { ConversationState, type Activity, type BotAdapter, type TurnContext } from 'botbuilder'
import { commandsFile } from '../content/commands.js'
import type { Knowledge } from '../content/load.js'
import { withConsoleContent, type ConsoleContent } from '../content/local-profile.js'
import type { BotServices } from '../dialogs/scope.js'
import { scopeOf } from '../dialogs/scope.js'
import { createUnderstanding } from '../dialogs/understand.js'
import { ReentryBot } from './bot.js'
import { BotFrameworkAdapter } from './channels/bot-framework.js'
import { SendError, type SmsTransport } from './channels/channel.js'
import {
  DirectLineAdapter,
  WEBCHAT_CHANNEL_ID,
  type UserMessage,
} from './channels/direct-line-adapter.js'
import {
  DirectLineConversations,
  type DirectLineConversation,
} from './channels/direct-line-conversations.js'
import type { Channel } from './store/schema.js'
import { referenceFor } from './store/conversations.js'
import { SmsAdapter, type InboundSms } from './channels/twilio-sms.js'
import type { Config } from './config.js'
import { createBeforeChat } from './handoff/before-chat.js'
import { createDesk } from './handoff/desk.js'
import { handoffSettings, type HandoffConfig } from './handoff/settings.js'
import { createI18n, type Language } from './i18n.js'
import { firstNameOf } from './channels/web-text.js'
import { singleInstance, type Cluster } from './cluster/cluster.js'
import { relayChanges, sharePresence } from './cluster/relay.js'
import type { FeedSync } from './channels/direct-line-sync.js'
import { KeyedQueue } from './keyed-queue.js'
import { LocalContentFiles } from './local-content.js'
import { createCrisisMarks } from './crisis-marks.js'
import { shareBeforeChat } from './handoff/before-chat-shared.js'
import { memoryLimiters, perKeyLimit, type Limiters } from './rate-limit.js'
import type { Logger } from './logger.js'
import { createSmsDelivery } from './outbound.js'
import { createReminders } from './reminders/service.js'
import { reminderSettings, type ReminderSettingValues } from './reminders/settings.js'
import { AuditLog } from './store/audit.js'
import { InsightLog } from './store/insight-log.js'
import { forgetParticipant } from './privacy/forget.js'
import { StoreBotStorage } from './store/bot-storage.js'
import { applyReceipt } from './store/outbox.js'
import { saveMapping } from './store/mappings.js'
import { handledReply, pruneHandledSms, rememberReply } from './store/handled-sms.js'
import {
  findParticipant,
  reportWrongNumber,
  setLanguage,
  setOptedOut,
} from './store/participants.js'
import { staffByPhone } from './store/staff.js'
import type { Store } from './store/store.js'
import type { TranscriptLog } from './store/transcripts.js'

export type RuntimeDeps = {
  config: Pick<
    Config,
    | 'DEFAULT_LANGUAGE'
    | 'SMS_MAX_SEGMENTS'
    | 'TRANSCRIPT_RETENTION_DAYS'
    | 'SMS_LIMIT_PER_NUMBER'
    | 'SMS_LIMIT_WINDOW_SECONDS'
  > &
    Partial<Pick<Config, 'WEBCHAT_TOKEN_MINUTES' | 'botFramework'>> &
    HandoffConfig &
    Partial<ReminderSettingValues>
  store: Store
  transcripts: TranscriptLog
  knowledge: Knowledge
  smsTransport: SmsTransport
  logger: Logger
  clock?: () => Date
  newId?: (prefix: string) => string
  /** Who did what in the console; default: DATA_DIR/audit beside the transcripts. */
  audit?: AuditLog
  /** What coordinators count; default: DATA_DIR/insight beside the transcripts. */
  insight?: InsightLog
  /** Local content edited in the console; default: DATA_DIR/local-content. */
  localContent?: LocalContentFiles
  /** Several instances on one database (DATABASE_URL); default: this process alone. */
  cluster?: Cluster
  /** Several instances: web chat's feeds shared through the database (direct-line-sync.ts). */
  webchatFeed?: FeedSync
  /** Where rate limits count; default: in memory (one process). */
  limiters?: Limiters
}

export type Runtime = ReturnType<typeof createRuntime>

/** A short fingerprint of the exact consent text shown, so a record says which wording was agreed to. */
export function textVersion(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 12)
}

/** Random, URL-safe ids with a readable prefix ("p_…" participant, "m_…" message). */
export function randomId(prefix: string): string {
  return `${prefix}_${randomBytes(9).toString('base64url')}`
}

/** Set by SLETT: the bot deletes the participant once the turn's reply is written. */
const forgetAfterTurn = Symbol('forgetAfterTurn')

export function createRuntime(deps: RuntimeDeps) {
  const { store, transcripts, logger } = deps
  const cluster = deps.cluster ?? singleInstance
  /** Several instances: each send taken by one of them; alone, every send is this process's. */
  const claim = cluster.shared ? cluster.claimSend : undefined
  const clock = deps.clock ?? (() => new Date())
  const newId = deps.newId ?? randomId
  const translate = createI18n()
  // The console's local content (the newest saved version) lies over the content files.
  const localContent =
    deps.localContent ??
    new LocalContentFiles(join(dirname(transcripts.dir), 'local-content'), logger)
  const knowledge = withConsoleContent(deps.knowledge, localContent.latest())
  const understanding = createUnderstanding(knowledge, commandsFile())
  const { matcher } = understanding
  const conversationState = new ConversationState(new StoreBotStorage(store))
  const drafts = conversationState.createProperty<Record<string, string>>('mappingDraft')
  const audit = deps.audit ?? new AuditLog(join(dirname(transcripts.dir), 'audit'), logger)
  const insight = deps.insight ?? InsightLog.open(dirname(transcripts.dir), logger)
  const sendSettings = reminderSettings(deps.config)
  // Several instances: consent on one brings the texts the others hold (only ids travel).
  const beforeChat = shareBeforeChat(createBeforeChat(clock), cluster, transcripts, logger)
  const crisisMarks = createCrisisMarks(clock, deps.limiters)
  // One in-flight limit for every SMS (queue, alerts, replies): the most a crash sends twice.
  const inFlight = pLimit(sendSettings.concurrency)
  const handoffs = createDesk({
    store,
    transcripts,
    audit,
    settings: handoffSettings(deps.config),
    translate,
    clock,
    newId,
    logger,
    textVersion,
    // Both are defined below; the desk only calls them after start-up.
    // Alerts to staff and on-call phones: staff records, never a participant's.
    deliverSms: (to, body) => deliverSms(to, body, { audience: 'staff' }),
    sendProactive: (participantId, text, by, notBefore) =>
      sendProactive(participantId, text, by, notBefore),
    quietHours: sendSettings.quiet,
    // A web chat counts by the address that started it; everyone else by their own number or id.
    beforeChat,
    originOf: (p) =>
      (p.channel === 'webchat' && webchat.conversations.get(p.address)?.origin) || p.address,
    ...(cluster.shared && {
      serialize: <T>(participantId: string, task: () => Promise<T>) => {
        const p = store.data.participants[participantId]
        return p ? cluster.exclusive(`${p.channel}:${p.address}`, task) : task()
      },
    }),
  })
  const reminders = createReminders({
    store,
    transport: deps.smsTransport,
    settings: sendSettings,
    texts: translate.reminders,
    clock,
    newId,
    logger,
    inFlight,
    claim,
  })
  const services: BotServices = {
    knowledge,
    matcher,
    understanding,
    translate,
    setLanguage: (p, language, chosen) => setLanguage(store, p.id, language, chosen),
    setOptedOut: (p, optedOut) => setOptedOut(store, p.id, optedOut),
    reportWrongNumber: (p) => reportWrongNumber(store, p.id, clock()),
    mapping: deps.knowledge.mapping,
    clock,
    retentionDays: deps.config.TRANSCRIPT_RETENTION_DAYS,
    mappingDraft: (context) => drafts.get(context, {}),
    clearMappingDraft: (context) => drafts.delete(context),
    saveMapping(participant, answers, consentText) {
      saveMapping(store, {
        participantId: participant.id,
        at: clock().toISOString(),
        answers,
        consent: {
          given: true,
          at: clock().toISOString(),
          channel: participant.channel,
          textVersion: textVersion(consentText),
        },
      })
      logger.info('mapping.saved', { participant: participant.id })
    },
    async forgetParticipant(context) {
      context.turnState.set(forgetAfterTurn, true)
    },
    noteUnderstood(kind, what, participant) {
      logger.info('turn.understood', { kind, what })
      if (participant) insight.message(clock(), participant.id, kind, what)
    },
    noteNotUnderstood(text) {
      insight.notUnderstood(clock(), text)
    },
    noteAnswered(participant, topicId, unmatched) {
      beforeChat.noteTopic(participant.id, topicId)
      if (unmatched) insight.answered(clock(), topicId)
    },
    noteCrisisCheck(kind) {
      insight.crisisCheck(clock(), kind)
      logger.info('crisis.check', { kind })
    },
    handoff: handoffs.services,
    reminders: reminders.replies,
  }
  const bot = new ReentryBot({
    store,
    transcripts,
    beforeChat,
    conversationState,
    services,
    defaultLanguage: deps.config.DEFAULT_LANGUAGE,
    clock,
    newId,
    logger,
    crisisWords: (participant) => crisisMarks.mark(`${participant.channel}:${participant.address}`),
    forgetAfterTurn: async (context, participantId) => {
      if (!context.turnState.get(forgetAfterTurn)) return false
      await forgetParticipant({ store, transcripts, audit, clock }, participantId, 'participant')
      // The web chat feed in memory holds the same texts: only the confirmation that follows stays.
      if (context.activity.channelId === WEBCHAT_CHANNEL_ID) {
        const conversation = webchat.conversations.get(context.activity.conversation.id)
        if (conversation) webchat.conversations.clearHistory(conversation)
      }
      beforeChat.forget(participantId)
      handoffs.changed()
      logger.info('participant.deleted', { by: 'participant' })
      return true
    },
  })
  const deliverSms = createSmsDelivery({
    store,
    transport: deps.smsTransport,
    clock,
    newId: () => newId('m'),
    logger,
    maxAttempts: sendSettings.maxAttempts,
    inFlight,
    claim,
  })
  const sms = new SmsAdapter({
    deliver: deliverSms,
    maxSegments: deps.config.SMS_MAX_SEGMENTS,
    locale: 'nb-NO',
  })
  // Several instances: a turn also holds its key's lock on all of them.
  const turns = new KeyedQueue(cluster.shared ? cluster.exclusive : undefined)

  const onTurnError = async (context: TurnContext, error: Error) => {
    logger.error('turn.failed', { channel: context.activity.channelId, error })
    let language = deps.config.DEFAULT_LANGUAGE
    try {
      language = scopeOf(context).language
    } catch {
      // The error came before the participant was known: apologise in the default language.
    }
    await conversationState.delete(context)
    await context.sendActivity(translate(language)('error.turn'))
  }
  /** The adapter that reaches each channel; web chat and Bot Framework register theirs. */
  const adapters = new Map<Channel, BotAdapter>()
  const registerAdapter = (channel: Channel, adapter: BotAdapter) => {
    adapter.onTurnError = onTurnError
    adapters.set(channel, adapter)
  }
  registerAdapter('sms', sms)
  const webchat = new DirectLineAdapter(
    new DirectLineConversations({
      tokenLifetimeMs: (deps.config.WEBCHAT_TOKEN_MINUTES ?? 30) * 60_000,
      clock,
      ...(deps.webchatFeed && { onChange: deps.webchatFeed.emit }),
    }),
    knowledge.phoneBook.map((entry) => entry.number)
  )
  registerAdapter('webchat', webchat)
  const botFramework = deps.config.botFramework
    ? new BotFrameworkAdapter(deps.config.botFramework)
    : undefined
  if (botFramework) registerAdapter('botframework', botFramework)

  /**
   * Sends a message to a participant outside their own turn (a volunteer's reply, a reminder),
   * over the channel they use, through continueConversation. Returns false when we cannot reach them.
   */
  const sendProactive = async (
    participantId: string,
    text: string,
    by = 'bot',
    /** SMS only: queue it until then (quiet hours); web chat shows it at once. */
    notBefore?: Date
  ): Promise<boolean> => {
    const participant = store.data.participants[participantId]
    const reference = referenceFor(store, participantId)
    const adapter = participant && adapters.get(participant.channel)
    if (!participant || !reference || !adapter) return false
    try {
      const sender = senderOf(by, participant.language ?? deps.config.DEFAULT_LANGUAGE)
      // Several instances: a web chat's feed is numbered under its turn lock, wherever it runs.
      const send = (work: () => Promise<void>) =>
        participant.channel === 'webchat' && cluster.shared
          ? cluster.exclusive(`webchat:${participant.address}`, work)
          : work()
      await send(() =>
        adapter.continueConversation(reference, async (context) => {
          const channelData = {
            ...(notBefore && { notBefore: notBefore.toISOString() }),
            ...(sender && { sender }),
          }
          await context.sendActivity({
            type: 'message',
            text,
            ...(Object.keys(channelData).length > 0 && { channelData }),
          })
        })
      )
      // On the page's feed (the file or the table) before it counts as sent.
      if (participant.channel === 'webchat') await deps.webchatFeed?.settle()
    } catch (error) {
      // A closed web chat cannot be reached; anything else is a real failure.
      if (!(error instanceof SendError) || error.retryable) throw error
      logger.warn('proactive.unreachable', { participant: participantId, error: error.message })
      return false
    }
    if (participant.consent?.given || by !== 'bot') {
      transcripts.append({ at: clock().toISOString(), participantId, direction: 'out', text, by })
    }
    await flush()
    return true
  }

  /** "Anne, frivillig": who wrote a staff message, as web chat shows it above the words. */
  const senderOf = (by: string, language: Language): string | undefined => {
    const staff = store.data.staff[by]
    if (!staff) return undefined
    const t = translate(language)
    return t('webchat.from', {
      name: firstNameOf(staff.username),
      role: t(`webchat.role.${staff.role}`),
    })
  }

  const limiters = deps.limiters ?? memoryLimiters
  const smsFlood = perKeyLimit(
    deps.config.SMS_LIMIT_PER_NUMBER,
    deps.config.SMS_LIMIT_WINDOW_SECONDS,
    limiters,
    'sms'
  )
  // Several instances: the console's live views hear of changes made on the others.
  relayChanges(cluster, () => flush(), handoffs, reminders, logger)
  sharePresence(cluster, handoffs.presence, clock)

  /** Everything mutated so far is on disk. */
  const flush = () => Promise.all([store.flush(), transcripts.flush()]).then(() => undefined)

  const logic = (context: TurnContext) => bot.run(context)
  /**
   * Answered past every rate limit: crisis words (clear or possible), everything for an hour
   * after them from the same sender (the JA to a check, "hallo??"), and asking for a person.
   */
  const mustAnswer = async (sender: string, text: string) => {
    if (services.understanding.crisis.detect(text).level !== 'none') return true
    if (await crisisMarks.marked(sender)) return true
    const match = services.matcher.match(text)
    return match.kind === 'command' && match.command === 'human'
  }

  /**
   * Takes new local content into use at once, for the next message: the topics, the matcher and
   * the crisis layer are rebuilt from the content files and this version (no restart).
   */
  const useLocalContent = (content: ConsoleContent | undefined) => {
    const next = withConsoleContent(deps.knowledge, content)
    const nextUnderstanding = createUnderstanding(next, commandsFile())
    services.knowledge = next
    services.understanding = nextUnderstanding
    services.matcher = nextUnderstanding.matcher
    webchat.usePhoneNumbers(next.phoneBook.map((entry) => entry.number))
    logger.info('local_content.in_use', { version: content?.version ?? 0 })
  }

  return {
    bot,
    sms,
    webchat,
    botFramework,
    adapters,
    registerAdapter,
    sendProactive,
    /** The matcher in use (rebuilt when local content changes). */
    get matcher() {
      return services.matcher
    },
    turns,
    flush,
    /** This process alone, or one of several instances on one database. */
    cluster,
    /** Where rate limits count (memory, or PostgreSQL for several instances). */
    limiters,
    /** Several instances: web chat's shared feeds (their changes settle before a reply). */
    webchatFeed: deps.webchatFeed,
    mustAnswer,
    deliverSms,
    translate,
    /** The content in use: the content files with the console's local content over them. */
    get knowledge() {
      return services.knowledge
    },
    /** Local content edited in the console: its saved versions, and taking one into use. */
    localContent: { files: localContent, base: deps.knowledge, use: useLocalContent },
    clock,
    /** What coordinators count (/console/insight). */
    insight,
    /** TRANSCRIPT_RETENTION_DAYS. */
    retentionDays: deps.config.TRANSCRIPT_RETENTION_DAYS,
    /** The human handoff desk: the console's view of the queue, and `tick(now)` for main.ts. */
    handoffs,
    /** Reminders and campaigns: `tick(now)` and `recover()` for main.ts, the console's changes. */
    reminders,
    /** One inbound SMS: in order per number, answered once its effects are durable. */
    async handleSms(message: InboundSms): Promise<string[]> {
      // A retried webhook: the same answer again, and no second turn (nor a rate-limit count).
      const again = handledReply(store, message.MessageSid, clock())
      if (again) return again
      // A flood from one number must not run up cost or starve others; a crisis still gets through.
      const sender = `sms:${message.From}`
      if (!(await smsFlood.allow(message.From)) && !(await mustAnswer(sender, message.Body))) {
        logger.warn('sms.rate_limited', { from: message.From })
        return []
      }
      return turns.run(sender, async () => {
        // A retry that arrived while the first was still running waited here for its answer.
        const answered = handledReply(store, message.MessageSid, clock())
        if (answered) return answered
        // Staff taking a chat from the alert on their phone ("TA K7M2"); anything else they text
        // reaches the bot like anyone's.
        const staff = staffByPhone(store, message.From)
        const claimed = staff && (await handoffs.claimBySms(staff, message.Body))
        const bodies = claimed
          ? [claimed]
          : await sms.processInbound(message, (context) => bot.run(context))
        const now = clock()
        rememberReply(store, message.MessageSid, {
          at: now.toISOString(),
          bodies,
          participantId: findParticipant(store, 'sms', message.From)?.id,
        })
        pruneHandledSms(store, now)
        await flush()
        return bodies
      })
    },
    /** Greets a new web chat once; resolves when that turn is on disk. */
    startWebChat(conversation: DirectLineConversation): Promise<void> {
      return turns.run(`webchat:${conversation.id}`, async () => {
        await webchat.start(conversation, logic)
        await flush()
      })
    },
    /** One web chat message: echoed, answered, on disk; resolves with the echo's id. */
    handleWebChat(conversation: DirectLineConversation, message: UserMessage): Promise<string> {
      return turns.run(`webchat:${conversation.id}`, async () => {
        const id = await webchat.receive(conversation, message, logic)
        await flush()
        return id
      })
    },
    /** One activity from Azure Bot Service, checked by the CloudAdapter. */
    handleBotFramework(authorization: string, activity: Activity) {
      if (!botFramework) throw new Error('Bot Framework is not configured')
      return turns.run(`botframework:${activity.conversation.id}`, async () => {
        const result = await botFramework.receive(authorization, activity, logic)
        await flush()
        return result
      })
    },
    async receipt(status: { MessageSid: string; MessageStatus: string; ErrorCode?: string }) {
      const known = applyReceipt(
        store,
        status.MessageSid,
        status.MessageStatus,
        status.ErrorCode,
        clock()
      )
      await store.flush()
      if (!known) logger.warn('sms.receipt_unknown', { status: status.MessageStatus })
      else reminders.changed()
      return known
    },
  }
}
