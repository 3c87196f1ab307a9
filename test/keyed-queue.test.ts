import { describe, expect, it } from 'vitest'
import { KeyedQueue } from '../bot/keyed-queue.js'

describe('KeyedQueue', () => {
  it('Should run tasks for one key in order and different keys side by side', async () => {
    const queue = new KeyedQueue()
    const log: string[] = []
    const task = (name: string, ms: number) => () =>
      new Promise<string>((resolve) => setTimeout(() => (log.push(name), resolve(name)), ms))
    const results = await Promise.all([
      queue.run('a', task('a1', 30)),
      queue.run('a', task('a2', 1)),
      queue.run('b', task('b1', 5)),
    ])
    expect(results).toEqual(['a1', 'a2', 'b1'])
    expect(log).toEqual(['b1', 'a1', 'a2'])
    expect(queue.busy).toBe(0)
  })

  it('Should go on with the next task after one fails', async () => {
    const queue = new KeyedQueue()
    const failed = queue.run('a', async () => {
      throw new Error('boom')
    })
    await expect(failed).rejects.toThrow('boom')
    await expect(queue.run('a', async () => 'next')).resolves.toBe('next')
  })
})
