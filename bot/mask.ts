/**
 * @module bot/mask
 * Phone numbers are personal data tied to a prison record here: nobody but the sending code needs
 * the full number, so logs and volunteer views get a masked one.
 */

/**
 * Phone-number-like runs, and only those: + and 8 to 15 digits (spaces or dashes between groups
 * allowed), 00 and 10 to 13 digits, or 8 digits on their own (a Norwegian number, spaces allowed).
 * Dates, times, ids and file names with digit runs ("2026-11-23.jsonl", "participants-12.json")
 * are left as they are: a digit run glued to a letter, a dot, a dash or a slash is not a number
 * anyone dials, unless it starts with +.
 */
const phoneLike =
  /\+\d(?:[ -]?\d){7,14}|(?<![\w.+/-])(?:00\d{10,13}|\d(?: ?\d){7})(?![\w/-]|\.\w| ?\d)/g

/** "+4791234567" → "+47*****567": country code and last three digits, the rest hidden. */
export function maskPhone(phone: string): string {
  const digits = phone.replace(/[^\d+]/g, '')
  if (digits.length < 6) return '***'
  const plus = digits.startsWith('+')
  const body = plus ? digits.slice(1) : digits
  const head = plus ? '+' + body.slice(0, 2) : ''
  const tail = body.slice(-3)
  return head + '*'.repeat(Math.max(3, body.length - (plus ? 5 : 3))) + tail
}

/** Masks every phone-number-like run inside free text (log lines, error messages). */
export function maskPhonesIn(text: string): string {
  return text.replace(phoneLike, (m) => maskPhone(m))
}
