/**
 * @module dialogs/handoff-gate
 * The one place that decides what the bot does about people: while a person has the chat the
 * bot is silent and passes every message on, except that a crisis still gets the emergency
 * numbers, STOPP still opts out, AVSLUTT hands the chat back to the bot and SLETT asks its one
 * question, whose answer (the next message) deletes everything or nothing (the question is kept
 * in the dialog state, so the answer counts on whichever instance it lands); and while an urgent
 * chat still waits for a person, messages are acknowledged (never silence in a crisis). Also
 * opens a handoff for MENNESKE (after consent) and for a crisis (at once, without asking).
 */
import type { DialogContext } from 'botbuilder-dialogs'
import type { TurnContext } from 'botbuilder'
import type { Topic } from '../content/schema.js'
import type { CrisisSignal } from './crisis.js'
import { yesNo } from './choice-task.js'
import { choiceMessage } from './choices.js'
import { HANDOFF_CONSENT_DIALOG } from './handoff-consent-dialog.js'
import { handoffNotice } from './handoff-notice.js'
import { words } from './normalize.js'
import { recognizeChoice } from './numbered-prompt.js'
import { say, type Reply } from './replies.js'
import { scopeOf } from './scope.js'
import type { Understood } from './understand.js'

/** True while the gate, not the router, handles this participant's messages. */
export function inHandoff(context: TurnContext): boolean {
  const { services, participant } = scopeOf(context)
  return services.handoff.isActive(participant)
}

/** What the gate remembers between messages: in the dialog state, which every instance reads. */
export type GateState = {
  /** SLETT's question was the bot's last message: this message answers it, or nothing does. */
  deleteAsked?: boolean
}

/** A message during a handoff; returns the bot's reply, or nothing when the bot stays silent. */
export async function duringHandoff(
  context: TurnContext,
  { match, signal }: Understood,
  state: GateState
): Promise<Reply | void> {
  const { t, language, services, participant } = scopeOf(context)
  const text = context.activity.text ?? ''
  // Asked once: only the very next message can answer it.
  const deleteAsked = state.deleteAsked === true
  delete state.deleteAsked
  if (match.kind === 'crisis') {
    await services.handoff.forward(participant, text, signal)
    return say(match.topic.answer[language])
  }
  // A command only asked about ("did you mean STOPP") goes to the person, who can ask.
  if (match.kind === 'command' && match.ask) return passOn(context, text, signal)
  // In an urgent chat only the bare word ends it or opts out ("vil bare avslutte" goes to the
  // person, who can ask what they mean).
  const ending = match.kind === 'command' && (match.command === 'stop' || match.command === 'end')
  if (ending && services.handoff.isUrgent(participant) && words(text).length > 1) {
    return passOn(context, text, signal)
  }
  if (match.kind === 'command' && match.command === 'stop') {
    services.handoff.end(participant, 'stop')
    services.setOptedOut(participant, true)
    return say(t('optOut.stopped'))
  }
  if (match.kind === 'command' && match.command === 'end') {
    services.handoff.end(participant, 'end')
    return say(t('handoff.endedByYou'))
  }
  if (match.kind === 'command' && match.command === 'delete') {
    state.deleteAsked = true
    const choices = [{ title: t('privacy.deleteYes') }, { title: t('privacy.deleteNo') }]
    return { message: choiceMessage(context, t('privacy.deleteConfirm'), choices), options: [] }
  }
  // The answer to SLETT's question; anything else goes on to the person as usual.
  const answer = deleteAsked && recognizeChoice(text, yesNo)?.value
  if (answer === 'yes') {
    // The bot deletes after the turn (the chat too) and says so once everything is gone.
    await services.forgetParticipant(context, participant)
    return
  }
  if (answer === 'no') return say(t('privacy.notDeleted'))
  return passOn(context, text, signal)
}

/** The message goes to the person; the bot says nothing, or acknowledges a waiting crisis. */
async function passOn(
  context: TurnContext,
  text: string,
  signal: CrisisSignal
): Promise<Reply | void> {
  const { language, services, participant } = scopeOf(context)
  const { acknowledge } = await services.handoff.forward(participant, text, signal)
  if (acknowledge) return say(services.understanding.crisisKind(acknowledge).ack[language])
}

/**
 * Clear danger outside a handoff: the emergency answer at once, and an urgent handoff unasked.
 * `signal` may be a possible one the participant confirmed ("svar JA").
 */
export async function crisisHandoff(
  context: TurnContext,
  topic: Topic,
  signal: CrisisSignal,
  /** What showed the danger, when it was an earlier message (the one a check asked about). */
  text = context.activity.text ?? ''
): Promise<Reply> {
  const { t, language, services, participant } = scopeOf(context)
  const availability = await services.handoff.request(participant, 'crisis', text, signal)
  // No "0 for meny" hint: from now on a person, not the menu, reads what they write.
  return say(`${topic.answer[language]}\n\n${handoffNotice(t, language, availability, 'crisis')}`)
}

/** MENNESKE: ask consent first unless it was given before, then open the handoff. */
export async function beginHandoff(inner: DialogContext): Promise<Reply | void> {
  const { t, language, services, participant } = scopeOf(inner.context)
  if (!participant.consent?.given) {
    await inner.beginDialog(HANDOFF_CONSENT_DIALOG)
    return
  }
  const availability = await services.handoff.request(participant, 'human', '')
  return say(handoffNotice(t, language, availability, 'human'))
}
