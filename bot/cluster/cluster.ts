/**
 * @module bot/cluster/cluster
 * What one instance must agree on with the others when several run on one PostgreSQL database
 * (DATABASE_URL): a participant's turns one at a time everywhere, one instance running the
 * scheduler, each outbox send taken by one instance, and live views told of changes made
 * elsewhere. On the embedded store there is one instance, and every part of this is a no-op.
 */
import { AsyncLocalStorage } from 'node:async_hooks'

export type Cluster = {
  /** This instance's id; 'local' on the embedded store. */
  readonly instanceId: string
  /** Whether other instances may share the data (PostgreSQL). */
  readonly shared: boolean
  /**
   * Runs `task` holding the lock of `key` (a channel and address) on every instance, after taking
   * in what the others wrote; released once the task (and its flush) is done.
   */
  exclusive<T>(key: string, task: () => Promise<T>): Promise<T>
  /** Takes in what the other instances wrote up to now (the store, web chat's feeds). */
  refresh(): Promise<void>
  /** Whether this instance runs the scheduler (reminders, handoff alerts, retention) now. */
  isLeader(): boolean
  /**
   * Takes one try at sending one outbox message for this instance; false when another instance
   * already has that try (it sends, this one leaves the message alone).
   */
  claimSend(messageId: string, attempt: number): Promise<boolean>
  /** Of these messages marked "sending", the ones whose sender has stopped (sent again). */
  orphaned(messageIds: string[]): Promise<string[]>
  /** Tells the other instances of something (a topic and a short payload, under 7,000 bytes). */
  publish(topic: string, payload: string): Promise<void>
  /** Hears what the other instances publish on `topic` (never this instance's own). */
  subscribe(topic: string, listener: (payload: string) => void): () => void
  /** Whether the shared database answers now (a health check: within two seconds). */
  reachable(): Promise<boolean>
  close(): Promise<void>
}

/** The one instance on the embedded store: everything is already agreed. */
export const singleInstance: Cluster = {
  instanceId: 'local',
  shared: false,
  exclusive: (_key, task) => task(),
  refresh: async () => {},
  isLeader: () => true,
  claimSend: async () => true,
  orphaned: async (ids) => ids,
  publish: async () => {},
  subscribe: () => () => {},
  reachable: async () => true,
  close: async () => {},
}

/** The keys the current async call chain holds, so a nested call for one of them does not wait on itself. */
export const heldKeys = new AsyncLocalStorage<ReadonlySet<string>>()
