/**
 * @module bot/console/live
 * One server-sent-event stream: renders a view at once and again after every change the desk
 * reports, until the browser goes away. An open stream is what "at the console" means.
 */
import type { SSEStreamingApi } from 'hono/streaming'
import type { StaffAccount } from '../store/schema.js'
import type { ConsoleDeps } from './context.js'

export async function liveStream(
  stream: SSEStreamingApi,
  deps: ConsoleDeps,
  staff: StaffAccount,
  render: () => string | Promise<string>,
  relevant: (handoffId?: string) => boolean = () => true
): Promise<void> {
  const leave = deps.desk.presence.connect(staff.id, deps.clock())
  let chain = Promise.resolve()
  // Writes go one after another, so a slow render never interleaves two updates.
  const push = () => {
    chain = chain
      .then(async () => {
        if (!stream.aborted) await stream.writeSSE({ event: 'update', data: await render() })
      })
      .catch((error) => deps.logger.debug('console.live_write_failed', { error }))
  }
  push()
  const stop = deps.desk.subscribe(({ handoffId }) => {
    if (relevant(handoffId)) push()
  })
  await new Promise<void>((resolve) => stream.onAbort(resolve))
  stop()
  leave()
}
