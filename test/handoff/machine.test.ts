import { describe, expect, it } from 'vitest'
import {
  applyEvent,
  handoffTransitions,
  isOpen,
  type HandoffEvent,
} from '../../bot/handoff/machine.js'
import { HandoffState, type Handoff } from '../../bot/store/schema.js'

const at = new Date('2026-11-23T12:00:00+01:00')

function handoffIn(state: HandoffState): Handoff {
  return {
    id: 'h_1',
    participantId: 'p_1',
    channel: 'sms',
    state,
    urgent: false,
    reason: 'human',
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    queuedAt: at.toISOString(),
    lastActivityAt: at.toISOString(),
    history: [],
    notes: [],
  }
}

const events = Object.keys(handoffTransitions) as HandoffEvent[]
const states = HandoffState.options

/** The whole table, written out: what the issue asks for, and nothing more. */
const expected: Record<HandoffEvent, Partial<Record<HandoffState, HandoffState>>> = {
  claim: { requested: 'claimed', transferred: 'claimed' },
  transfer: { claimed: 'transferred', transferred: 'transferred' },
  release: { claimed: 'requested' },
  close: { claimed: 'closed', transferred: 'closed' },
  cancel: { requested: 'cancelled' },
  expire: { requested: 'expired', claimed: 'expired', transferred: 'expired' },
  urgent: { requested: 'requested', claimed: 'claimed', transferred: 'transferred' },
}

describe('handoff state machine', () => {
  it('Should have exactly the documented transition table', () => {
    expect(handoffTransitions).toEqual(expected)
  })

  const pairs = events.flatMap((event) => states.map((state) => [event, state] as const))
  it.each(pairs)(
    'Should %s from %s only where the table allows, recording time and actor',
    (event, state) => {
      const handoff = handoffIn(state)
      const moved = applyEvent(handoff, event, 's_kari', at, 'why')
      const to = expected[event][state]
      if (to) {
        expect(moved).toEqual({ ok: true, from: state, to })
        expect(handoff.state).toBe(to)
        expect(handoff.history).toEqual([
          { at: at.toISOString(), actor: 's_kari', event, from: state, to, detail: 'why' },
        ])
      } else {
        expect(moved).toEqual({ ok: false })
        expect(handoff.state).toBe(state)
        expect(handoff.history).toEqual([])
      }
    }
  )

  it('Should never leave an ended handoff', () => {
    for (const state of states.filter((s) => !isOpen(s))) {
      for (const event of events)
        expect(applyEvent(handoffIn(state), event, 'x', at).ok).toBe(false)
    }
  })

  it('Should walk the whole path: requested, claimed, transferred, claimed, closed', () => {
    const h = handoffIn('requested')
    for (const event of ['claim', 'transfer', 'claim', 'close'] as const) {
      expect(applyEvent(h, event, 'x', at).ok).toBe(true)
    }
    expect(h.history.map((e) => `${e.from}>${e.to}`)).toEqual([
      'requested>claimed',
      'claimed>transferred',
      'transferred>claimed',
      'claimed>closed',
    ])
  })
})
