/**
 * @module bot/cluster/coalesce
 * Many callers, few runs: each caller waits for a run that started after its call (so it sees
 * everything committed before it asked), and all who ask during one run share the next one.
 * No caller waits longer than the rest of one run plus one more, however many keep asking.
 */
export function coalesced(work: () => Promise<void>): () => Promise<void> {
  let running: Promise<void> | null = null
  let next: Promise<void> | null = null
  const call = (): Promise<void> => {
    if (!running) {
      running = work().finally(() => (running = null))
      return running
    }
    next ??= running
      .catch(() => {})
      .then(() => {
        next = null
        return call()
      })
    return next
  }
  return call
}
