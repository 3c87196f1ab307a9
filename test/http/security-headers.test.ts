/**
 * HSTS only when PUBLIC_URL is https (docs/operating.md; finding 9 of the outside review of
 * issue 16): over plain http it is meaningless, and the console must not add its own.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { makeApp, type TestApp } from '../helpers/make-app.js'

let t: TestApp
afterEach(async () => t?.cleanup())

const paths = ['/console/login', '/health', '/chat']

describe('Strict-Transport-Security', () => {
  it('Should not be sent when PUBLIC_URL is http, on any page', async () => {
    t = await makeApp({ config: { PUBLIC_URL: 'http://127.0.0.1:4711' } })
    for (const path of paths) {
      const res = await t.app.request(path)
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff')
      expect(res.headers.get('strict-transport-security'), path).toBeNull()
    }
  })

  it('Should be sent, one year, when PUBLIC_URL is https, on every page', async () => {
    t = await makeApp({ config: { PUBLIC_URL: 'https://bot.example.org' } })
    for (const path of paths)
      expect((await t.app.request(path)).headers.get('strict-transport-security'), path).toBe(
        'max-age=31536000; includeSubDomains'
      )
  })
})
