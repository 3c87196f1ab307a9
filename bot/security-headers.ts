/**
 * @module bot/security-headers
 * Headers every response gets unless its route set its own: no sniffing, no referrer, never in
 * a frame, and a strict Content-Security-Policy (only this origin; inline styles for the dev phone).
 * The console and /chat set stricter or wider policies of their own.
 */
import type { MiddlewareHandler } from 'hono'

const defaultPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ')

export function securityHeaders(options: { https: boolean }): MiddlewareHandler {
  return async function securityHeaders(c, next) {
    await next()
    const headers = c.res.headers
    const setDefault = (name: string, value: string) => {
      if (!headers.has(name)) headers.set(name, value)
    }
    setDefault('Content-Security-Policy', defaultPolicy)
    setDefault('X-Content-Type-Options', 'nosniff')
    setDefault('Referrer-Policy', 'no-referrer')
    setDefault('X-Frame-Options', 'DENY')
    if (options.https)
      setDefault('Strict-Transport-Security', 'max-age=31536000; includeSubDomains')
  }
}
