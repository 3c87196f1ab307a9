/**
 * @module bot/console/live
 * One server-sent-event stream: renders a view at once and again after every change the desk
 * reports, until the browser goes away or the viewer may no longer see it (logged out, turned
 * off, expired, the chat no longer theirs): then it says "end" and closes. An open stream is what
 * "at the console" means.
 */
import type { SSEStreamingApi } from 'hono/streaming'
import type { StaffAccount } from '../store/schema.js'
import type { ConsoleDeps } from './context.js'

export async function liveStream(
  stream: SSEStreamingApi,
  deps: ConsoleDeps,
  staff: StaffAccount,
  render: () => string | Promise<string>,
  /** Asked at every change: false ends the stream. */
  allowed: () => boolean,
  relevant: (handoffId?: string) => boolean = () => true
): Promise<void> {
  const leave = deps.desk.presence.connect(staff.id, deps.clock())
  let chain = Promise.resolve()
  let finish = () => {}
  const finished = new Promise<void>((resolve) => (finish = resolve))
  // Writes go one after another, so a slow render never interleaves two updates.
  const push = () => {
    chain = chain
      .then(async () => {
        if (!stream.aborted) await stream.writeSSE({ event: 'update', data: await render() })
      })
      .catch((error) => deps.logger.debug('console.live_write_failed', { error }))
  }
  // Every change is checked, not only relevant ones: a logout or a turned-off account is a
  // change to no handoff in particular.
  const end = () => {
    chain = chain
      .then(() => stream.writeSSE({ event: 'end', data: '' }))
      .catch(() => {})
      .then(finish)
  }
  const stop = deps.desk.subscribe(({ handoffId }) => {
    if (!allowed()) end()
    else if (relevant(handoffId)) push()
  })
  if (allowed()) push()
  else end()
  stream.onAbort(finish)
  await finished
  stop()
  leave()
  await chain
}
