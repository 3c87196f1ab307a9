/**
 * @module dialogs/router-dialog
 * The dialog every conversation lives in. Each message goes, in order, to: the crisis layer
 * (always first: clear danger gets the emergency answer, a possible signal a short check),
 * commands, an active multi-turn task (unless a new question drops it), a number answering the
 * last options shown, the conversation (follow-ups, small talk: conversation.ts), and finally
 * the topic matcher. Multi-turn tasks are child dialogs, so commands and crisis words
 * interrupt them the way the samples' CancelAndHelpDialog does.
 */
import type { DialogContext, DialogTurnResult } from 'botbuilder-dialogs'
import { ComponentDialog, Dialog } from './dialog-kit.js'
import type { CommandName, Mapping } from '../content/schema.js'
import { answerCheck, crisisCheck, type PendingCheck } from './crisis-check.js'
import { HANDOFF_CONSENT_DIALOG, HandoffConsentDialog } from './handoff-consent-dialog.js'
import {
  beginHandoff,
  crisisHandoff,
  duringHandoff,
  inHandoff,
  type GateState,
} from './handoff-gate.js'
import { DELETE_DIALOG, DeleteDialog } from './delete-dialog.js'
import { MAPPING_DIALOG, MappingDialog, type MappingResult } from './mapping-dialog.js'
import type { Match, Matcher } from './matcher.js'
import { reminderReply } from './reminder-reply.js'
import { ReminderReplyDialog } from './reminder-reply-dialog.js'
import {
  areaMenu,
  clarify,
  helpMenu,
  mainMenu,
  say,
  suggestions,
  type Option,
  type Reply,
} from './replies.js'
import {
  answered,
  answersPending,
  converse,
  isNewQuestion,
  lastTopic,
  topicById,
  type TalkState,
} from './conversation.js'
import { scopeOf, switchLanguage } from './scope.js'

export const ROUTER_DIALOG = 'router'

type RouterState = TalkState & GateState & { options: Option[]; check?: PendingCheck }

export class RouterDialog extends ComponentDialog {
  constructor(mapping: Mapping) {
    super(ROUTER_DIALOG)
    this.addDialog(new MappingDialog(mapping)).addDialog(new HandoffConsentDialog())
    this.addDialog(new DeleteDialog())
    this.addDialog(new ReminderReplyDialog())
  }

  protected override async onBeginDialog(
    inner: DialogContext,
    options?: { greet?: string }
  ): Promise<DialogTurnResult> {
    // A new web chat: the greeting with the menu as buttons, whose numbers then mean its entries.
    if (options?.greet) {
      const reply = mainMenu(inner.context, options.greet)
      routerState(inner).options = reply.options
      await inner.context.sendActivity(reply.message)
      return Dialog.EndOfTurn
    }
    return this.onContinueDialog(inner)
  }

  protected override async onContinueDialog(inner: DialogContext): Promise<DialogTurnResult> {
    const state = routerState(inner)
    const { services, understood, participant } = scopeOf(inner.context)
    const { match, signal } = understood
    // A command asked about ("did you mean STOPP") is a choice offered, not the command.
    const asked = match.kind === 'command' && match.ask
    services.noteUnderstood(asked ? 'clarify' : match.kind, describeMatch(match), participant)
    if (inHandoff(inner.context)) {
      // A person has the chat: the handoff gate answers, or keeps the bot silent.
      await inner.cancelAllDialogs()
      delete state.check
      const reply = await duringHandoff(inner.context, understood, state)
      state.options = reply?.options ?? []
      if (reply) await inner.context.sendActivity(reply.message)
      return Dialog.EndOfTurn
    }
    // A question the gate asked is not answered once the handoff is over (it ended in between).
    delete state.deleteAsked
    // The answer to a crisis check ("svar JA"); anything else is a new message and drops it.
    const pending = state.check
    delete state.check
    const answer = pending && signal.level === 'none' && (await answerCheck(inner.context, pending))
    // Still answering the consent question that was open when the check came: it stays urgent.
    if (pending && !answer && inner.activeDialog?.id === HANDOFF_CONSENT_DIALOG) {
      scopeOf(inner.context).pendingCheck = pending
    }
    if (answer) {
      await inner.cancelAllDialogs()
      state.options = answer.options
      await inner.context.sendActivity(answer.message)
      return Dialog.EndOfTurn
    }
    // A possible signal: the short check first, then whatever else the message asked.
    if (signal.level === 'possible') {
      const check = crisisCheck(inner.context, signal)
      state.check = check.pending
      await inner.context.sendActivity(check.message)
      if (match.kind === 'none' && !inner.activeDialog) return Dialog.EndOfTurn
      // Words of danger are no answer to an open question (consent, the checklist): it stays
      // open for the next message, unless this one asked something else.
      if (inner.activeDialog && match.kind !== 'topic' && match.kind !== 'command')
        return Dialog.EndOfTurn
    }
    return this.afterCrisis(inner, match, state)
  }

  /** Everything below the crisis layer: reminder answers, commands, tasks, numbers and topics. */
  private async afterCrisis(
    inner: DialogContext,
    match: Match,
    state: RouterState
  ): Promise<DialogTurnResult> {
    // An answer to an appointment reminder ("1", "2", a few words): commands and crisis still win.
    if (match.kind !== 'crisis' && (await reminderReply(inner, match, state.options.length > 0))) {
      state.options = []
      return Dialog.EndOfTurn
    }
    const { talk } = scopeOf(inner.context).understood
    if (match.kind === 'crisis' || match.kind === 'command') {
      await inner.cancelAllDialogs()
    } else if (inner.activeDialog && !answersPending(inner, match) && isNewQuestion(match, talk)) {
      // Not an answer to the open question but a new one: answer it, and drop the question.
      await inner.cancelAllDialogs()
    } else if (inner.activeDialog) {
      const result = await inner.continueDialog()
      if (result.status === 'waiting') return Dialog.EndOfTurn
      state.options = []
      if (result.result && 'suggestions' in result.result) {
        const reply = afterMapping(inner, result.result as MappingResult)
        state.options = reply.options
        await inner.context.sendActivity(reply.message)
      }
      return Dialog.EndOfTurn
    }
    const reply =
      (await converse(inner, match, talk, state)) ?? (await this.route(inner, match, state))
    if (reply) {
      state.options = reply.options
      await inner.context.sendActivity(reply.message)
    }
    return Dialog.EndOfTurn
  }

  private async route(
    inner: DialogContext,
    match: Match,
    state: RouterState
  ): Promise<Reply | void> {
    const context = inner.context
    const { t, services, participant } = scopeOf(context)
    // "meny 2": the menu, then its entry 2, in one message.
    const entry = menuEntry(context.activity.text ?? '', match, services.matcher)
    if (entry !== undefined) {
      state.failures = 0
      state.options = mainMenu(context).options
      return this.choose(inner, entry, state)
    }
    switch (match.kind) {
      case 'crisis':
        state.failures = 0
        return crisisHandoff(context, match.topic, match.signal)
      case 'command':
        if (match.ask)
          return askCommand(context, match.command) ?? this.command(inner, match.command, state)
        return this.command(inner, match.command, state)
      case 'number':
        return this.choose(inner, match.value, state)
      case 'topic':
        state.failures = 0
        return answered(context, state, match.topic)
      case 'clarify':
        return clarify(context, match.topics)
      case 'none':
        services.noteNotUnderstood(context.activity.text ?? '')
        state.failures += 1
        if (state.failures >= 2) {
          state.failures = 0
          return {
            ...say(t('fallback.offerHuman')),
            options: [{ kind: 'command', command: 'human' }],
          }
        }
        return mainMenu(context, t('fallback.sorry'))
    }
  }

  private async choose(
    inner: DialogContext,
    value: number,
    state: RouterState
  ): Promise<Reply | void> {
    const context = inner.context
    const { t } = scopeOf(context)
    const option = state.options[value - 1]
    if (value === 0 || !option) {
      return mainMenu(context, value === 0 ? undefined : t('fallback.sorry'))
    }
    switch (option.kind) {
      case 'area':
        return areaMenu(context, option.index)
      case 'topic':
        return answered(context, state, topicById(context, option.id))
      case 'more':
        return answered(context, state, topicById(context, option.id), true)
      case 'command':
        return this.command(inner, option.command, state)
    }
  }

  private async command(
    inner: DialogContext,
    command: CommandName,
    state: RouterState
  ): Promise<Reply | void> {
    const context = inner.context
    const { t, services, participant } = scopeOf(context)
    state.failures = 0
    switch (command) {
      case 'menu':
      case 'end':
        return mainMenu(context)
      case 'help':
        return helpMenu(context)
      case 'lang-nb':
      case 'lang-en': {
        const next = switchLanguage(context, command === 'lang-nb' ? 'nb' : 'en')
        return mainMenu(context, next.t('language.switched'))
      }
      case 'stop':
        services.setOptedOut(participant, true)
        return say(t('optOut.stopped'))
      case 'start':
        services.setOptedOut(participant, false)
        return say(t('optOut.started'))
      case 'wrong-number':
        services.reportWrongNumber(participant)
        return say(t('optOut.wrongNumber'))
      case 'human':
        return beginHandoff(inner)
      case 'more': {
        // The "1 for more" just shown, or else the topic answered a little while ago.
        const more = state.options.find((o) => o.kind === 'more')
        const id = more?.id ?? lastTopic(context, state)?.id
        return id ? answered(context, state, topicById(context, id), true) : mainMenu(context)
      }
      case 'mapping':
        await inner.beginDialog(MAPPING_DIALOG)
        return
      case 'delete':
        await inner.beginDialog(DELETE_DIALOG)
        return
      case 'privacy':
        return say(t('privacy.text', { days: services.retentionDays }))
    }
  }
}

/** The "did you mean" of each command that a rule asks about before acting (content/commands.json). */
const askTexts: Partial<Record<CommandName, 'commandAsk.stop'>> = { stop: 'commandAsk.stop' }

/** "Did you mean STOPP?": a command read from plain words that is asked before it acts; 1 does it. */
function askCommand(context: DialogContext['context'], command: CommandName): Reply | undefined {
  const key = askTexts[command]
  if (!key) return undefined
  return { ...say(scopeOf(context).t(key)), options: [{ kind: 'command', command }] }
}

function afterMapping(inner: DialogContext, result: MappingResult): Reply {
  const { t } = scopeOf(inner.context)
  if (result.suggestions.length === 0) return say(t('mapping.nothing'))
  return suggestions(inner.context, t('mapping.suggest'), result.suggestions)
}

/** The number in "meny 2" or "menu, 3": MENY and a number of its entries, nothing else. */
function menuEntry(text: string, match: Match, matcher: Matcher): number | undefined {
  if (match.kind !== 'none' && !(match.kind === 'command' && match.command === 'menu')) return
  const parts = /^(.*?)[\s,.:;-]+(\d{1,2})[.)]?$/.exec(text.trim())
  if (!parts || !parts[1]) return
  const said = matcher.match(parts[1])
  if (said.kind !== 'command' || said.command !== 'menu') return
  const value = Number.parseInt(parts[2]!, 10)
  return value >= 1 ? value : undefined
}

function describeMatch(match: Match): string | undefined {
  switch (match.kind) {
    case 'crisis':
    case 'topic':
      return match.topic.id
    case 'command':
      return match.ask ? `cmd:${match.command}` : match.command
    case 'number':
      return String(match.value)
    case 'clarify':
      return match.topics.map((t) => t.id).join('|')
    case 'none':
      return undefined
  }
}

function routerState(inner: DialogContext): RouterState {
  const instance = inner.parent?.activeDialog
  if (!instance) throw new Error('router state needs the outer dialog instance')
  const state = (instance.state.router ??= { options: [], failures: 0 }) as RouterState
  return state
}
