/**
 * @module dialogs/replies
 * The bot's standard replies, built from content and locale strings: the main menu, an area's
 * topics, a topic's answer, a "did you mean" question. Each returns the message and what the
 * numbers in it mean, so the next "2" can be understood.
 */
import { ActionTypes, MessageFactory, type Activity, type TurnContext } from 'botbuilder'
import { topicsOf } from '../content/load.js'
import type { CommandName, Topic } from '../content/schema.js'
import { choiceMessage } from './choices.js'
import { supportsSuggestedActions } from './dialog-kit.js'
import { scopeOf } from './scope.js'

/** What a number typed next means. */
export type Option =
  | { kind: 'area'; index: number }
  | { kind: 'topic'; id: string }
  | { kind: 'more'; id: string }
  | { kind: 'command'; command: CommandName }

export type Reply = { message: Partial<Activity>; options: Option[] }

export function mainMenu(context: TurnContext, intro?: string): Reply {
  const { t, language, services } = scopeOf(context)
  const menu = services.knowledge.menu
  const title = intro ? `${intro}\n${t('menu.title')}` : t('menu.title')
  return {
    message: choiceMessage(
      context,
      title,
      menu.map((entry) => ({ title: entry.title[language] })),
      t('menu.footer')
    ),
    options: menu.map((entry, index): Option => {
      if (entry.area === 'human' || entry.area === 'mapping')
        return { kind: 'command', command: entry.area }
      return { kind: 'area', index }
    }),
  }
}

/** HJELP: the words one can send, then the menu's entries, in the SMS budget (its own lead-in). */
export function helpMenu(context: TurnContext): Reply {
  const { t, language, services } = scopeOf(context)
  const menu = mainMenu(context)
  const titles = services.knowledge.menu.map((entry) => ({ title: entry.title[language] }))
  return { ...menu, message: choiceMessage(context, t('help.text'), titles) }
}

export function areaMenu(context: TurnContext, index: number): Reply {
  const { t, language, services } = scopeOf(context)
  const entry = services.knowledge.menu[index]!
  const topics = topicsOf(services.knowledge, entry)
  return {
    message: choiceMessage(
      context,
      t('area.title', { area: entry.title[language] }),
      topics.map((topic) => ({ title: topic.title[language] })),
      t('area.back')
    ),
    options: topics.map((topic) => ({ kind: 'topic', id: topic.id })),
  }
}

export function topicAnswer(context: TurnContext, topic: Topic): Reply {
  const { language, services, participant, understood } = scopeOf(context)
  // Chosen by a number (menu, "Mente du", tonight-first's 2): not yet counted as this topic.
  const match = understood?.match
  services.noteAnswered(
    participant,
    topic.id,
    !(match && match.kind === 'topic' && match.topic.id === topic.id)
  )
  return {
    message: answerMessage(context, topic.answer[language], !!topic.more),
    options: topic.more ? [{ kind: 'more', id: topic.id }] : [],
  }
}

export function moreAnswer(context: TurnContext, topic: Topic): Reply {
  const { language, services, participant } = scopeOf(context)
  services.noteAnswered(participant, topic.id)
  const text = topic.more?.[language] ?? topic.answer[language]
  return { message: answerMessage(context, text, false), options: [] }
}

/** An answer and what to send next: "Svar 1 for mer, 0 for meny." on a phone, buttons on web. */
function answerMessage(context: TurnContext, text: string, more: boolean): Partial<Activity> {
  const { t } = scopeOf(context)
  if (!supportsSuggestedActions(context.activity.channelId, 2)) {
    return { type: 'message', text: `${text}\n${t(more ? 'answer.moreHint' : 'answer.menuHint')}` }
  }
  const buttons = [
    ...(more ? [{ title: `1 ${t('answer.moreButton')}`, value: '1' }] : []),
    { title: `0 ${t('answer.menuButton')}`, value: '0' },
  ]
  return MessageFactory.suggestedActions(
    buttons.map((b) => ({ type: ActionTypes.ImBack, ...b })),
    text
  )
}

export function clarify(context: TurnContext, topics: Topic[]): Reply {
  const { t, language } = scopeOf(context)
  return {
    message: choiceMessage(context, t('clarify.title'), [
      ...topics.map((topic) => ({ title: topic.title[language] })),
      { title: t('clarify.none') },
    ]),
    options: [
      ...topics.map((topic): Option => ({ kind: 'topic', id: topic.id })),
      { kind: 'command', command: 'menu' },
    ],
  }
}

/** Topics worth reading next, as a numbered choice under `intro`. */
export function suggestions(context: TurnContext, intro: string, ids: string[]): Reply {
  const { t, language, services } = scopeOf(context)
  const topics = ids.map((id) => services.knowledge.topics.get(id)).filter((x): x is Topic => !!x)
  if (topics.length === 0) return say(`${intro}\n${t('answer.menuHint')}`)
  return {
    message: choiceMessage(
      context,
      intro,
      topics.map((topic) => ({ title: topic.title[language] })),
      t('area.back')
    ),
    options: topics.map((topic) => ({ kind: 'topic', id: topic.id })),
  }
}

/** A plain message with no numbered options. */
export function say(text: string): Reply {
  return { message: { type: 'message', text }, options: [] }
}
