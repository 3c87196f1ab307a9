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
  ])('Should give the emergency answer of its kind: %s', (text, kind) => {
    expect(read(text)).toBe(kind)
  })
})
