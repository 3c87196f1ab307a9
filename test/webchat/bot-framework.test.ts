import { afterEach, describe, expect, it } from 'vitest'
import { loadConfig } from '../../bot/config.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

let t: TestApp
afterEach(async () => t?.cleanup())

const APP_ID = '8f0c6d3e-6b1e-4f43-9d0c-2a4f7f1e9b11'
const TENANT_ID = '3c0f4b5a-1d2e-4f60-8a9b-0c1d2e3f4a5b'
const credentials = {
  appId: APP_ID,
  appPassword: 'not-a-real-secret',
  appType: 'SingleTenant',
  tenantId: TENANT_ID,
} as const

/** The shape the Bot Connector posts for a Teams message (ids shortened). */
const teamsMessage = {
  type: 'message',
  id: '1700000000000',
  timestamp: '2026-11-23T11:00:00.000Z',
  serviceUrl: 'https://smba.trafficmanager.net/emea/',
  channelId: 'msteams',
  from: { id: '29:1abc', name: 'Kari', aadObjectId: '00000000-0000-0000-0000-000000000001' },
  conversation: { id: 'a:1xyz', conversationType: 'personal', tenantId: TENANT_ID },
  recipient: { id: `28:${APP_ID}`, name: 'Reentry' },
  text: 'hei',
  locale: 'nb-NO',
}

const postActivity = (headers: Record<string, string> = {}, body: unknown = teamsMessage) =>
  t.app.request('/api/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })

describe('Azure Bot Service: /api/messages', () => {
  it('Should not exist without an app id and secret', async () => {
    t = await makeApp()
    expect(t.runtime.botFramework).toBeUndefined()
    expect((await postActivity()).status).toBe(404)
    expect((await postActivity({ authorization: 'Bearer anything' })).status).toBe(404)
  })

  it('Should reject an unsigned or wrongly signed request with 401 and run nothing', async () => {
    t = await makeApp({ config: { botFramework: credentials } })
    expect(t.runtime.adapters.get('botframework')).toBe(t.runtime.botFramework)
    expect((await postActivity()).status).toBe(401)
    expect((await postActivity({ authorization: 'Bearer not.a.jwt' })).status).toBe(401)
    expect((await postActivity({ authorization: 'Basic dXNlcjpwYXNz' })).status).toBe(401)
    expect(Object.keys(t.store.data.participants)).toHaveLength(0)
  })

  it('Should refuse a signed-looking request whose body is not an activity with 400', async () => {
    t = await makeApp({ config: { botFramework: credentials } })
    const res = await postActivity({ authorization: 'Bearer x' }, { text: 'hei' })
    expect(res.status).toBe(400)
    expect(await res.text()).toMatch(/type: .*serviceUrl: .*conversation/)
  })
})

describe('Bot Framework and web chat settings', () => {
  it('Should need the app id and its secret together', () => {
    expect(() => loadConfig({ MICROSOFT_APP_ID: APP_ID })).toThrow(
      /^Bad setting MICROSOFT_APP_PASSWORD: set both/
    )
    expect(() => loadConfig({ MICROSOFT_APP_PASSWORD: 'secret' })).toThrow(
      /^Bad setting MICROSOFT_APP_ID: set both/
    )
    expect(() =>
      loadConfig({ MICROSOFT_APP_ID: 'not-a-guid', MICROSOFT_APP_PASSWORD: 's' })
    ).toThrow(/^Bad setting MICROSOFT_APP_ID="not-a-guid"/)
  })

  it('Should make an app single-tenant when a tenant is given, and demand one when asked to', () => {
    expect(
      loadConfig({
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 's',
        MICROSOFT_APP_TENANT_ID: TENANT_ID,
      }).botFramework
    ).toEqual({ appId: APP_ID, appPassword: 's', appType: 'SingleTenant', tenantId: TENANT_ID })
    expect(
      loadConfig({ MICROSOFT_APP_ID: APP_ID, MICROSOFT_APP_PASSWORD: 's' }).botFramework?.appType
    ).toBe('MultiTenant')
    expect(() =>
      loadConfig({
        MICROSOFT_APP_ID: APP_ID,
        MICROSOFT_APP_PASSWORD: 's',
        MICROSOFT_APP_TYPE: 'SingleTenant',
      })
    ).toThrow(/^Bad setting MICROSOFT_APP_TENANT_ID: required/)
    expect(loadConfig({}).botFramework).toBeUndefined()
  })

  it('Should keep web chat tokens long enough for Web Chat to refresh them', () => {
    expect(loadConfig({}).WEBCHAT_TOKEN_MINUTES).toBe(30)
    expect(() => loadConfig({ WEBCHAT_TOKEN_MINUTES: '10' })).toThrow(
      /WEBCHAT_TOKEN_MINUTES="10": must be at least 20/
    )
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true)
  })
})
