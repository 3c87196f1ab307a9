/**
 * Console test helpers: staff accounts straight into the store, a logged-in client for
 * app.request (cookies and the CSRF token carried along), and participants texting in.
 */
import type { Hono } from 'hono'
import { hashPassword } from '../../bot/console/staff/passwords.js'
import { addStaff } from '../../bot/store/staff.js'
import type { StaffRole } from '../../bot/store/schema.js'
import type { TestApp } from './make-app.js'
import { inboundForm, messagesOf, signedPost } from './twilio.js'

export const PASSWORD = 'korrekt hest batteri'

let hashed: Promise<string> | undefined

/** Adds a staff account with PASSWORD (hashed once per test file: scrypt is slow on purpose). */
export async function addStaffMember(
  t: TestApp,
  username: string,
  role: StaffRole,
  phone?: string
): Promise<string> {
  const passwordHash = await (hashed ??= hashPassword(PASSWORD))
  const id = `s_${username}`
  addStaff(t.store, { id, username, role, passwordHash, phone }, t.runtime.clock())
  await t.store.flush()
  return id
}

/** A participant texting through the signed webhook; returns the SMS bodies of the reply. */
export async function text(t: TestApp, from: string, body: string): Promise<string[]> {
  const res = await t.app.request('/sms/twilio', signedPost('/sms/twilio', inboundForm(from, body)))
  if (res.status !== 200) throw new Error(`webhook answered ${res.status}`)
  return messagesOf(await res.text())
}

/** A browser-like client: keeps cookies, and posts forms with the CSRF token of its session. */
export class ConsoleClient {
  cookies = new Map<string, string>()
  csrf = ''

  constructor(readonly app: Hono) {}

  #cookieHeader() {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  #keep(res: Response) {
    for (const line of res.headers.getSetCookie()) {
      const [pair] = line.split(';')
      const [name, value] = pair!.split('=') as [string, string]
      if (/max-age=0/i.test(line) || value === '') this.cookies.delete(name)
      else this.cookies.set(name, value)
    }
    return res
  }

  async get(path: string): Promise<Response> {
    const res = this.#keep(
      await this.app.request(path, { headers: { cookie: this.#cookieHeader() } })
    )
    return res
  }

  /** GETs a page and remembers the CSRF token its forms carry. */
  async page(path: string): Promise<{ status: number; html: string }> {
    const res = await this.get(path)
    const html = await res.text()
    this.csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? this.csrf
    return { status: res.status, html }
  }

  async post(path: string, form: Record<string, string> = {}, csrf = this.csrf): Promise<Response> {
    return this.#keep(
      await this.app.request(path, {
        method: 'POST',
        headers: {
          cookie: this.#cookieHeader(),
          'content-type': 'application/x-www-form-urlencoded',
        },
        body: new URLSearchParams({ ...(csrf ? { _csrf: csrf } : {}), ...form }).toString(),
      })
    )
  }

  /** Logs in through the form; returns the login POST's response. */
  async login(username: string, password = PASSWORD): Promise<Response> {
    await this.page('/console/login')
    const res = await this.post('/console/login', { username, password })
    if (res.status === 303) await this.page('/console')
    return res
  }
}

/** A logged-in client for `username`. */
export async function loggedIn(t: TestApp, username: string): Promise<ConsoleClient> {
  const client = new ConsoleClient(t.app)
  const res = await client.login(username)
  if (res.status !== 303) throw new Error(`login as ${username} answered ${res.status}`)
  return client
}

/** The id of the participant's open handoff. */
export function handoffOf(t: TestApp, phone: string): string {
  const participant = Object.values(t.store.data.participants).find((p) => p.address === phone)
  const handoff = Object.values(t.store.data.handoffs).find(
    (h) =>
      h.participantId === participant?.id &&
      ['requested', 'claimed', 'transferred'].includes(h.state)
  )
  if (!handoff) throw new Error(`no open handoff for ${phone}`)
  return handoff.id
}
