/**
 * @module dialogs/reminder-reply
 * Answers to appointment reminders, checked by the router after crisis words and before old tasks
 * and topics. "1" (coming) and "2" (new time) answer the latest reminder, unless the participant
 * has since been shown a menu whose numbers they are more likely answering. The first other
 * message after a reminder goes to the coordinator too, unless it is a question the bot knows
 * that says nothing of the appointment; MENNESKE is noted and opens a handoff as usual. When reminders of several appointments went out together, a numbered question asks which.
 */
import type { DialogContext } from 'botbuilder-dialogs'
import type { AwaitingReply } from '../bot/reminders/reply-services.js'
import type { Match } from './matcher.js'
import { REMINDER_REPLY_DIALOG, type ReminderReplyOptions } from './reminder-reply-dialog.js'
import { scopeOf } from './scope.js'

/** Reminders sent this close together are ambiguous: "1" could be about either. */
const SAME_BATCH_MS = 3_600_000

/**
 * Handles the message if it answers a reminder; returns true when it did (the router stops).
 * `menuShown`: the bot's last message offered numbered options.
 */
export async function reminderReply(
  inner: DialogContext,
  match: Match,
  menuShown: boolean
): Promise<boolean> {
  const { services, participant } = scopeOf(inner.context)
  const reminders = services.reminders
  if (!reminders || inner.activeDialog?.id === REMINDER_REPLY_DIALOG) return false
  const text = inner.context.activity.text ?? ''
  if (match.kind !== 'command' && match.kind !== 'crisis') {
    reminders.noteCampaignReply(participant, text)
  }
  const awaiting = reminders.awaiting(participant)
  const newest = awaiting[0]
  if (!newest) return false
  // Until they write in a language of their own, answer in the one the coordinator set.
  if (!participant.language) services.setLanguage(participant, newest.language, false)
  const lang = participant.language ?? newest.language
  // Nothing written since the latest reminder: this message is the answer to it.
  const fresh = !newest.heardAt || newest.heardAt < newest.sentAt
  const digit = match.kind === 'number' && (match.value === 1 || match.value === 2)
  if (match.kind === 'command' && match.command === 'human') {
    reminders.answer(participant, newest.appointmentId, 'human', text)
    return false
  }
  // Otherwise a number answers the menu or the task (SLETT's question) the bot showed last.
  if (digit && (fresh || (!menuShown && !inner.activeDialog))) {
    const kind = match.value === 1 ? 'coming' : 'new-time'
    await inner.cancelAllDialogs()
    const batch = sameBatch(awaiting)
    if (batch.length > 1) {
      const options: ReminderReplyOptions = { kind, ids: batch.map((a) => a.appointmentId) }
      await inner.beginDialog(REMINDER_REPLY_DIALOG, options)
      return true
    }
    reminders.answer(participant, newest.appointmentId, kind, text)
    const t = reminders.t(lang)
    await inner.context.sendActivity(t(kind === 'coming' ? 'reply.coming' : 'reply.newTime'))
    return true
  }
  // "hvor får jeg mat" right after a reminder is a new question, not an answer to it; "jeg er
  // syk i dag" is about the appointment, however many messages later.
  const aboutIt = services.reminders && services.understanding.aboutAppointment(text)
  const question = match.kind === 'topic' || match.kind === 'clarify'
  const forward = aboutIt || (fresh && !question)
  if (forward && match.kind !== 'number' && match.kind !== 'command') {
    // Right after a reminder, "kan vi flytte timen" is about the appointment, whatever topic its
    // words resemble: it goes to the coordinator. A question asked next gets the bot's answer.
    reminders.answer(participant, newest.appointmentId, 'message', text)
    await inner.context.sendActivity(reminders.t(lang)('reply.noted'))
    return true
  }
  reminders.heard(participant)
  return false
}

/** The newest reminder and any sent within the hour before it (at most five), by appointment time. */
function sameBatch(awaiting: AwaitingReply[]): AwaitingReply[] {
  const newest = Date.parse(awaiting[0]!.sentAt)
  return awaiting
    .filter((a) => newest - Date.parse(a.sentAt) < SAME_BATCH_MS)
    .slice(0, 5)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
}
