/**
 * @module bot/reminders/service
 * Reminders and campaigns as one service over the store: `tick(now)` queues what is due and runs
 * the outbox dispatcher (main.ts calls it on a timer); the console changes things through
 * `commit`; dialogs get `replies`. Every SMS goes through the outbox and the Dispatcher, whose
 * gate checks again at send time: quiet hours hold, opted-out or withdrawn people and passed
 * appointments are cancelled.
 */
import { EventEmitter } from 'node:events'
import type { LimitFunction } from 'p-limit'
import type { SmsTransport } from '../channels/channel.js'
import type { Language, RemindersTranslate } from '../i18n.js'
import type { Logger } from '../logger.js'
import { Dispatcher, type DispatchGate, type DispatchResult } from '../scheduler/dispatcher.js'
import type { SendDeps } from '../scheduler/send-attempt.js'
import { findParticipant } from '../store/participants.js'
import type { Store } from '../store/store.js'
import { queueDueReminders } from './appointments.js'
import { finishCampaigns } from './campaign-progress.js'
import { startDueCampaigns } from './campaigns.js'
import { unreachable } from './people.js'
import { isQuiet } from './quiet-hours.js'
import { replyServices } from './reply-services.js'
import type { ReminderSettings } from './settings.js'

export type RemindersDeps = {
  store: Store
  transport: SmsTransport
  settings: ReminderSettings
  texts: (language: Language) => RemindersTranslate
  clock: () => Date
  newId: (prefix: string) => string
  logger: Logger
  /** The in-flight limit every SMS send shares (see scheduler/send-attempt.ts). */
  inFlight?: LimitFunction
  /** Several instances: each send taken by one of them (see scheduler/send-attempt.ts). */
  claim?: SendDeps['claim']
}

export type Reminders = ReturnType<typeof createReminders>

export function createReminders(deps: RemindersDeps) {
  const { store, settings, clock, logger } = deps
  const bus = new EventEmitter().setMaxListeners(0)
  const changed = () => void bus.emit('change')
  const gate: DispatchGate = (message, now) => {
    // A live reply, a staff alert or a held notice: never held here, but STOPP still counts.
    if (!message.source) {
      return findParticipant(store, 'sms', message.to)?.optedOut ? { cancel: 'opted out' } : 'send'
    }
    if (message.notAfter && Date.parse(message.notAfter) <= now.getTime()) {
      return { cancel: 'too late: the appointment has begun' }
    }
    const person = store.data.people[message.source.personId]
    if (!person) return { cancel: 'person deleted' }
    if (person.phone !== message.to) return { cancel: 'number changed' }
    const why = unreachable(store, person)
    if (why) return { cancel: why }
    return isQuiet(settings.quiet, now) ? 'hold' : 'send'
  }
  const dispatcher = new Dispatcher({
    store,
    transport: deps.transport,
    clock,
    logger,
    ratePerSecond: settings.ratePerSecond,
    concurrency: settings.concurrency,
    inFlight: deps.inFlight,
    claim: deps.claim,
    maxAttempts: settings.maxAttempts,
    gate,
    // Each message sent is a step of a campaign's progress that an open console page shows.
    onSettled: changed,
  })
  const planDeps = { store, settings, texts: deps.texts }
  let dispatching: Promise<DispatchResult> | undefined

  /** Queues due reminders and campaigns; resolves once that is on disk. */
  const plan = async (now: Date) => {
    const reminders = queueDueReminders(planDeps, now)
    const campaign = startDueCampaigns(planDeps, now)
    const finished = finishCampaigns(store, now)
    await store.flush()
    if (reminders || campaign || finished) {
      logger.info('reminders.queued', { reminders, campaign, finished })
      changed()
    }
  }

  return {
    settings,
    /** For repository functions (bot/reminders/*.ts) called from the console. */
    deps: planDeps,
    dispatcher,
    newId: deps.newId,
    replies: replyServices({ ...deps, zone: settings.zone, changed }),
    /**
     * Queues what is due at `now`, then sends what waits in the outbox. A dispatch still running
     * from an earlier tick (a big campaign) is left to finish; this tick only queues.
     */
    async tick(now: Date): Promise<DispatchResult | undefined> {
      await plan(now)
      if (dispatching) return undefined
      dispatching = dispatcher.tick(now)
      try {
        return await dispatching
      } finally {
        dispatching = undefined
        // A campaign whose last message just went is done; live pages hear of it once.
        if (finishCampaigns(store, clock())) {
          await store.flush()
          changed()
        }
      }
    },
    /**
     * At start-up, before serving: messages that were being sent at a crash go out again. With
     * several instances the leader calls it with `stopped`, for those of instances that stopped.
     */
    async recover(stopped?: (ids: string[]) => Promise<string[]>): Promise<number> {
      const count = stopped ? await dispatcher.recoverStopped(stopped) : dispatcher.recover()
      await store.flush()
      if (count) logger.warn('outbox.recovered', { count })
      return count
    },
    /** Runs a console change, makes it durable and tells live pages. */
    async commit<T>(change: () => T): Promise<T> {
      const result = change()
      await store.flush()
      changed()
      return result
    },
    /** Something changed elsewhere (a delivery receipt): live pages re-render. */
    changed,
    /** Calls `listener` after every change; returns the function that stops it. */
    subscribe(listener: () => void): () => void {
      bus.on('change', listener)
      return () => void bus.off('change', listener)
    },
  }
}
