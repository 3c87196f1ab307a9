import { describe, expect, it } from 'vitest'
import { coalesced } from '../../bot/cluster/coalesce.js'

describe('coalesced catch-ups', () => {
  it('Should give each caller a run started after its call, shared with everyone who asked meanwhile', async () => {
    let runs = 0
    const started: number[] = []
    const run = coalesced(async () => {
      started.push(++runs)
      await new Promise((r) => setTimeout(r, 20))
    })
    const first = run()
    // Asked while run 1 is going: all of them share run 2, never run 1.
    const during = [run(), run(), run()]
    await first
    await Promise.all(during)
    expect(runs).toBe(2)
    // However many keep asking, nobody waits for more than two runs.
    let waited = 0
    for (let i = 0; i < 5; i++) {
      const before = runs
      const call = run()
      void run()
      await call
      waited = Math.max(waited, runs - before)
    }
    expect(waited).toBeLessThanOrEqual(2)
    expect(started).toEqual(Array.from({ length: runs }, (_, i) => i + 1))
  })
})
