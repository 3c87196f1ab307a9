import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { execFileSync } from 'node:child_process'
import { checkContent } from '../../content/check.js'
import { contentDir } from '../../content/load.js'
import { factLine, verificationSummary } from '../../content/verification.js'
import { checkReservedWords } from '../../content/reserved-words.js'

let dirs: string[] = []
afterEach(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
  dirs = []
})

/** A copy of the real content with one topic changed. */
function contentWith(id: string, change: (topic: any) => void): string {
  const dir = mkdtempSync(join(tmpdir(), 'content-'))
  dirs.push(dir)
  cpSync(contentDir, dir, { recursive: true })
  const file = join(dir, 'topics', `${id}.json`)
  const topic = JSON.parse(readFileSync(file, 'utf8'))
  change(topic)
  writeFileSync(file, JSON.stringify(topic))
  return dir
}

const now = new Date('2026-11-23T12:00:00Z')

describe('content:check', () => {
  it('Should pass on the shipped content', () => {
    expect(checkContent(contentDir, now).errors).toEqual([])
  })

  it('Should catch a curly quote or a dash in an SMS answer', () => {
    const dir = contentWith('housing-tonight', (t) => (t.answer.nb = 'Gå til NAV – i dag’.'))
    const { errors } = checkContent(dir, now, [])
    expect(errors.join('\n')).toMatch(
      /answer\.nb has characters that are not GSM-7: "’" "–"|answer\.nb has characters that are not GSM-7: "–" "’"/
    )
  })

  it('Should catch an answer over the segment budget', () => {
    const dir = contentWith('housing-tonight', (t) => (t.answer.en = 'word '.repeat(70)))
    expect(checkContent(dir, now, []).errors.join('\n')).toMatch(/answer\.en needs 3 SMS segments/)
  })

  it('Should warn about an answer that is hard to read, naming its LIX', () => {
    const dir = contentWith('housing-tonight', (t) => {
      t.answer.nb =
        'Kommunens tjenesteapparat har plikt til å medvirke til å skaffe midlertidig botilbud for personer som ikke klarer det selv, herunder tidligere innsatte.'
    })
    const { errors, warnings } = checkContent(dir, now, [])
    expect(errors).toEqual([])
    expect(warnings.join('\n')).toMatch(
      /housing-tonight\.json: answer\.nb is hard to read \(LIX \d+/
    )
    expect(checkContent(contentDir, now).warnings.join('\n')).not.toMatch(/hard to read/)
  })

  it('Should catch a missing language', () => {
    const dir = contentWith('housing-tonight', (t) => delete t.answer.en)
    expect(checkContent(dir, now, []).errors.join('\n')).toMatch(
      /housing-tonight\.json: answer\.en/
    )
  })

  it('Should catch a topic without a source', () => {
    const dir = contentWith('housing-tonight', (t) => (t.sources = []))
    expect(checkContent(dir, now, []).errors.join('\n')).toMatch(/every topic needs a source/)
  })

  it('Should catch a phone number written differently from its source, or unknown', () => {
    const spaced = contentWith('debt-advice', (t) => (t.answer.nb = 'Ring 55553339 i dag.'))
    expect(checkContent(spaced, now, []).errors.join('\n')).toMatch(
      /as "55553339"; its source writes "55 55 33 39"/
    )
    const unknown = contentWith('debt-advice', (t) => (t.answer.nb = 'Ring 22 33 44 55 i dag.'))
    expect(checkContent(unknown, now, []).errors.join('\n')).toMatch(
      /"22 33 44 55" looks like a phone number that is not in phone-book.json/
    )
  })

  it('Should warn about a source read live over 12 months ago', () => {
    const dir = contentWith('debt-advice', (t) => {
      t.sources[0].verified = 'live'
      t.sources[0].checked = '2025-01-01'
    })
    const { warnings, errors } = checkContent(dir, now, [])
    expect(errors).toEqual([])
    expect(warnings.join('\n')).toMatch(/last checked 2025-01-01, more than 12 months ago/)
  })

  it('Should allow a checked date only for a source read on the live page or the organisation own', () => {
    const copy = contentWith('debt-advice', (t) => (t.sources[0].checked = '2026-11-23'))
    expect(checkContent(copy, now, []).errors.join('\n')).toMatch(
      /debt-advice\.json: sources\.0\.checked: a checked date means read on the live page/
    )
    const live = contentWith('debt-advice', (t) => (t.sources[0].verified = 'live'))
    expect(checkContent(live, now, []).errors.join('\n')).toMatch(/sources\.0\.checked/)
  })

  it('Should count the verified facts and list the unverified ones with topic, claim and source', () => {
    const shipped = checkContent(contentDir, now, []).facts
    const dir = contentWith('debt-advice', (t) => {
      t.sources[0].verified = 'live'
      t.sources[0].checked = '2026-11-20'
      t.sources[1].verified = 'not-found'
      t.sources[1].claim = 'The line is open weekdays 09-15'
    })
    const { facts, errors } = checkContent(dir, now, [])
    expect(errors).toEqual([])
    expect(facts.total).toBe(shipped.total)
    expect(facts.verified.length).toBe(shipped.verified.length + 1)
    expect(facts.unverified.length).toBe(shipped.unverified.length + 1)
    const line = facts.unverified.filter((f) => f.topic === 'debt-advice').map(factLine)
    expect(line).toEqual([
      expect.stringMatching(
        /^debt-advice: "The line is open weekdays 09-15" - .+ <https:\/\/.+> \(not-found/
      ),
    ])
    expect(verificationSummary(facts)).toMatch(
      new RegExp(`^facts: ${facts.verified.length} of ${facts.total} sources verified`)
    )
  })

  it('Should read an amount in kroner as an amount, not a phone number', () => {
    const dir = contentWith('nav-kvp', (t) => (t.answer.nb = 'Du får 248 056 kroner i året.'))
    expect(checkContent(dir, now, []).errors).toEqual([])
    const bare = contentWith('nav-kvp', (t) => (t.answer.nb = 'Du får 248 056 i året.'))
    expect(checkContent(bare, now, []).errors.join('\n')).toMatch(/"248 056" looks like a phone/)
  })

  it('Should take a document without an address as a source, but not a source with neither', () => {
    const dir = contentWith('activities-school', (t) => {
      delete t.sources[0].url
      t.sources[0].document = 'seeds/001'
    })
    expect(checkContent(dir, now, []).errors).toEqual([])
    const none = contentWith('activities-school', (t) => {
      delete t.sources[0].url
      delete t.sources[0].document
    })
    expect(checkContent(none, now, []).errors.join('\n')).toMatch(
      /a source needs a url or the name of a document/
    )
  })

  it('Should print the count and the unverified facts from npm run content:check', () => {
    const out = execFileSync('npx', ['tsx', 'content/check.ts'], { encoding: 'utf8' })
    expect(out).toMatch(/^facts: \d+ of \d+ sources verified/m)
    const { facts } = checkContent()
    for (const f of facts.unverified) expect(out).toContain(factLine(f))
  }, 60_000)

  it('Should check the shipped local example and let it add topics', () => {
    const { errors } = checkContent(contentDir, now)
    expect(errors).toEqual([])
  })

  it('Should fail a text that asks to send a Twilio opt-out word for anything but stopping', () => {
    const dir = contentWith(
      'housing-tonight',
      (t) => (t.more.en = 'Send END to talk to the bot again.')
    )
    expect(checkContent(dir, now, []).errors.join('\n')).toMatch(
      /housing-tonight\.json: more\.en asks to send END, a Twilio opt-out word/
    )
    const asks = (text: string) => checkReservedWords(text, 'x').length
    expect(asks('Send END to talk to the bot again.')).toBe(1)
    expect(asks('Reply CANCEL to cancel the appointment.')).toBe(1)
    expect(asks('Svar quit for å avslutte chatten.')).toBe(1)
    expect(asks('Use these words: MENU, QUIT (leave the chat), STOP (no more messages).')).toBe(1)
    expect(asks('Use these words: MENU, STOP (no more messages), DELETE (delete it all).')).toBe(0)
    expect(asks('Welcome back. Send STOP to turn them off.')).toBe(0)
    expect(asks('Send STOP to get no more messages.')).toBe(0)
    expect(asks('Participant sent STOP')).toBe(0)
    expect(asks('In the end it worked. Send STOPP for ingen flere meldinger.')).toBe(0)
  })
})
