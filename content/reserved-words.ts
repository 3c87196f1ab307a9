/**
 * @module content/reserved-words
 * Words Twilio takes as an opt-out on its side: a number that sends one is blocked from every
 * later message of ours (error 21610) until it sends START. So no text may ask anyone to send
 * one for anything but stopping messages.
 * https://www.twilio.com/docs/messaging/tutorials/advanced-opt-out
 */

export const twilioOptOutWords = [
  'STOP',
  'STOPALL',
  'UNSUBSCRIBE',
  'CANCEL',
  'END',
  'QUIT',
  'REVOKE',
  'OPTOUT',
] as const

const alternation = twilioOptOutWords.join('|')
/** A reserved word written as a command (capitals), or asked for after a verb in any case. */
const asked = new RegExp(
  `\\b(${alternation})\\b|\\b(?:send|reply|text|write|type|svar|skriv|tast)\\s+["']?(${alternation})\\b`,
  'gi'
)
/** What the words may be asked for: stopping messages (the clause after the word says so). */
const stopping =
  /\b(messages?|texts?|sms|meldinger\w*|reminders?|påminnels\w*|turn (them|it) off|slå (dem|det) av|opt(ed)?[ -]?out)\b/i
/** "sent STOP", "har sendt STOP": a report of what someone did, not a request. */
const reported = /\b(sent|sendte|sendt|has sent|had sent)\s+["']?$/i

/** Errors for every place `text` asks to send a reserved word for something else than stopping. */
export function checkReservedWords(text: string, where: string): string[] {
  const errors: string[] = []
  for (const found of text.matchAll(asked)) {
    const word = found[1] ?? found[2]!
    // Lower case counts only after a verb ("send end"); alone it is an ordinary word ("in the end").
    if (found[1] && found[1] !== found[1].toUpperCase()) continue
    const start = found.index + found[0].length - word.length
    if (reported.test(text.slice(Math.max(0, start - 12), start))) continue
    // The clause the word stands in: up to the end of the sentence or the next list item.
    const rest = text.slice(start)
    const clause = rest.slice(0, rest.search(/[.!?\n]|\),|, [A-ZÆØÅ]{3,}|$/) + 1)
    if (!stopping.test(clause)) {
      errors.push(
        `${where} asks to send ${word.toUpperCase()}, a Twilio opt-out word, for something else than stopping messages: "${clause.trim()}"`
      )
    }
  }
  return errors
}

/** Every string in a nested locale object, with its dotted key. */
export function localeStrings(value: unknown, key = ''): [string, string][] {
  if (typeof value === 'string') return [[key, value]]
  if (!value || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => localeStrings(v, key ? `${key}.${k}` : k))
}
