/**
 * @module content/crisis-words
 * Part of `npm run crisis:build`: lists the real words, in Norwegian or English, that the crisis layer's
 * typo rules could otherwise read as a crisis word ("homeless" for "hopeless", "gave" for
 * "grave"), and writes them to content/crisis/real-words.json, which the detector never treats
 * as typos. It tries every spelling the rules allow for each pattern word and asks Hunspell
 * dictionaries (nspell with dictionary-nb and dictionary-en, dev dependencies only) which are
 * real.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import nspell from 'nspell'
import { loadCrisis, contentDir } from './load.js'
import { crisisPatternWords } from '../dialogs/crisis.js'
import { doublingsOf, typoOf, typoPrefix } from '../dialogs/crisis-spelling.js'
import { fold } from '../dialogs/normalize.js'

const alphabet = 'abcdefghijklmnopqrstuvwxyz'.split('')

/** Every string one edit from `word`: deletions, swaps, changes and additions. */
function edits(word: string): Set<string> {
  const out = new Set<string>()
  for (let i = 0; i <= word.length; i++) {
    const [head, tail] = [word.slice(0, i), word.slice(i)]
    if (tail) out.add(head + tail.slice(1))
    if (tail.length > 1) out.add(head + tail[1] + tail[0] + tail.slice(2))
    for (const c of alphabet) {
      if (tail) out.add(head + c + tail.slice(1))
      out.add(head + c + tail)
    }
  }
  out.delete(word)
  return out
}

/** Spellings one edit (or one doubled letter) from `word` that the typo rules would read as it. */
export function typoCandidates(word: string): string[] {
  const all = edits(word)
  // Doubled letters: "pussterr" for "puster".
  for (const e of [word, ...all])
    for (let i = 0; i < e.length; i++) all.add(e.slice(0, i + 1) + e.slice(i))
  return [...all].filter((candidate) => typoOf(candidate, word))
}

/** Norwegian spellings a folded word may come from: "lop" from "løp", "la" from "lå". */
function unfoldings(form: string): string[] {
  let results = ['']
  for (let i = 0; i < form.length; i++) {
    const rest = form.slice(i)
    const next: string[] = []
    for (const r of results) {
      if (rest.startsWith('ae')) next.push(r + 'æ')
      if (rest.startsWith('aa')) next.push(r + 'å')
      if (form[i] === 'o') next.push(r + 'ø')
      if (form[i] === 'a') next.push(r + 'å')
      next.push(r + form[i])
    }
    results = next.slice(0, 64)
  }
  // "ae" and "aa" consumed two letters: drop the readings whose folding does not give `form` back.
  return results.filter((r) => fold(r) === form)
}

/** Writes content/crisis/real-words.json from the current patterns. */
export async function writeRealWords(): Promise<void> {
  const hunspell = (d: { aff: Uint8Array; dic: Uint8Array }) =>
    nspell({ aff: Buffer.from(d.aff), dic: Buffer.from(d.dic) })
  const nb = hunspell((await import('dictionary-nb')).default)
  const en = hunspell((await import('dictionary-en')).default)
  const real = (form: string) => en.correct(form) || unfoldings(form).some((w) => nb.correct(w))
  const crisis = loadCrisis()
  const { words, prefixes } = crisisPatternWords(crisis)
  const found = new Set<string>()
  for (const word of words) for (const c of typoCandidates(word)) if (real(c)) found.add(c)
  // A listed spelling with a letter doubled or undoubled ("truuga" for "truga") reads as it.
  for (const variant of Object.values(crisis.words.spellings).flat().map(fold))
    for (const c of doublingsOf(variant)) if (real(c)) found.add(c)
  // Two edits (words of 11 letters or more) and prefixes ("selvmord*" at the start of a longer
  // word) have too many spellings to try: check every dictionary word against them instead.
  const stems = dictionaryWords()
  const long = words.filter((w) => w.length >= 11)
  for (const stem of stems) {
    if (long.some((word) => typoOf(stem, word))) found.add(stem)
    if (prefixes.some((p) => !stem.startsWith(p) && typoPrefix(stem, p))) found.add(stem)
  }
  const file = join(contentDir, 'crisis', 'real-words.json')
  const list = {
    generatedFrom: 'nspell with dictionary-nb and dictionary-en (npm run crisis:build)',
    crisisWords: [...words, ...prefixes.map((p) => `${p}*`)].sort(),
    words: [...found].sort(),
  }
  writeFileSync(file, `${JSON.stringify(list, null, 1)}\n`)
  process.stdout.write(`crisis:build: ${found.size} real words near ${words.length} crisis words\n`)
}

/** Every word of both dictionaries, folded, as stems appear in their .dic files. */
function dictionaryWords(): string[] {
  const stems = new Set<string>()
  for (const pkg of ['dictionary-nb', 'dictionary-en']) {
    const dic = readFileSync(join(contentDir, '..', 'node_modules', pkg, 'index.dic'), 'utf8')
    for (const line of dic.split('\n').slice(1)) {
      const stem = line.split('/')[0]?.trim().toLowerCase()
      if (stem && /^[\p{L}]+$/u.test(stem)) stems.add(fold(stem))
    }
  }
  return [...stems]
}
