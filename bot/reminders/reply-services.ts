/**
 * @module bot/reminders/reply-services
 * What the bot's dialogs may ask about reminders: which appointments await this participant's
 * answer, and recording what they answered. Dialogs see appointments only through this.
 */
import type { Language, RemindersTranslate } from '../i18n.js'
import type { Logger } from '../logger.js'
import type { Participant } from '../store/schema.js'
import type { Store } from '../store/store.js'
import { whenText } from './texts.js'
import {
  awaitingAnswer,
  markHeard,
  noteCampaignReply,
  recordAnswer,
  type AnswerKind,
} from './replies.js'

/** An appointment awaiting an answer, as a dialog shows it. */
export type AwaitingReply = {
  appointmentId: string
  what: string
  /** The appointment's time (ISO). */
  at: string
  /** When its latest reminder went out. */
  sentAt: string
  /** When the participant last wrote something that was not an answer. */
  heardAt?: string
  /** The language the coordinator set for the person. */
  language: Language
}

export type ReminderReplyServices = {
  /** Appointments awaiting this participant's answer, newest reminder first. */
  awaiting(participant: Participant): AwaitingReply[]
  /** Records their answer (and tells coordinators); false when it no longer awaits one. */
  answer(participant: Participant, appointmentId: string, kind: AnswerKind, text?: string): boolean
  /** They wrote something else while an answer was awaited. */
  heard(participant: Participant): void
  /** Notes a message right after a campaign SMS as its reply, for the campaign's counts. */
  noteCampaignReply(participant: Participant, text: string): void
  /** "NAV-møte tirsdag 24.11. kl. 14:00": an appointment as a numbered choice shows it. */
  label(awaiting: AwaitingReply, language: Language): string
  /** Reminder texts in a language, for the dialog's replies. */
  t(language: Language): RemindersTranslate
}

export function replyServices(deps: {
  store: Store
  clock: () => Date
  newId: (prefix: string) => string
  logger: Logger
  texts: (language: Language) => RemindersTranslate
  zone: string
  changed: () => void
}): ReminderReplyServices {
  const { store, clock } = deps
  return {
    awaiting: (participant) =>
      awaitingAnswer(store, participant, clock()).map(({ appointment, person, sentAt }) => ({
        appointmentId: appointment.id,
        what: appointment.what,
        at: appointment.at,
        sentAt,
        heardAt: appointment.heardAt,
        language: person.language,
      })),
    answer(participant, appointmentId, kind, text) {
      const now = clock()
      const awaiting = awaitingAnswer(store, participant, now).find(
        (a) => a.appointment.id === appointmentId
      )
      if (!awaiting) return false
      recordAnswer(store, { participant, awaiting, kind, text }, { now, id: deps.newId('rr') })
      deps.logger.info('reminder.answered', { appointment: appointmentId, kind })
      deps.changed()
      return true
    },
    heard(participant) {
      const now = clock()
      markHeard(store, awaitingAnswer(store, participant, now), now)
    },
    noteCampaignReply(participant, text) {
      if (noteCampaignReply(store, participant, text, clock())) deps.changed()
    },
    label(awaiting, language) {
      const t = deps.texts(language)
      return t('reply.choice', { what: awaiting.what, when: whenText(t, awaiting.at, deps.zone) })
    },
    t: deps.texts,
  }
}
