import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { languageFromHeader } from '../../bot/channels/web-chat-page.js'
import { clientScript } from '../../bot/channels/web-chat-client.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

let t: TestApp
beforeAll(async () => {
  t = await makeApp()
})
afterAll(async () => t.cleanup())

const page = (headers: Record<string, string> = {}, query = '') =>
  t.app.request(`/chat${query}`, { headers })

describe('GET /chat', () => {
  it('Should serve a page script that parses (a template literal can eat a backslash)', () => {
    expect(() => new Function(clientScript)).not.toThrow()
  })

  it.each([
    ['nb-NO,nb;q=0.9,en;q=0.8', 'nb', 'Hjelp etter soning'],
    ['no', 'nb', 'Hjelp etter soning'],
    ['en-GB,en;q=0.9', 'en', 'Help after prison'],
    ['sv-SE,en;q=0.5,nb;q=0.4', 'en', 'Help after prison'],
    ['sv-SE', 'nb', 'Hjelp etter soning'],
    ['', 'nb', 'Hjelp etter soning'],
  ])('Should pick the language from Accept-Language %j', async (header, lang, heading) => {
    const res = await page(header ? { 'accept-language': header } : {})
    expect(res.status).toBe(200)
    const html = await res.text()
    expect(html).toMatch(/^<!DOCTYPE html>/)
    expect(html).toContain(`<html lang="${lang}">`)
    expect(html).toContain(`<h1>${heading}</h1>`)
  })

  it('Should let ?lang win, remember it in a cookie, and mark the current language for screen readers', async () => {
    const res = await page({ 'accept-language': 'nb-NO' }, '?lang=en')
    const html = await res.text()
    expect(html).toContain('<html lang="en">')
    expect(html).toMatch(/<a href="\?lang=en" lang="en" hreflang="en" aria-current="true"/)
    expect(html).toMatch(/<nav aria-label="Language"/)
    const cookie = res.headers.get('set-cookie')!
    expect(cookie).toMatch(/^chat_lang=en;/)
    const again = await page({ 'accept-language': 'nb-NO', cookie: 'chat_lang=en' })
    expect(await again.text()).toContain('<html lang="en">')
  })

  it('Should load only scripts from our own origin, under a content security policy', async () => {
    const res = await page()
    const html = await res.text()
    expect(res.headers.get('content-security-policy')).toContain("script-src 'self'")
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1])
    expect(scripts).toHaveLength(2)
    for (const attributes of scripts) expect(attributes).toMatch(/src="\/chat\//)
    expect(html).not.toMatch(/https?:\/\//)
  })

  it('Should serve the Web Chat bundle from the installed package, gzipped, cached for a year', async () => {
    const html = await (await page()).text()
    const src = /<script src="(\/chat\/webchat-[\d.]+\.js)"/.exec(html)![1]!
    const plain = await t.app.request(src)
    expect(plain.status).toBe(200)
    expect(plain.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    const body = await plain.text()
    expect(body.length).toBeGreaterThan(1_000_000)
    expect(body).toContain('renderWebChat')
    const gz = await t.app.request(src, { headers: { 'accept-encoding': 'gzip, deflate, br' } })
    expect(gz.headers.get('content-encoding')).toBe('gzip')
    const packed = Buffer.from(await gz.arrayBuffer())
    expect(packed.length).toBeLessThan(body.length / 3)
    expect(gunzipSync(packed).toString('utf8')).toBe(body)
    expect((await t.app.request('/chat/app.js')).headers.get('content-type')).toMatch(/javascript/)
    expect((await t.app.request('/chat/app.css')).headers.get('content-type')).toMatch(/text\/css/)
  })
})

describe('languageFromHeader', () => {
  it('Should follow the weights and map Norwegian variants to nb', () => {
    expect(languageFromHeader('nn-NO')).toBe('nb')
    expect(languageFromHeader('de;q=1, en;q=0.2, nb;q=0.7')).toBe('nb')
    expect(languageFromHeader('en;q=0, nb;q=0.1')).toBe('nb')
    expect(languageFromHeader('fr-FR')).toBeUndefined()
    expect(languageFromHeader(undefined)).toBeUndefined()
  })
})
