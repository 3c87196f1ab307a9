/**
 * @module bot/store/alerts
 * Signals for staff: a crisis, a request for a person, repeated misunderstanding. The console
 * (escalation issue) turns these into handoffs; until then they are at least never lost.
 */
import type { Alert } from './schema.js'
import type { Store } from './store.js'

export function raiseAlert(store: Store, alert: Omit<Alert, 'open'>): Alert {
  return store.put('alerts', alert.id, { ...alert, open: true })
}

export function openAlerts(store: Store): Alert[] {
  return Object.values(store.data.alerts)
    .filter((a) => a.open)
    .sort(
      (a, b) =>
        (a.reason === 'crisis' ? -1 : 0) - (b.reason === 'crisis' ? -1 : 0) ||
        a.createdAt.localeCompare(b.createdAt)
    )
}
