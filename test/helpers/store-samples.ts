/** One valid record for every collection of the store document, for store tests. */
import type { StoreData } from '../../bot/store/schema.js'
import type { CollectionName } from '../../bot/store/store.js'

export const at = '2026-11-23T10:00:00.000Z'

export function sampleRecords(id: string): {
  [N in CollectionName]: [string, StoreData[N][string]]
} {
  return {
    participants: [
      `p_${id}`,
      {
        id: `p_${id}`,
        channel: 'sms',
        address: `+47000${id}`,
        createdAt: at,
        lastSeenAt: at,
        optedOut: false,
        language: 'nb',
      },
    ],
    contacts: [`sms:+47000${id}`, `p_${id}`],
    conversations: [
      `p_${id}`,
      {
        participantId: `p_${id}`,
        reference: { conversation: { id: `c_${id}` }, channelId: 'sms' },
        updatedAt: at,
      },
    ],
    botState: [
      `sms/conversations/c_${id}/`,
      { eTag: 'x-1', value: { dialogState: { dialogStack: [] }, note: 'æøå \u0000 nul' } },
    ],
    outbox: [
      `m_${id}`,
      {
        id: `m_${id}`,
        channel: 'sms',
        to: `+47000${id}`,
        body: 'Hei',
        state: 'pending',
        createdAt: at,
        updatedAt: at,
        attempts: 0,
        dueAt: at,
        source: { kind: 'campaign', id: `c_${id}`, personId: `pe_${id}` },
      },
    ],
    mappings: [
      `p_${id}`,
      {
        participantId: `p_${id}`,
        at,
        answers: { housing: 'yes' },
        consent: { given: true, at, channel: 'sms', textVersion: 'abc' },
      },
    ],
    staff: [
      `s_${id}`,
      {
        id: `s_${id}`,
        username: `user${id}`,
        role: 'coordinator',
        passwordHash: 'scrypt$1$2$3$salt$hash',
        createdAt: at,
        failedLogins: 0,
        disabled: false,
        mustChangePassword: false,
      },
    ],
    sessions: [`hash_${id}`, { staffId: `s_${id}`, csrf: 'csrf', createdAt: at, expiresAt: at }],
    handoffs: [
      `h_${id}`,
      {
        id: `h_${id}`,
        participantId: `p_${id}`,
        channel: 'sms',
        state: 'requested',
        urgent: false,
        reason: 'human',
        createdAt: at,
        updatedAt: at,
        queuedAt: at,
        lastActivityAt: at,
        history: [{ at, actor: 'participant', event: 'request', to: 'requested' }],
        notes: [],
      },
    ],
    handledSms: [`SM${id}`, { at, bodies: ['Svar'], participantId: `p_${id}` }],
    people: [
      `pe_${id}`,
      {
        id: `pe_${id}`,
        name: 'Kari',
        phone: `+47000${id}`,
        language: 'nb',
        groups: ['a'],
        consent: 'given',
        createdAt: at,
        updatedAt: at,
      },
    ],
    appointments: [
      `a_${id}`,
      {
        id: `a_${id}`,
        personId: `pe_${id}`,
        what: 'NAV',
        at,
        status: 'scheduled',
        reminders: [{ rule: '-2h', dueAt: at, state: 'planned' }],
        createdAt: at,
        updatedAt: at,
      },
    ],
    campaigns: [
      `c_${id}`,
      {
        id: `c_${id}`,
        name: 'Info',
        texts: { nb: 'Hei', en: 'Hi' },
        audience: { groups: [] },
        sendAt: at,
        state: 'scheduled',
        createdAt: at,
      },
    ],
    replies: [
      `r_${id}`,
      { id: `r_${id}`, participantId: `p_${id}`, personId: `pe_${id}`, kind: 'coming', at },
    ],
  } as never
}
