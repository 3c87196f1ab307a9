/**
 * @module bot/channels/web-text
 * A message as web chat shows it: the phone numbers from the phone book become tel: links (a
 * phone can call them with one tap, the crisis answer included), and a staff member's message
 * starts with who wrote it. Web Chat renders Markdown, so both are Markdown.
 */

/** Finds the phone book's numbers, written with or without their spaces, not inside longer digits. */
export function phonePattern(numbers: readonly string[]): RegExp | undefined {
  const alternatives = [...new Set(numbers)]
    .sort((a, b) => b.length - a.length)
    .map((n) => n.trim().split(/\s+/).join('[ \\u00a0]?'))
  if (alternatives.length === 0) return undefined
  return new RegExp(`(?<![\\d+])(?:${alternatives.join('|')})(?!\\d)`, 'g')
}

/** tel: for a number: eight digits are Norwegian subscriber numbers (+47), short ones stay short. */
export function telOf(number: string): string {
  const digits = number.replace(/\D/g, '')
  return `tel:${digits.length === 8 ? `+47${digits}` : digits}`
}

/** The text with each known number as a Markdown tel: link. */
export function linkPhones(text: string, pattern: RegExp | undefined): string {
  if (!pattern) return text
  return text.replace(pattern, (found) => `[${found}](${telOf(found)})`)
}

/** "Anne, frivillig" in bold above a staff member's words; Markdown in the name is dropped. */
export function signed(text: string, sender: string): string {
  const clean = sender.replace(/[*_`[\]<>#\\]/g, '').trim()
  return clean ? `**${clean}**\n\n${text}` : text
}

/** The first name in a username ("anne.hansen" → "Anne"), for a participant to see. */
export function firstNameOf(username: string): string {
  const first = username.split(/[._\s-]+/).find(Boolean) ?? username
  return first.charAt(0).toLocaleUpperCase('nb') + first.slice(1)
}
