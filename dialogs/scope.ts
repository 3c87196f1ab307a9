/**
 * @module dialogs/scope
 * What a turn knows besides the activity: who the participant is, their language, the content
 * and the store. The bot puts it in turnState; dialogs read it from there and never import a
 * channel.
 */
import type { TurnContext } from 'botbuilder'
import type { CrisisKind, Mapping } from '../content/schema.js'
import type { Knowledge } from '../content/load.js'
import type { Language, Translate } from '../bot/i18n.js'
import type { ReminderReplyServices } from '../bot/reminders/reply-services.js'
import type { Participant } from '../bot/store/schema.js'
import type { PendingCheck } from './crisis-check.js'
import type { CrisisSignal } from './crisis.js'
import type { Matcher } from './matcher.js'
import type { Understanding, Understood } from './understand.js'

/** What dialogs may ask the rest of the system to do. */
export type BotServices = {
  knowledge: Knowledge
  matcher: Matcher
  /** The crisis layer first, then the matcher: what a message means. */
  understanding: Understanding
  translate: (language: Language) => Translate
  setLanguage(participant: Participant, language: Language, chosen: boolean): void
  setOptedOut(participant: Participant, optedOut: boolean): void
  /** "Feil nummer": opts the number out and marks it wrong for the coordinators. */
  reportWrongNumber(participant: Participant): void
  mapping: Mapping
  /** The time now (injected: a test moves it). */
  clock(): Date
  /** Days kept data (transcripts, mappings) live; told to participants when asking consent. */
  retentionDays: number
  /** Needs-mapping answers so far, kept across interruptions; mutate it in place. */
  mappingDraft(context: TurnContext): Promise<Record<string, string>>
  clearMappingDraft(context: TurnContext): Promise<void>
  /** Stores a finished mapping with the consent text the participant agreed to. */
  saveMapping(participant: Participant, answers: Record<string, string>, consentText: string): void
  /** The human handoff: a person takes the chat and the bot stays silent (bot/handoff/desk.ts). */
  handoff: HandoffServices
  /** Answers to appointment reminders (bot/reminders/); absent where reminders are not wired. */
  reminders?: ReminderReplyServices
  /**
   * SLETT: deletes everything stored about the participant; nothing of this conversation is
   * saved after the turn either.
   */
  forgetParticipant(context: TurnContext, participant: Participant): Promise<void>
  /** Records what a message was understood as (never its text): for staff statistics and tests. */
  noteUnderstood(
    kind: 'crisis' | 'command' | 'number' | 'topic' | 'clarify' | 'none',
    what?: string,
    /** Who wrote: counted for staff under a pseudonym. */
    participant?: Participant
  ): void
  /** A message that got the fallback: counted, and its text kept masked for coordinators. */
  noteNotUnderstood(text: string): void
  /** Records that the bot answered a topic for this participant (its id, for staff and figures). */
  noteAnswered(
    participant: Participant,
    topicId: string,
    /** The message was not matched to this topic (so not yet counted as a topic answer). */
    unmatched?: boolean
  ): void
  /** Records that a message showed a possible crisis signal and got the short check. */
  noteCrisisCheck(kind: CrisisKind): void
}

/** Whether a person is on shift now and, if not, when the next shift starts. */
export type Availability = { at: Date; open: boolean; next?: Date; zone: string }

/** What dialogs may ask of the human handoff. */
export type HandoffServices = {
  /** True while a person has, or is about to take, the chat: the bot stays silent. */
  isActive(participant: Participant): boolean
  /** True while their open handoff is urgent (a crisis). */
  isUrgent(participant: Participant): boolean
  /**
   * Opens a handoff, or marks the open one urgent for a crisis; `text` is what they wrote and
   * `signal` what the crisis layer saw in it (kept for staff: the kind and the words).
   */
  request(
    participant: Participant,
    reason: 'crisis' | 'human',
    text: string,
    signal?: CrisisSignal
  ): Promise<Availability>
  /**
   * Passes a message written during a handoff to the console; clear danger marks it urgent.
   * Returns the kind to acknowledge with when an urgent chat still waits for a person and the
   * last acknowledgement is old enough (never silence in a crisis, but not a flood either).
   */
  forward(
    participant: Participant,
    text: string,
    signal: CrisisSignal
  ): Promise<{ acknowledge?: CrisisKind }>
  /** The participant ended the handoff (AVSLUTT) or opted out (STOPP). */
  end(participant: Participant, why: 'end' | 'stop'): void
  /** Stores their yes or no to sharing the conversation, with the wording they saw. */
  recordConsent(participant: Participant, given: boolean, text: string): void
}

export type TurnScope = {
  participant: Participant
  language: Language
  t: Translate
  services: BotServices
  /** What this turn's message means, read once (crisis layer first). */
  understood: Understood
  /** A crisis check asked on the last turn and not answered by this message (set by the router). */
  pendingCheck?: PendingCheck
}

const key = Symbol('turnScope')

export function setScope(context: TurnContext, scope: TurnScope): void {
  context.turnState.set(key, scope)
}

export function scopeOf(context: TurnContext): TurnScope {
  const scope = context.turnState.get(key) as TurnScope | undefined
  if (!scope) throw new Error('turn scope missing: run dialogs through the bot')
  return scope
}

/** Switches language for the rest of the turn and for good. */
export function switchLanguage(context: TurnContext, language: Language): TurnScope {
  const scope = scopeOf(context)
  scope.services.setLanguage(scope.participant, language, true)
  const next = { ...scope, language, t: scope.services.translate(language) }
  setScope(context, next)
  return next
}
