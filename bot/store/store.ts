/**
 * @module bot/store/store
 * One lowdb document in DATA_DIR. Mutations are synchronous and in memory; `flush()` makes them
 * durable, and many mutations share one write (group commit), so a burst of turns costs one
 * file write, not one each. Callers answer the outside world only after their flush resolves.
 */
import { mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { Low, Memory } from 'lowdb'
import type { Adapter } from 'lowdb'
import { DurableJsonFile, StoreCorruptError } from './durable-file.js'
import { StoreData, emptyStore } from './schema.js'

export class Store {
  readonly #low: Low<StoreData>
  #writing: Promise<void> | null = null
  #queued: Promise<void> | null = null

  constructor(adapter: Adapter<StoreData>, data: StoreData) {
    this.#low = new Low(adapter, data)
  }

  get data(): StoreData {
    return this.#low.data
  }

  /** Changes the document in memory; pair with `flush()` before acknowledging anything. */
  mutate<T>(change: (data: StoreData) => T): T {
    return change(this.#low.data)
  }

  /** Changes the document and waits until the change is on disk. */
  async update<T>(change: (data: StoreData) => T): Promise<T> {
    const result = this.mutate(change)
    await this.flush()
    return result
  }

  /** Resolves once everything mutated before this call is durable. */
  flush(): Promise<void> {
    if (this.#queued) return this.#queued
    const next = (this.#writing ?? Promise.resolve())
      .catch(() => {})
      .then(async () => {
        // From here on, new mutations need the next write: this one has serialised its data.
        this.#queued = null
        const write = this.#low.write()
        this.#writing = write
        try {
          await write
        } finally {
          if (this.#writing === write) this.#writing = null
        }
      })
    this.#queued = next
    return next
  }
}

/** Opens (or creates) the store in `dir`; throws StoreCorruptError for a damaged file. */
export async function openStore(dir: string): Promise<Store> {
  await mkdir(dir, { recursive: true })
  const file = join(dir, 'store.json')
  const adapter = new DurableJsonFile<StoreData>(file)
  const raw = await adapter.read()
  if (raw === null) {
    const store = new Store(adapter, emptyStore())
    await store.flush()
    return store
  }
  const parsed = StoreData.safeParse(raw)
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!
    throw new StoreCorruptError(file, `${issue.path.join('.') || 'document'}: ${issue.message}`)
  }
  return new Store(adapter, parsed.data)
}

/** A store that never touches disk: the benchmark's ceiling and quick unit tests. */
export function memoryStore(data: StoreData = emptyStore()): Store {
  return new Store(new Memory<StoreData>(), data)
}
