/**
 * @module bot/keyed-queue
 * Runs tasks one after another per key and in parallel across keys: two texts from one number
 * are answered in order, never racing on the same dialog state. With several instances, `around`
 * also holds the key's lock on all of them (cluster.exclusive) while a task runs.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>()

  constructor(
    private readonly around?: <T>(key: string, task: () => Promise<T>) => Promise<T>
  ) {}

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve()
    const around = this.around
    const step = around ? () => around(key, task) : task
    const result = previous.then(step, step)
    const tail = result.catch(() => {})
    this.#tails.set(key, tail)
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key)
    })
    return result
  }

  /** How many keys have work queued or running. */
  get busy(): number {
    return this.#tails.size
  }
}
