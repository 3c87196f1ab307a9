/**
 * Follow-up after a chat: the history of ended chats (search by alias or the end of the number,
 * filters by date, outcome and who held it; volunteers see their own), a participant's page
 * (chats, consent, appointments, checklist; coordinators only, audited), writing first to a
 * participant who agreed (an SMS through the outbox, held in quiet hours, a chat like any other,
 * audited), and a chat transferred to one coordinator waiting for that coordinator only.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { aliasCode } from '../../bot/handoff/alias.js'
import { addStaffMember, handoffOf, loggedIn, text } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

const ONE = '+4791234567'
const TWO = '+4798765432'
const NO = '+4790000111'

let t: TestApp
afterEach(async () => {
  await t?.runtime.handoffs.settled()
  await t?.cleanup()
})

const participantOf = (phone: string) =>
  Object.values(t.store.data.participants).find((p) => p.address === phone)!

async function askForPerson(phone: string) {
  await text(t, phone, 'menneske')
  await text(t, phone, 'ja')
  return handoffOf(t, phone)
}

/** Two ended chats: anne helped ONE, kari referred TWO. */
async function twoEndedChats() {
  await addStaffMember(t, 'anne', 'volunteer')
  await addStaffMember(t, 'kari', 'coordinator')
  const anne = await loggedIn(t, 'anne')
  const kari = await loggedIn(t, 'kari')
  const one = await askForPerson(ONE)
  await anne.post(`/console/chats/${one}/claim`)
  await anne.page(`/console/chats/${one}`)
  await anne.post(`/console/chats/${one}/reply`, { text: 'Hei, jeg heter Anne.' })
  expect((await anne.post(`/console/chats/${one}/close`, { outcome: 'helped' })).status).toBe(303)
  const two = await askForPerson(TWO)
  await kari.post(`/console/chats/${two}/claim`)
  await kari.page(`/console/chats/${two}`)
  expect((await kari.post(`/console/chats/${two}/close`, { outcome: 'referred' })).status).toBe(303)
  return { anne, kari, one, two }
}

describe('follow-up after a chat', () => {
  it('Should find ended chats again, each person only what they may read', async () => {
    t = await makeApp()
    const { anne, kari } = await twoEndedChats()
    const codeOne = aliasCode(participantOf(ONE).id)
    const codeTwo = aliasCode(participantOf(TWO).id)

    const mine = (await anne.page('/console/history')).html
    expect(mine).toContain(`Deltaker ${codeOne}`)
    expect(mine).not.toContain(`Deltaker ${codeTwo}`)
    expect(mine).toContain('+47*****567')
    expect(mine).toContain('Hjulpet')
    expect((await anne.page('/console/history?q=567')).html).toContain(codeOne)
    expect((await anne.page('/console/history?q=765')).html).toContain('Ingen avsluttede')

    const all = (await kari.page('/console/history')).html
    expect(all).toContain(codeOne)
    expect(all).toContain(codeTwo)
    const referred = (await kari.page('/console/history?outcome=referred')).html
    expect(referred).toContain(codeTwo)
    expect(referred).not.toContain(`Deltaker ${codeOne}`)
    const byAnne = (await kari.page('/console/history?staff=s_anne')).html
    expect(byAnne).toContain(codeOne)
    expect(byAnne).not.toContain(`Deltaker ${codeTwo}`)
    const byCode = (await kari.page(`/console/history?q=${codeTwo.toLowerCase()}`)).html
    expect(byCode).toContain(codeTwo)
    expect(byCode).not.toContain(`Deltaker ${codeOne}`)
    expect((await kari.page('/console/history?from=2026-11-24')).html).toContain('Ingen avsluttede')
    expect((await kari.page('/console/history?from=2026-11-23&to=2026-11-23')).html).toContain(
      codeTwo
    )
    // A bad date is named and left out; the other filters still apply, never a 500.
    const bad = await kari.page('/console/history?from=yesterday&outcome=referred')
    expect(bad.status).toBe(400)
    expect(bad.html).toContain('ikke gyldig og ble ikke brukt: Fra dato')
    expect(bad.html).toContain(codeTwo)
    expect(bad.html).not.toContain(`Deltaker ${codeOne}`)
  })

  it('Should gather one participant on a page for coordinators, and let them write first', async () => {
    t = await makeApp()
    const { anne, kari, one } = await twoEndedChats()
    const id = participantOf(ONE).id
    expect((await anne.get(`/console/participants/${id}`)).status).toBe(403)
    const page = (await kari.page(`/console/participants/${id}`)).html
    expect(page).toContain('Sa ja')
    expect(page).toContain('Hjulpet')
    expect(page).toContain(`/console/chats/${one}`)
    expect(page).toContain('Send og åpne samtalen')

    const res = await kari.post(`/console/participants/${id}/start`, {
      text: 'Hei, det er Kari. Hvordan gikk det hos NAV?',
    })
    expect(res.status).toBe(303)
    const opened = res.headers.get('location')!
    expect(opened).toMatch(/^\/console\/chats\/[^?]+\?done=started$/)
    const chatId = opened.split('/').at(-1)!.split('?')[0]!
    expect(t.store.data.handoffs[chatId]).toMatchObject({
      state: 'claimed',
      assignee: 's_kari',
      reason: 'outreach',
    })
    const sms = Object.values(t.store.data.outbox).filter((m) => m.to === ONE)
    expect(sms.at(-1)!.body).toBe('Hei, det er Kari. Hvordan gikk det hos NAV?')
    expect((await kari.page(opened)).html).toContain('Samtalen er åpnet, og SMS-en er sendt.')

    // Their answer comes to the chat, not to the bot.
    expect(await text(t, ONE, 'Det gikk bra, takk')).toEqual([])
    expect((await kari.page(`/console/chats/${chatId}`)).html).toContain('Det gikk bra, takk')
    // Writing first again while it is open opens the same chat.
    const again = await kari.post(`/console/participants/${id}/start`, { text: 'Hallo?' })
    expect(again.headers.get('location')).toBe(`/console/chats/${chatId}?done=already-open`)
    expect(Object.values(t.store.data.outbox).filter((m) => m.to === ONE)).toHaveLength(sms.length)

    const audit = (await kari.page('/console/audit')).html
    expect(audit).toContain('skrev først til en deltaker')
    expect(audit).toContain('så på data om en deltaker')
  })

  it('Should refuse to write first to someone who said no, and hold an SMS at night', async () => {
    t = await makeApp({ now: () => new Date('2026-11-23T23:30:00+01:00') })
    await addStaffMember(t, 'kari', 'coordinator')
    const kari = await loggedIn(t, 'kari')
    await text(t, NO, 'menneske')
    await text(t, NO, 'nei')
    const no = participantOf(NO).id
    expect((await kari.page(`/console/participants/${no}`)).html).toContain(
      'Kan ikke skrive først: deltakeren har ikke sagt ja'
    )
    const refused = await kari.post(`/console/participants/${no}/start`, { text: 'Hei' })
    expect(refused.status).toBe(409)
    expect(Object.values(t.store.data.outbox).filter((m) => m.to === NO)).toHaveLength(0)

    await text(t, ONE, 'menneske')
    await text(t, ONE, 'ja')
    await text(t, ONE, 'avslutt') // ends that chat: they are a consented participant with none open
    const one = participantOf(ONE).id
    const res = await kari.post(`/console/participants/${one}/start`, { text: 'God morgen!' })
    expect(res.headers.get('location')).toMatch(/done=started-held$/)
    const held = Object.values(t.store.data.outbox).find((m) => m.body === 'God morgen!')!
    expect(held.dueAt).toBe('2026-11-24T07:00:00.000Z') // 08:00 in Oslo, when quiet hours end
  })

  it("Should show a chat transferred to one coordinator in that coordinator's Venter list only", async () => {
    t = await makeApp()
    await addStaffMember(t, 'anne', 'volunteer')
    await addStaffMember(t, 'kari', 'coordinator')
    await addStaffMember(t, 'per', 'coordinator')
    const anne = await loggedIn(t, 'anne')
    const kari = await loggedIn(t, 'kari')
    const per = await loggedIn(t, 'per')
    const id = await askForPerson(ONE)
    await anne.post(`/console/chats/${id}/claim`)
    await anne.page(`/console/chats/${id}`)
    expect((await anne.post(`/console/chats/${id}/transfer`, { to: 's_kari' })).status).toBe(303)
    const waitingOf = (html: string) => html.split('Venter på en person</h2>')[1]!.split('<h2>')[0]!
    expect(waitingOf((await kari.page('/console')).html)).toContain(`/console/chats/${id}/claim`)
    expect(waitingOf((await per.page('/console')).html)).not.toContain(id)
    expect((await per.page('/console')).html).toContain('Overført til kari')
  })
})
