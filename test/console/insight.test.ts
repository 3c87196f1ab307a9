/**
 * /console/insight: real figures from real conversations (SMS through the signed webhook, a
 * volunteer answering in the console), texts not understood grouped and masked and gone after
 * TRANSCRIPT_RETENTION_DAYS, charts as inline SVG, a CSV of the aggregates, coordinators only.
 */
import { readdir } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { maskText, phraseFromMasked } from '../../bot/store/insight-log.js'
import { pruneExpired } from '../../bot/scheduler/retention.js'
import { addStaffMember, handoffOf, loggedIn, text } from '../helpers/console.js'
import { makeApp, realKnowledge, testConfig, type TestApp } from '../helpers/make-app.js'

let t: TestApp
const apps: TestApp[] = []
afterEach(async () => {
  for (const app of apps.splice(0)) await app.runtime.handoffs.settled()
  await t?.cleanup()
})

const ONE = '+4791234567'
const TWO = '+4798765432'
const GIBBERISH = 'sjiraffen til Kari Berg spiser trompeter, 91 23 45 67'

describe('insight for coordinators', () => {
  it('Should mask numbers, e-mail addresses and names in a text', () => {
    expect(maskText('Hei, jeg er Kari Nordmann, ring 912 34 567 eller kari@example.no')).toBe(
      'Hei, jeg er [navn] [navn], ring [tall] eller [e-post]'
    )
    expect(maskText('NAV sa nei. Fnr 01019912345')).toBe('NAV sa nei. Fnr [tall]')
  })

  it('Should show real figures, the masked texts grouped, and a CSV of the aggregates', async () => {
    t = await makeApp()
    apps.push(t)
    await addStaffMember(t, 'anne', 'volunteer')
    await addStaffMember(t, 'kari', 'coordinator')
    await text(t, ONE, 'de trekker i lønna mi')
    await text(t, ONE, GIBBERISH)
    await text(t, TWO, GIBBERISH)
    await text(t, TWO, 'menneske')
    await text(t, TWO, 'ja')
    const anne = await loggedIn(t, 'anne')
    const id = handoffOf(t, TWO)
    await anne.post(`/console/chats/${id}/claim`)
    await anne.page(`/console/chats/${id}`)
    await anne.post(`/console/chats/${id}/reply`, { text: 'Hei!' })

    expect((await anne.get('/console/insight')).status).toBe(403)
    const kari = await loggedIn(t, 'kari')
    const { status, html } = await kari.page('/console/insight')
    expect(status).toBe(200)
    expect(html).toContain('<svg')
    expect(html).toContain('Meldinger fra deltakere')
    expect(html).toContain('Trekk i lønn eller trygd: 1')
    // One group for both texts, masked: no name, no number.
    expect(html).toContain('2 ganger')
    expect(html).toContain('sjiraffen til [navn] [navn] spiser trompeter, [tall]')
    expect(html).not.toMatch(/Berg|91 23 45 67/)
    expect(html).not.toContain('«ja»') // the answer to a question is not "not understood"
    // Each group can be taught to the bot through the content editor's route.
    expect(html).toContain('action="/console/content/phrases"')
    const masked = 'sjiraffen til [navn] [navn] spiser trompeter, [tall]'
    const taught = await kari.post('/console/content/phrases', {
      topicId: 'debt-wage-deduction',
      text: masked,
    })
    expect(taught.status).toBe(303)
    expect((await kari.page('/console/audit')).html).not.toContain('content.phrase</td>')

    const csv = await kari.get('/console/insight/figures.csv')
    expect(csv.headers.get('content-type')).toContain('text/csv')
    const rows = (await csv.text())
      .trim()
      .split('\n')
      .map((l) => l.split(','))
    const header = rows[0]!
    const total = Object.fromEntries(header.map((h, i) => [h, rows.at(-1)![i]]))
    expect(total).toMatchObject({
      week: 'total',
      messages: '5',
      people: '2',
      topics: '1',
      notUnderstood: '2',
      requests: '1',
      firstReplyMinutes: '0',
    })
    const week = rows.find((r) => r[0] === '2026-W48')!
    expect(week[header.indexOf('messages')]).toBe('5')
    expect(rows.flat().join(',')).not.toMatch(/Berg|\+47|sjiraff/)
  })

  it('Should keep the masked texts no longer than TRANSCRIPT_RETENTION_DAYS, and the counts', async () => {
    t = await makeApp()
    apps.push(t)
    await addStaffMember(t, 'kari', 'coordinator')
    await text(t, ONE, GIBBERISH)
    await t.runtime.insight.flush() // as on shutdown: counts are written in the background
    const later = new Date(Date.parse('2026-11-23T12:00:00+01:00') + 91 * 86_400_000)
    const next = await makeApp({ dir: t.dir, now: () => later })
    apps.push(next)
    await addStaffMember(next, 'kari2', 'coordinator')
    const kari = await loggedIn(next, 'kari2')
    const html = (await kari.page('/console/insight')).html
    expect(html).not.toContain('[navn] [navn]')
    const pruned = await pruneExpired(
      {
        store: next.store,
        transcripts: next.transcripts,
        auditDir: join(t.dir, 'audit'),
        settings: testConfig,
        insight: next.runtime.insight,
      },
      later
    )
    expect(pruned.transcriptDays).toBeGreaterThanOrEqual(0)
    expect(await readdir(join(t.dir, 'insight', 'texts'))).toEqual([])
    expect(await readdir(join(t.dir, 'insight', 'events'))).toHaveLength(1)
    const csv = await (await kari.get('/console/insight/figures.csv')).text()
    expect(csv.trim().split('\n').at(-1)!.split(',')[1]).toBe('1') // the message still counts
  })
  it('Should teach the words of a masked text, not its [navn]/[tall] placeholders (review of issue 15, finding 3)', async () => {
    expect(phraseFromMasked('Jeg heter [navn] [navn], ring [tall] om blåbærsyltetøy')).toBe(
      'jeg heter ring om blåbærsyltetøy'
    )
    expect(phraseFromMasked('[navn] [tall], [e-post]')).toBe('')
    t = await makeApp()
    apps.push(t)
    await addStaffMember(t, 'kari', 'coordinator')
    const said = 'Jeg heter Kari Nordmann, ring 91234567 om blåbærsyltetøy'
    expect((await text(t, ONE, said)).join('\n')).not.toContain('Gjeldsordning er for deg')
    const kari = await loggedIn(t, 'kari')
    const { html } = await kari.page('/console/insight')
    // The coordinator sees (and may edit) the cleaned text before attaching it.
    expect(html).toMatch(/<input[^>]*name="text"[^>]*value="jeg heter ring om blåbærsyltetøy"/)
    expect(html).not.toMatch(/type="hidden" name="text"/)
    const masked = 'Jeg heter [navn] [navn], ring [tall] om blåbærsyltetøy'
    // Even the masked text posted as it is attaches only its words.
    const taught = await kari.post('/console/content/phrases', {
      topicId: 'debt-gjeldsordning',
      text: masked,
    })
    expect(taught.status).toBe(303)
    const other = (await text(t, TWO, 'Jeg heter Per Olsen, ring 45678901 om blåbærsyltetøy')).join(
      '\n'
    )
    expect(other).toContain('Gjeldsordning er for deg')
    // Nothing meaningful left: refused in a plain sentence, nothing attached.
    const empty = await kari.post('/console/content/phrases', {
      topicId: 'debt-gjeldsordning',
      text: '[navn] [navn], [tall]',
    })
    expect(empty.status).toBe(400)
    expect(await empty.text()).toContain('Teksten har bare skjulte navn og tall')
  })
  it('Should count and list a topic answered by the tonight-first path (review of issue 15, finding 2)', async () => {
    t = await makeApp()
    apps.push(t)
    await addStaffMember(t, 'kari', 'coordinator')
    const answer = (await text(t, ONE, 'har ikke noe sted å bo')).join('\n')
    const tonight = realKnowledge().topics.get('housing-tonight')!
    expect(answer).toContain(tonight.answer.nb.slice(0, 40))
    // "2" for the longer term: a topic answered by a number is a topic answer too.
    const later = realKnowledge().topics.get('housing-kommunal-bolig')!
    expect((await text(t, ONE, '2')).join('\n')).toContain(later.answer.nb.slice(0, 40))
    await text(t, ONE, 'menneske')
    await text(t, ONE, 'ja')
    expect(t.store.data.handoffs[handoffOf(t, ONE)]!.before!.topics).toEqual([
      'housing-tonight',
      'housing-kommunal-bolig',
    ])
    const kari = await loggedIn(t, 'kari')
    const { html } = await kari.page('/console/insight')
    expect(html).toContain(`${tonight.title.nb}: 1`)
    expect(html).toContain(`${later.title.nb}: 1`)
  })
})
