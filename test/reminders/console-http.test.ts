import { afterEach, describe, expect, it } from 'vitest'
import { addStaffMember, loggedIn, text, type ConsoleClient } from '../helpers/console.js'
import { reminderApp, smsTo, type ReminderApp } from '../helpers/reminders.js'

let t: ReminderApp
afterEach(async () => {
  await t?.runtime.handoffs.settled()
  await t?.cleanup()
})

const BASE = '/console/reminders'
const PHONE = '+4791234567'

/** The text of a page without tags, for reading what a coordinator reads. */
const words = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')

/** Posts a form with repeated fields (ticked checkboxes), as a browser does. */
function postForm(client: ConsoleClient, path: string, form: URLSearchParams) {
  return t.app.request(path, {
    method: 'POST',
    headers: {
      cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: `_csrf=${encodeURIComponent(client.csrf)}&${form.toString()}`,
  })
}

async function coordinator() {
  t = await reminderApp('2026-11-20T12:00')
  await addStaffMember(t, 'kari', 'coordinator')
  await addStaffMember(t, 'anne', 'volunteer')
  return loggedIn(t, 'kari')
}

describe('reminders in the console', () => {
  it('Should answer a person form with an odd consent or language in a plain sentence (400), never zod’s words', async () => {
    const kari = await coordinator()
    await kari.page(`${BASE}/people`)
    const post = (fields: Record<string, string>) =>
      kari.post(`${BASE}/people`, {
        name: 'Ola',
        phone: '912 34 567',
        language: 'nb',
        groups: '',
        consent: 'given',
        ...fields,
      })
    const consent = await post({ consent: 'constructor' })
    expect(consent.status).toBe(400)
    const consentText = await consent.text()
    expect(consentText).toContain('Velg om deltakeren har samtykket til påminnelser.')
    const language = await post({ language: '__proto__' })
    expect(language.status).toBe(400)
    expect(await language.text()).toContain('Velg språk: norsk eller engelsk.')
    expect(consentText).not.toMatch(/Invalid|expected|received/i)
    expect(Object.keys(t.store.data.people)).toHaveLength(0)
  })

  it('Should let a coordinator add a person and an appointment, and say when reminders go', async () => {
    const kari = await coordinator()
    await kari.page(`${BASE}/people`)
    let res = await kari.post(`${BASE}/people`, {
      name: 'Ola',
      phone: '912 34 567',
      language: 'nb',
      groups: 'NAV, bolig',
      consent: 'given',
    })
    expect(res.status).toBe(303)
    const personUrl = res.headers.get('location')!.split('?')[0]!
    const person = Object.values(t.store.data.people)[0]!
    expect(person).toMatchObject({ phone: PHONE, groups: ['nav', 'bolig'], createdBy: 's_kari' })
    const page = await kari.page(personUrl)
    expect(page.html).toContain('Ny avtale')
    expect(page.html).toMatch(/name="rules" value="-1d@18:00" checked/)
    const form = new URLSearchParams({
      what: 'Møte hos NAV',
      where: 'Storgata 1',
      date: '2026-11-24',
      time: '14:00',
    })
    form.append('rules', '-1d@18:00')
    form.append('rules', '-2h')
    res = await postForm(kari, `${personUrl}/appointments`, form)
    expect(res.status).toBe(303)
    expect(Object.keys(t.store.data.appointments)).toHaveLength(1)
    const saved = words((await kari.page(res.headers.get('location')!)).html)
    expect(saved).toContain(
      'Avtalen er lagret. Påminnelser sendes man. 23.11. kl. 18:00 og tir. 24.11. kl. 12:00.'
    )
    expect(saved).toContain('Dagen før kl. 18:00: sendes man. 23.11. kl. 18:00')
  })

  it('Should explain a refused appointment and keep what was typed', async () => {
    const kari = await coordinator()
    await kari.post(`${BASE}/people`, {
      name: 'Ola',
      phone: '91234567',
      language: 'nb',
      groups: '',
      consent: 'unknown',
    })
    const person = Object.values(t.store.data.people)[0]!
    const res = await kari.post(`${BASE}/people/${person.id}/appointments`, {
      what: 'Møte hos NAV',
      where: '',
      date: '2026-03-29',
      time: '02:30',
      rules: '-2h',
    })
    expect(res.status).toBe(400)
    const raw = await res.text()
    expect(raw).toContain('value="Møte hos NAV"')
    expect(raw).toContain('value="2026-03-29"')
    const html = words(raw)
    expect(html).toContain('Det klokkeslettet finnes ikke den dagen (klokka stilles fram).')
    expect(html).toContain('Denne deltakeren har ikke samtykket')
  })

  it('Should delete a person with everything kept for their reminders, only when ticked', async () => {
    const kari = await coordinator()
    await kari.post(`${BASE}/people`, {
      name: 'Ola',
      phone: '91234567',
      language: 'nb',
      groups: '',
      consent: 'given',
    })
    const person = Object.values(t.store.data.people)[0]!
    await kari.post(`${BASE}/people/${person.id}/appointments`, {
      what: 'NAV',
      where: '',
      date: '2026-11-24',
      time: '14:00',
      rules: '-2h',
    })
    expect(Object.keys(t.store.data.appointments)).toHaveLength(1)
    await kari.post(`${BASE}/people/${person.id}/delete`, {})
    expect(t.store.data.people[person.id]).toBeDefined()
    const res = await kari.post(`${BASE}/people/${person.id}/delete`, { confirm: 'yes' })
    expect(res.headers.get('location')).toBe(`${BASE}/people?done=deleted`)
    expect(t.store.data.people).toEqual({})
    expect(t.store.data.appointments).toEqual({})
  })

  it('Should keep volunteers out', async () => {
    await coordinator()
    const anne = await loggedIn(t, 'anne')
    expect((await anne.get(BASE)).status).toBe(403)
    expect((await anne.post(`${BASE}/people`, { name: 'X' })).status).toBe(403)
  })

  it('Should preview a CSV with each bad row and why, save only the good rows, and only then', async () => {
    const kari = await coordinator()
    await kari.page(`${BASE}/import`)
    const csv = 'Navn;Telefon;Samtykke\nOla;91234567;ja\nPer;123;ja\n;92345678;ja\n'
    const res = await kari.post(`${BASE}/import/check`, { csv })
    const html = words(await res.text())
    expect(html).toContain('3 rader: 1 kan lagres, 2 har feil. Ingenting er lagret ennå.')
    expect(html).toContain('3 Per 123')
    expect(html).toContain('Ugyldig mobilnummer')
    expect(html).toContain('Mangler navn')
    expect(Object.keys(t.store.data.people)).toEqual([])
    const saved = await kari.post(`${BASE}/import/save`, { csv })
    expect(saved.headers.get('location')).toBe(`${BASE}/people?done=imported&n=1`)
    expect(Object.values(t.store.data.people).map((p) => p.name)).toEqual(['Ola'])
  })

  it('Should preview a campaign, schedule it, show progress and a reply, and cancel nothing sent', async () => {
    const kari = await coordinator()
    await kari.post(`${BASE}/import/save`, {
      csv: 'Navn,Telefon,Grupper,Samtykke\nOla,91234567,nav,ja\nSara,92345678,nav,nei\n',
    })
    await kari.page(`${BASE}/campaigns/new`)
    const draft = {
      name: 'Stengt',
      textNb: 'NAV er stengt fredag – ring i morgen.',
      textEn: '',
      groups: 'nav',
      language: '',
      when: 'now',
      date: '',
      time: '',
    }
    const previewHtml = await (await kari.post(`${BASE}/campaigns/preview`, draft)).text()
    const previewed = /name="previewed" value="([^"]+)"/.exec(previewHtml)![1]!
    const preview = words(previewHtml)
    expect(preview).toContain(
      'NAV er stengt fredag - ring i morgen. Send STOPP for ingen flere meldinger.'
    )
    expect(preview).toContain('1 SMS per mottaker')
    expect(preview).toContain('1 mottakere (1 norsk, 0 engelsk).')
    expect(preview).toContain(
      'Hoppes over: 0 har sendt STOPP, 1 mangler samtykke, 0 mangler nummer.'
    )
    expect(preview).toContain('Planlegg utsending til 1 mottaker')
    // Changed after the preview: shown again, not scheduled.
    const changed = await kari.post(`${BASE}/campaigns`, {
      ...draft,
      textNb: 'Annen tekst',
      previewed,
    })
    expect(changed.status).toBe(400)
    expect(words(await changed.text())).toContain('Du endret noe etter forhåndsvisningen.')
    expect(Object.keys(t.store.data.campaigns)).toEqual([])
    const res = await kari.post(`${BASE}/campaigns`, { ...draft, previewed })
    expect(res.status).toBe(303)
    await t.tick()
    expect(smsTo(t, PHONE)).toHaveLength(1)
    await text(t, PHONE, 'fint, takk for beskjed')
    const overview = words((await kari.page(BASE)).html)
    expect(overview).toContain('1 svar venter på deg')
    expect(overview).toContain('fint, takk for beskjed')
    expect(overview).toContain('Sendt 1 av 1')
    const campaign = words((await kari.page(res.headers.get('location')!)).html)
    expect(campaign).toContain('Ferdig')
    expect(campaign).not.toContain('Stopp resten')
  })
})
