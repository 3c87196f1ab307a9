/**
 * @module dialogs/conversation
 * What makes the router's answers a conversation: the topic just answered is remembered (30
 * minutes) so a follow-up is read against it, "I just got out" and small talk get their own
 * replies, a need that may be tonight or later answers tonight first, and a new question at an
 * open task's question answers the question and drops the task.
 */
import type { DialogContext, DialogInstance, DialogState } from 'botbuilder-dialogs'
import type { Topic } from '../content/schema.js'
import type { Match } from './matcher.js'
import { recognizeChoice } from './numbered-prompt.js'
import { moreAnswer, topicAnswer, type Reply } from './replies.js'
import { scopeOf } from './scope.js'
import type { Talk } from './talk.js'
import {
  followUpAnswer,
  followUpWithoutTopic,
  nowOrLaterReply,
  releasedReply,
  smallTalk,
} from './talk-replies.js'

/** The topic just answered, and whether its more-text was the last thing said. */
export type LastTopic = { id: string; at: string; moreShown: boolean }

/** The router's state this module reads and keeps. */
export type TalkState = { failures: number; last?: LastTopic }

/** A follow-up ("hvordan søker jeg") is read against a topic answered this recently. */
const FOLLOW_UP_MS = 30 * 60 * 1000

/**
 * The conversation around the topics: a follow-up read against the last topic, "I just got
 * out", and small talk when nothing else was understood. None of these counts as not
 * understood. Returns nothing when the router's usual reading should answer.
 */
export async function converse(
  inner: DialogContext,
  match: Match,
  talk: Talk | undefined,
  state: TalkState
): Promise<Reply | void> {
  const context = inner.context
  if (!talk || match.kind === 'command' || match.kind === 'number' || match.kind === 'crisis')
    return
  const { services } = scopeOf(context)
  if (talk.kind === 'follow-up') {
    const last = lastTopic(context, state)
    if (last) {
      state.failures = 0
      const reply = followUpAnswer(context, topicById(context, last.id), talk.ask, last.moreShown)
      state.last = { ...last, at: services.clock().toISOString() }
      if (reply.shown === 'more') state.last.moreShown = true
      return reply
    }
    if (match.kind === 'none') return followUpWithoutTopic(context)
    return
  }
  if (talk.kind === 'now-or-later') {
    const now = topicById(context, talk.now)
    const later = topicById(context, talk.later)
    const housing = (t: Topic) => t.area === now.area || t.area === later.area
    // A "did you mean" is a guess: the need's own words say more ("i need a place to live").
    const fits =
      match.kind === 'none' ||
      match.kind === 'clarify' ||
      (match.kind === 'topic' && housing(match.topic))
    if (!fits) return
    state.failures = 0
    state.last = { id: now.id, at: services.clock().toISOString(), moreShown: false }
    return nowOrLaterReply(context, now, later, match.kind !== 'topic')
  }
  const releasedTopic = services.knowledge.conversation.released.topic
  // "Løslatt i dag" may also match the release-day topic: saying only that, it gets the list.
  const aboutRelease =
    (match.kind === 'topic' && match.topic.id === releasedTopic) ||
    (match.kind === 'clarify' && match.topics.some((t) => t.id === releasedTopic))
  // Nothing but "I got out" or "what now": the list, whatever a word of it may match.
  if (talk.kind === 'released' && (match.kind === 'none' || aboutRelease || talk.only)) {
    state.failures = 0
    return releasedReply(context)
  }
  // Only a greeting or thanks ("god kveld", "good night"): small talk, whatever a word may match.
  const social = talk.kind !== 'released' && (match.kind === 'none' || talk.whole)
  if (social) {
    state.failures = 0
    return smallTalk(context, talk.kind)
  }
}

/** A topic's answer (or its more-text), remembered for follow-ups. */
export function answered(
  context: DialogContext['context'],
  state: TalkState,
  topic: Topic,
  more = false
): Reply {
  const at = scopeOf(context).services.clock().toISOString()
  state.last = { id: topic.id, at, moreShown: more }
  return more ? moreAnswer(context, topic) : topicAnswer(context, topic)
}

/** The last topic answered, while a follow-up may still be about it. */
export function lastTopic(
  context: DialogContext['context'],
  state: TalkState
): LastTopic | undefined {
  const last = state.last
  if (!last) return undefined
  const age = scopeOf(context).services.clock().getTime() - Date.parse(last.at)
  if (age <= FOLLOW_UP_MS && scopeOf(context).services.knowledge.topics.has(last.id)) return last
  delete state.last
  return undefined
}

/** Whether the message answers the open task's question: a number, or one of its choices. */
export function answersPending(inner: DialogContext, match: Match): boolean {
  if (match.kind === 'number') return true
  const choices = promptChoices(inner.activeDialog)
  return !!choices && !!recognizeChoice(inner.context.activity.text ?? '', choices)
}

/** A topic, a choice between topics, small talk or a follow-up: something to answer anew. */
export function isNewQuestion(match: Match, talk: Talk | undefined): boolean {
  return match.kind === 'topic' || match.kind === 'clarify' || talk !== undefined
}

/** The choices of the innermost prompt waiting under a task (its waterfall's open step). */
function promptChoices(instance: DialogInstance | undefined): PromptChoices | undefined {
  let current = instance
  while (current) {
    const state = current.state as { options?: { choices?: PromptChoices }; dialogs?: DialogState }
    if (state?.options?.choices) return state.options.choices
    current = state?.dialogs?.dialogStack[0]
  }
  return undefined
}

type PromptChoices = Parameters<typeof recognizeChoice>[1]

export function topicById(context: DialogContext['context'], id: string): Topic {
  const topic = scopeOf(context).services.knowledge.topics.get(id)
  if (!topic) throw new Error(`unknown topic ${id}`)
  return topic
}
