import { describe, expect, it } from 'vitest'
import { commandsFile } from '../../content/commands.js'
import { createUnderstanding } from '../../dialogs/understand.js'
import { realKnowledge } from '../helpers/make-app.js'

const { crisis } = createUnderstanding(realKnowledge(), commandsFile())
const read = (text: string) => {
  const signal = crisis.detect(text)
  return signal.level === 'danger' ? signal.kind : signal.level
}

/**
 * An outside tester's texts to the live service (2026-12-02), each beside other ways of saying
 * the same thing that the tester did not send: the fixes are by class of language.
 */
describe('the crisis layer on the outside review of 2026-12-02', () => {
  it.each([
    // Beaten in a match, a game, training, chess, cards, a tournament, by a score.
    'ble banka i fifa av lillebror',
    'ble banka i fotball av gutta',
    'ble banka på trening',
    'vi ble slått 3-0 i fotball i går',
    'ble slått i sjakk av pappa',
    'ble grisebanka i poker i går',
    'vi ble slått i cupfinalen',
    'got beaten 3-0',
    'we got beaten at football yesterday',
    'got beat at chess by my dad',
    // Hit with a bill, a fine, a fee, a tax, a letter.
    'got hit with a huge bill from the tax office',
    'got hit with a fine for no ticket',
    'i was hit with a fee for being late',
    // Laughing.
    'jeg dreper meg selv av latter når jeg ser på den serien',
    'dreper meg av latter',
    'ler meg ihjel av den videoen',
    'this show is killing me lol',
    // Sport and hobbies.
    'skal hoppe i fallskjerm',
    'skal hoppe strikk i sommer',
  ])('Should not give the emergency answer to an everyday text: %s', (text) => {
    expect(['none', 'possible']).toContain(read(text))
  })

  it.each([
    ['han puster ikke', 'overdose'],
    ['han pusta ikke', 'overdose'],
    ['han pusta ikke, hva gjør jeg', 'overdose'],
    ['ho pusta ikkje', 'overdose'],
    ['hu har slutta å puste', 'overdose'],
    ['mixa metadon og benzo og sovna nesten vekk', 'overdose'],
    ['tok metadon og drakk oppå, nå sovner han hele tiden', 'overdose'],
    ['faren til ungen min har truet med å skyte meg', 'violence'],
    ['eksen har truet med å stikke meg', 'violence'],
    ['han tok kvelertak på meg i går natt', 'violence'],
    ['han tok kvelertak på meg i natt', 'violence'],
    ['han tok kvelertak på meg i går', 'violence'],
    ['gonna end it all', 'suicide'],
    ['gonna end it all tonight', 'suicide'],
    ['gonna end it all tonite', 'suicide'],
    ['har lagt meg i badekaret med kniven', 'suicide'],
    ['jeg kommer ikke til å være her i morgen', 'suicide'],
    ['e lei av å leve, vil ikkje meir', 'suicide'],
    ['har ikke lyst til aa vaere her mer', 'suicide'],
    ['står på brua over elva og ser ned', 'suicide'],
    ['im standing on the bridge', 'suicide'],
    ['i just want to end it all', 'suicide'],
    ['jeg har et tau i skapet og tenker på det hele tida', 'suicide'],
    ['alt er svart, har tenkt ut hvordan jeg skal gjøre det', 'suicide'],
    ['ready to go, said bye to my mum', 'suicide'],
    ['hes outside now, help', 'violence'],
    ['ble dratt inn i en varebil og de kjører meg ut i skogen', 'violence'],
    ['han sa han skal skyte meg', 'violence'],
    ['mamma truer med å ta livet av seg', 'suicide'],
    ['han kommer nå, hjelp', 'violence'],
    ['har lyst å slå ned naboen, har kniven klar', 'violence'],
    ['de har tatt meg i en bil og kjører meg et sted', 'violence'],
    ['blir forfulgt av noen fra gjengen, de venter utenfor', 'violence'],
  ])('Should give the emergency answer of its kind: %s', (text, kind) => {
    expect(read(text)).toBe(kind)
  })

  it.each([
    // Despair or a message meant to be found, with no other sign: at least the check.
    'idk if i can go on',
    'sender dette til dere sa noen vet. beklager',
  ])('Should at least ask the check: %s', (text) => {
    expect(read(text)).not.toBe('none')
  })

  it.each([
    // The same words in everyday sentences.
    'har lyst til å slå han i sjakk',
    'de venter utenfor NAV',
    'jeg kommer ikke til å være her i morgen, er på jobb',
    'har et tau til flyttinga',
    'står på brua og venter på bussen',
    'mamma kommer nå, hjelp meg å rydde',
    'standing on the bridge waiting for you',
    'she followed me on instagram',
    'har tenkt ut hvordan jeg skal gjøre det med flyttinga',
    'kompisen tok meg med i bilen og kjørte meg hjem',
  ])('Should not give the emergency answer to: %s', (text) => {
    expect(['none', 'possible']).toContain(read(text))
  })

  it.each([
    // A lawful threat (to evict, to report, to stop money), a sentence served, pills for a
    // headache, rope with tools, a parachute: nothing, not even the check.
    'utleier truer med å kaste meg ut',
    'utleier truer med å ringe politiet hvis jeg ikke betaler',
    'NAV sier de skal kutte stønaden min',
    'dommen min var for trusler, får jeg bolig likevel',
    'har tatt to paracet for hodepine',
    'tok to ibux mot vondt i ryggen',
    'took two paracetamol for my headache',
    'hvor kan jeg kjøpe tau og verktøy til jobben',
    'skal hoppe i fallskjerm',
    // Plain everyday words: the second reader never asks the check on them alone.
    'vet ikke',
    'kva gjer eg no?',
    'i dont know',
    // Closing a chat: a farewell sign needs more than ordinary thanks or a good night.
    'bye',
    'good night',
    'thank u',
    'thanks a lot',
    'ha det bra',
    'god natt',
    'tusen takk',
  ])('Should not even ask the check: %s', (text) => {
    expect(read(text)).toBe('none')
  })

  it.each(['1', '2', '3', '9', '10', '2 ', ' 1.', '12:30', '2026', '3 2', '#2'])(
    'Should never ask the check on a menu choice or a number alone: %s',
    (text) => {
      // The second reader once read "2" (a menu choice) as a possible overdose.
      expect(read(text)).toBe('none')
    }
  )

  it('Should still read a number of pills as an overdose, the number carrying the dose', () => {
    expect(read('har tatt 20 sobril')).toBe('overdose')
  })

  it('Should still read many pills for a headache as an overdose', () => {
    expect(read('tok 30 paracet for hodepine')).toBe('overdose')
  })
})
