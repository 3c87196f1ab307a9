/**
 * @module dialogs/talk-replies
 * What the bot says to small talk, to "I just got out", and to a follow-up about the topic it
 * just answered: the topic's own answer to that question where content has one, its phone
 * numbers for "who do I call", else what more it has, else an honest "no more" and a person.
 */
import type { TurnContext } from 'botbuilder'
import type { FollowUp, Topic } from '../content/schema.js'
import { choiceMessage } from './choices.js'
import { say, type Option, type Reply } from './replies.js'
import { scopeOf } from './scope.js'

export function smallTalk(context: TurnContext, kind: 'greeting' | 'thanks' | 'ok' | 'bye'): Reply {
  const { t } = scopeOf(context)
  return say(kind === 'greeting' ? t('welcome.text') : t(`talk.${kind}`))
}

/** "Jeg kom ut i går": the checklist first, then the topics that matter in the first days. */
export function releasedReply(context: TurnContext): Reply {
  const { t, language, services } = scopeOf(context)
  const { knowledge } = services
  const checklist = knowledge.menu.find((entry) => entry.area === 'mapping')
  const topics = knowledge.conversation.released.topics.map((id) => knowledge.topics.get(id)!)
  const choices = [
    ...(checklist ? [{ title: checklist.title[language] }] : []),
    ...topics.map((topic) => ({ title: topic.title[language] })),
  ]
  return {
    message: choiceMessage(context, t('talk.released'), choices, t('area.back')),
    options: [
      ...(checklist ? [{ kind: 'command', command: 'mapping' } as const] : []),
      ...topics.map((topic): Option => ({ kind: 'topic', id: topic.id })),
    ],
  }
}

/**
 * "Har ikke noe sted å bo": what to do tonight first (the `now` topic's answer, 1 for its more),
 * then the longer term as a choice (2).
 */
export function nowOrLaterReply(
  context: TurnContext,
  now: Topic,
  later: Topic,
  unmatched: boolean
): Reply {
  const { t, language, services, participant } = scopeOf(context)
  // Recorded like every topic answer: "Spurte om" in the console, and insight's topics.
  services.noteAnswered(participant, now.id, unmatched)
  const next = t('talk.later', { title: later.title[language] })
  return {
    ...say(`${now.answer[language]}\n${next}`),
    options: [
      { kind: 'more', id: now.id },
      { kind: 'topic', id: later.id },
    ],
  }
}

/**
 * A follow-up read against `topic`; `moreShown`: its more-text was the last thing said, so
 * saying it again is no answer.
 */
export function followUpAnswer(
  context: TurnContext,
  topic: Topic,
  ask: FollowUp,
  moreShown: boolean
): Reply & { shown: 'answer' | 'more' | 'none' } {
  const { t, language, services } = scopeOf(context)
  const title = topic.title[language]
  const more = !moreShown && topic.more
  const hint = more ? t('answer.moreHint') : t('answer.menuHint')
  const options: Option[] = more ? [{ kind: 'more', id: topic.id }] : []
  const own = topic.ask?.[ask]?.[language]
  if (own) return { ...say(`${title}: ${own}\n${hint}`), options, shown: 'answer' }
  if (ask === 'who') {
    const calls = numbersIn(services.knowledge.phoneBook, topic, language).map((n) =>
      t('talk.call', n)
    )
    if (calls.length)
      return { ...say(`${title}: ${calls.join(' ')}\n${hint}`), options, shown: 'answer' }
  }
  // "Hva koster det", "who do I call": the more-text only when it speaks of that, never an
  // unrelated paragraph; else an honest "I do not know" and a person.
  if (more && (ask === 'how' || ask === 'where' || speaksOf(ask, more[language])))
    return {
      ...say(`${title}: ${more[language]}\n${t('answer.menuHint')}`),
      options: [],
      shown: 'more',
    }
  const none = ask === 'cost' ? 'talk.noCost' : ask === 'who' ? 'talk.noNumber' : 'talk.nothingMore'
  return {
    ...say(t(none, { title })),
    options: [{ kind: 'command', command: 'human' }],
    shown: 'none',
  }
}

/** Whether a text answers "what does it cost" (a price, free) or "who do I call" (a number). */
function speaksOf(ask: 'cost' | 'who', text: string): boolean {
  if (ask === 'who') return /\d{2} ?\d{2} ?\d{2} ?\d{2}|\d{3} ?\d{2} ?\d{3}|\b\d{3}\b/.test(text)
  return /gratis|koste|pris|gebyr|egenandel|\bkr\b|kroner|\bfree\b|\bcost|\bprice|\bfee\b|\bfees\b|\bNOK\b/i.test(
    text
  )
}

/** A follow-up with no topic to read it against. */
export function followUpWithoutTopic(context: TurnContext): Reply {
  return say(scopeOf(context).t('talk.whichTopic'))
}

/** The phone book's numbers that the topic's texts name, as its source writes them. */
function numbersIn(
  phoneBook: readonly { number: string; name: string }[],
  topic: Topic,
  language: 'nb' | 'en'
): { name: string; number: string }[] {
  const text = `${topic.answer[language]} ${topic.more?.[language] ?? ''}`
  return phoneBook
    .filter((entry) => text.includes(entry.number))
    .map(({ name, number }) => ({ name, number }))
}
