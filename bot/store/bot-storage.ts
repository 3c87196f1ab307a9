/**
 * @module bot/store/bot-storage
 * botbuilder's Storage over the store document, with MemoryStorage's eTag rules. It never
 * writes the file itself: the turn runner flushes once per turn (two writes per turn is what
 * made the prototype 3x slower, see perf-baseline.md).
 */
import type { Storage, StoreItems } from 'botbuilder'
import type { Store } from './store.js'

/** A deep copy: dialog state is plain JSON, and a JSON round trip copies it faster than structuredClone. */
const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T

export class StoreBotStorage implements Storage {
  #eTag = 0

  constructor(private readonly store: Store) {}

  async read(keys: string[]): Promise<StoreItems> {
    const items: StoreItems = {}
    for (const key of keys) {
      const item = this.store.data.botState[key]
      if (item) items[key] = { ...copy(item.value), eTag: item.eTag }
    }
    return items
  }

  async write(changes: StoreItems): Promise<void> {
    for (const [key, change] of Object.entries(changes)) {
      const { eTag, ...value } = change as Record<string, unknown> & { eTag?: string }
      const old = this.store.data.botState[key]
      if (old && eTag && eTag !== '*' && eTag !== old.eTag) {
        throw new Error(`Storage: eTag conflict for ${key}`)
      }
      this.store.put('botState', key, {
        eTag: `${Date.now().toString(36)}-${++this.#eTag}`,
        value: copy(value),
      })
    }
  }

  async delete(keys: string[]): Promise<void> {
    for (const key of keys) this.store.remove('botState', key)
  }
}
