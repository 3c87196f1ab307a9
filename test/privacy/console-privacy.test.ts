import { readdir, readFile } from 'node:fs/promises'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { aliasCode } from '../../bot/handoff/alias.js'
import { addStaffMember, loggedIn, text } from '../helpers/console.js'
import { makeApp, type TestApp } from '../helpers/make-app.js'

let t: TestApp
afterEach(async () => t?.cleanup())

const phone = '+4791238765'

async function mentions(dir: string, needle: string): Promise<string[]> {
  const hits: string[] = []
  for (const e of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile() && (await readFile(join(e.parentPath, e.name), 'utf8')).includes(needle)) hits.push(e.name)
  }
  return hits
}

describe('a coordinator and one participant\'s data', () => {
  it('Should find, export and delete a participant, and log each step in the audit trail', async () => {
    t = await makeApp()
    await addStaffMember(t, 'kari', 'coordinator')
    await text(t, phone, 'kartlegg')
    for (const a of ['3', '2', '1', '1', '1', '1']) await text(t, phone, a)
    const id = Object.values(t.store.data.participants)[0]!.id
    const kari = await loggedIn(t, 'kari')

    const found = await kari.page(`/console/privacy?q=${encodeURIComponent('912 38 765')}`)
    expect(found.status).toBe(200)
    expect(found.html).toContain(aliasCode(id))
    expect(found.html).not.toContain(phone)

    const exported = await kari.get(`/console/privacy/${id}/export`)
    expect(exported.headers.get('content-disposition')).toMatch(/attachment; filename="participant-/)
    const data = (await exported.json()) as { records: Record<string, Record<string, unknown>> }
    expect(Object.keys(data.records.participants!)).toEqual([id])
    expect(data.records.mappings![id]).toMatchObject({ answers: { housing: 'none' } })
    expect(data.records).not.toHaveProperty('sessions')

    expect((await kari.post(`/console/privacy/${id}/delete`, {})).status).toBe(400)
    const deleted = await kari.post(`/console/privacy/${id}/delete`, { confirm: 'yes' })
    expect(deleted.status).toBe(200)
    expect(await mentions(t.dir, phone)).toEqual([])
    expect(t.store.data.participants[id]).toBeUndefined()

    const log = await kari.page('/console/audit')
    for (const action of ['så på data', 'lastet ned data', 'slettet data']) expect(log.html).toContain(action)
  })

  it('Should keep volunteers out of it', async () => {
    t = await makeApp()
    await addStaffMember(t, 'anne', 'volunteer')
    const anne = await loggedIn(t, 'anne')
    expect((await anne.page('/console/privacy')).status).toBe(403)
  })
})

describe('saved checklists in the console', () => {
  it('Should show a coordinator the checklist a participant agreed to share, in words, and audit the look', async () => {
    t = await makeApp()
    await addStaffMember(t, 'kari', 'coordinator')
    await addStaffMember(t, 'anne', 'volunteer')
    await text(t, phone, 'kartlegg')
    for (const a of ['3', '2', '1', '1', '1', '1']) await text(t, phone, a)
    const id = Object.values(t.store.data.participants)[0]!.id
    const kari = await loggedIn(t, 'kari')
    const page = await kari.page('/console/checklists')
    expect(page.status).toBe(200)
    expect(page.html).toContain(aliasCode(id))
    expect(page.html).toContain('Har ikke noe sted')
    expect(page.html).toContain('Sted å sove i natt')
    expect(page.html).not.toContain(phone)
    expect((await kari.page('/console/audit')).html).toContain('så på sjekklister')
    const anne = await loggedIn(t, 'anne')
    expect((await anne.page('/console/checklists')).status).toBe(403)
  })
})
