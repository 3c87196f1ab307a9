/**
 * @module dialogs/normalize
 * Text as people type it on a basic phone becomes comparable tokens: lower case, no
 * punctuation, æøå folded the way they are written without them (æ/ae, ø/o/oe, å/aa/a), and a
 * light stem in both languages.
 */
import snowball from 'snowball-stemmers'

const nbStemmer = snowball.newStemmer('norwegian')
const enStemmer = snowball.newStemmer('english')

/** Folds Norwegian letters and their ASCII spellings to one form: "lønna", "loenna", "lonna" → "lonna". */
export function fold(word: string): string {
  return word
    .replace(/æ/g, 'ae')
    .replace(/[øö]/g, 'o')
    .replace(/[åä]/g, 'a')
    .replace(/aa/g, 'a')
    .replace(/oe/g, 'o')
    .replace(/é|è|ê/g, 'e')
}

/** Lower-cased words without punctuation, in their original letters. */
export function words(text: string): string[] {
  return (
    text
      .normalize('NFKC')
      .toLowerCase()
      // "can't" is one word, not "can" and "t".
      .replace(/['’`´]/g, '')
      .replace(/[^\p{L}\p{N}]+/gu, ' ')
      .trim()
      .split(' ')
      .filter(Boolean)
  )
}

export type Token = {
  /** The word as written (lower case), for stopwords: folded, "dø" would be the stopword "do". */
  word: string
  /** Folded surface form, for edit distance. */
  form: string
  /** Folded stems (Norwegian and English), for exact comparison. */
  stems: string[]
}

/**
 * Nynorsk and dialect words read as their bokmål twins ("eg treng pengar" as "jeg trenger
 * penger"), so one keyword or example serves both. Only words with no other meaning here.
 */
const dialect: Record<string, string> = {
  eg: 'jeg',
  ikkje: 'ikke',
  ikkj: 'ikke',
  itj: 'ikke',
  kva: 'hva',
  kor: 'hvor',
  korleis: 'hvordan',
  koss: 'hvordan',
  kossen: 'hvordan',
  korfor: 'hvorfor',
  kvifor: 'hvorfor',
  kven: 'hvem',
  kem: 'hvem',
  kvar: 'hver',
  kvart: 'hvert',
  ein: 'en',
  eit: 'et',
  noko: 'noe',
  nokon: 'noen',
  nokre: 'noen',
  mykje: 'mye',
  berre: 'bare',
  dei: 'de',
  ho: 'hun',
  hja: 'hos',
  pengar: 'penger',
  pengane: 'pengene',
  sjuk: 'syk',
  sjukt: 'sykt',
  sjukdom: 'sykdom',
  bustad: 'bolig',
  bustader: 'boliger',
  heim: 'hjem',
  heime: 'hjemme',
  sokje: 'soke',
  sokjer: 'soker',
  treng: 'trenger',
  aleine: 'alene',
  rusar: 'ruser',
  skuldar: 'skylder',
  skulda: 'skyldte',
  gjer: 'gjor',
  kjem: 'kommer',
  kome: 'komme',
  koma: 'komme',
  slepp: 'slipper',
  sleppe: 'slippe',
  laurdag: 'lordag',
  sundag: 'sondag',
  veit: 'vet',
  sjolv: 'selv',
  framleis: 'fortsatt',
  fekk: 'fikk',
  bur: 'bor',
  budde: 'bodde',
  hentar: 'henter',
  tenkjer: 'tenker',
  tenkje: 'tenke',
  medisinar: 'medisiner',
  speler: 'spiller',
  spele: 'spille',
  mogleg: 'mulig',
  vanskeleg: 'vanskelig',
  eigen: 'egen',
  eige: 'eget',
  eigentleg: 'egentlig',
  byrje: 'begynne',
  seier: 'sier',
  spurde: 'spurte',
  stad: 'sted',
  staden: 'stedet',
  leilegheit: 'leilighet',
  lona: 'lonna',
  betala: 'betale',
  arbeida: 'arbeide',
  trygda: 'trygden',
  vore: 'vaert',
  hjelpa: 'hjelpe',
  klarar: 'klarer',
  slit: 'sliter',
}

const cache = new Map<string, Token>()

/** One word as a comparable token (a dialect word as its bokmål twin). */
export function tokenOf(written: string): Token {
  let token = cache.get(written)
  if (!token) {
    const word = dialect[fold(written)] ?? written
    const form = fold(word)
    const stems = new Set([
      fold(nbStemmer.stem(word)),
      fold(enStemmer.stem(word)),
      nbStemmer.stem(form),
    ])
    token = { word, form, stems: [...stems].filter((s) => s.length >= 2) }
    if (cache.size < 50_000) cache.set(written, token)
  }
  return token
}

export function tokenize(text: string): Token[] {
  return readWords(text).map(tokenOf)
}

/** "p-piller", "p-stav", "p-sprøyte": birth control, written with a lone "p" before the word. */
const joinedAfterP = /^(pill|stav|ring|spr[oø]yt|plast|sp[iy]ral)/

/**
 * The words the readers (keywords, learned examples, small talk) take: `words`, with a lone "p"
 * joined to the word it belongs to ("p-piller" or "p piller" is "ppiller": birth-control pills,
 * not the "piller" of drugs). The split's hash and the crisis layer read `words` as written.
 */
export function readWords(text: string): string[] {
  const list = words(text)
  const read: string[] = []
  for (let i = 0; i < list.length; i++) {
    const next = list[i + 1]
    if (list[i] === 'p' && next && joinedAfterP.test(next)) {
      read.push(`p${next}`)
      i++
    } else read.push(list[i]!)
  }
  return read
}
