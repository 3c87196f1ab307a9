/**
 * @module bot/store/mappings
 * Needs mappings the participant agreed to share; one per participant, the newest wins.
 */
import type { MappingRecord } from './schema.js'
import type { Store } from './store.js'

export function saveMapping(store: Store, record: MappingRecord): void {
  store.put('mappings', record.participantId, record)
}
