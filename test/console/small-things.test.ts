/**
 * Small things a tired person trips on: a campaign started at night says it waits for the
 * morning (not "Sendes nå", not "Sendt 0 av 0"); the audit log speaks in words; "Send nå
 * likevel" is inside its label; the reply's SMS count is plain; usernames may have æøå.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { StaffUsername, findStaff } from '../../bot/store/staff.js'
import { addStaffMember, loggedIn } from '../helpers/console.js'
import { reminderApp, type ReminderApp } from '../helpers/reminders.js'

let t: ReminderApp
afterEach(async () => {
  await t?.runtime.handoffs.settled()
  await t?.cleanup()
})

const BASE = '/console/reminders'
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, ' ')

describe('small things', () => {
  it('Should say a campaign started at night waits for the morning, and never "Sendt 0 av 0"', async () => {
    t = await reminderApp('2026-11-20T23:30')
    await addStaffMember(t, 'kari', 'coordinator')
    const kari = await loggedIn(t, 'kari')
    await kari.post(`${BASE}/import/save`, {
      csv: 'Navn,Telefon,Grupper,Samtykke\nOla,91234567,nav,ja\nPer,92345678,nav,ja\n',
    })
    await kari.page(`${BASE}/campaigns/new`)
    const draft = {
      name: 'Stengt',
      textNb: 'NAV er stengt fredag, ring mandag.',
      textEn: '',
      groups: 'nav',
      language: '',
      when: 'now',
      date: '',
      time: '',
    }
    const preview = await (await kari.post(`${BASE}/campaigns/preview`, draft)).text()
    const previewed = /name="previewed" value="([^"]+)"/.exec(preview)![1]!
    const res = await kari.post(`${BASE}/campaigns`, { ...draft, previewed })
    expect(res.status).toBe(303)
    const before = words((await kari.page(res.headers.get('location')!)).html)
    expect(before).not.toContain('Sendt 0 av 0')
    await t.tick()
    const page = words((await kari.page(res.headers.get('location')!)).html)
    expect(page).toContain('Venter på morgenen')
    expect(page).toContain('Stille timer nå: meldingene sendes')
    expect(page).not.toContain('Sendes nå')
    // The audit log names what was done in words, never a raw key.
    const audit = words((await kari.page('/console/audit')).html)
    expect(audit).toContain('importerte personer fra CSV')
    expect(audit).toContain('planla en utsending')
    expect(audit).not.toMatch(/reminders\.[a-z]/)
  })

  it('Should put "Send nå likevel" inside its label and count SMS in plain words', async () => {
    t = await reminderApp('2026-11-20T23:30')
    await addStaffMember(t, 'anne', 'volunteer')
    const anne = await loggedIn(t, 'anne')
    const css = await (await anne.get('/console/assets/console.css')).text()
    expect(css).toContain('label.check{display:flex')
    const res = await anne.app.request('/console/segments', {
      method: 'POST',
      headers: {
        cookie: [...anne.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        'content-type': 'application/json',
        'x-csrf-token': anne.csrf,
      },
      body: JSON.stringify({ text: 'Hei, jeg heter Anne.' }),
    })
    expect(((await res.json()) as { line: string }).line).toBe('20 tegn, blir 1 SMS.')
  })

  it('Should take usernames with æ, ø and å, in either Unicode form', async () => {
    t = await reminderApp('2026-11-20T12:00')
    await addStaffMember(t, 'ada', 'admin')
    const ada = await loggedIn(t, 'ada')
    await ada.page('/console/staff')
    const res = await ada.post('/console/staff', {
      username: 'Bjørn.Åsen',
      role: 'volunteer',
      phone: '',
    })
    expect(res.status).toBe(200)
    expect(words(await res.text())).toContain('Bjørn.Åsen')
    // A decomposed å (a + ring, as some keyboards send it) finds the same account.
    expect(findStaff(t.store, 'bjørn.a\u030asen')?.username).toBe('Bjørn.Åsen')
    expect(StaffUsername.safeParse('ærlig').success).toBe(true)
    expect(StaffUsername.safeParse('a b').success).toBe(false)
  })
})
