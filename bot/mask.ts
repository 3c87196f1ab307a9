/**
 * @module bot/mask
 * Phone numbers are personal data tied to a prison record here: nobody but the sending code needs
 * the full number, so logs and volunteer views get a masked one.
 */

const phoneLike = /\+?\d[\d \-]{6,}\d/g

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
