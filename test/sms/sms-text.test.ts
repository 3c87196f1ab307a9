import { describe, expect, it } from 'vitest'
import { fitToBudget, nonGsmCharacters, segmentsFor, toGsm7 } from '../../bot/channels/sms-text.js'
import { renderSms } from '../../bot/channels/twilio-sms.js'

describe('SMS text', () => {
  it('Should keep æøå in GSM-7, one character each', () => {
    const text = 'Hei! Her får du svar på spørsmål om bolig, gjeld og NAV. Æ Ø Å æ ø å.'
    expect(segmentsFor(text)).toEqual({ encoding: 'GSM-7', segments: 1, characters: text.length })
    expect(segmentsFor('å'.repeat(160)).segments).toBe(1)
    expect(segmentsFor('å'.repeat(161)).segments).toBe(2)
  })

  it.each(['«', '»', '–', '—', '’', '“', '…', '•', '😀'])('Should catch %s as not GSM-7', (c) => {
    expect(nonGsmCharacters(`Ring NAV ${c} i dag`)).toEqual([c])
    expect(segmentsFor(`Ring NAV ${c} i dag`).encoding).toBe('UCS-2')
  })

  it('Should replace typographic punctuation and drop emoji on the way out', () => {
    expect(toGsm7('«Ring» NAV – i dag… det’s 👍 ok')).toBe('"Ring" NAV - i dag... det\'s ok')
    expect(nonGsmCharacters(toGsm7('«x» – ’ … • 😀'))).toEqual([])
  })

  it('Should split text over the budget into bodies that each fit, losing no word', () => {
    const text = Array.from({ length: 120 }, (_, i) => `ord${i}`).join(' ')
    const parts = fitToBudget(text, 2)
    expect(parts.length).toBeGreaterThan(1)
    for (const part of parts) expect(segmentsFor(part).segments).toBeLessThanOrEqual(2)
    expect(parts.join(' ').split(/\s+/)).toEqual(text.split(' '))
  })

  it('Should render suggested actions as numbered lines for a basic phone', () => {
    const bodies = renderSms(
      [
        {
          type: 'message',
          text: 'Velg:',
          suggestedActions: {
            to: [],
            actions: [
              { type: 'imBack', title: 'Ja', value: 'ja' },
              { type: 'imBack', title: 'Nei', value: 'nei' },
            ],
          },
        },
      ],
      2
    )
    expect(bodies).toEqual(['Velg:\n1 Ja\n2 Nei'])
  })
})
