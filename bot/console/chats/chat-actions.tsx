/**
 * @module bot/console/chats/chat-actions
 * The console's form posts on a conversation. Each form is checked with zod; a success redirects
 * (so a reload never repeats it), a refusal shows the page again with the reason, in words, and
 * an HTTP status that says what went wrong (409 taken, 403 not yours, 400 bad form).
 */
import { Hono, type Context } from 'hono'
import { z } from 'zod'
import { renderSms } from '../../channels/twilio-sms.js'
import { nonGsmCharacters, segmentsFor } from '../../channels/sms-text.js'
import { staffOutcomes, type ActionResult } from '../../handoff/staff-actions.js'
import { renderChat } from './chat.js'
import { statusFor, viewOf, type ConsoleDeps, type ConsoleEnv } from '../context.js'
import type { Notice } from '../layout.js'
import { QueuePage, type DoneKey } from './queue.js'
import { nameOf } from '../view.js'

const forms = {
  claim: z.object({}),
  release: z.object({}),
  reply: z.object({
    text: z.string().trim().min(1, 'text').max(1000, 'text'),
    /** "Send now anyway", offered during quiet hours. */
    now: z.literal('yes').optional(),
  }),
  note: z.object({ text: z.string().trim().min(1, 'text').max(2000, 'text') }),
  transfer: z.object({
    to: z
      .string()
      .max(64)
      .optional()
      .transform((v) => v || undefined),
  }),
  close: z.object({ outcome: z.enum(staffOutcomes, 'outcome') }),
}

const SegmentsRequest = z.object({ text: z.string().max(2000) })

type Env = Context<ConsoleEnv>

export function chatActionRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  const { desk } = deps

  const parse = async <S extends z.ZodType>(c: Env, schema: S) =>
    schema.safeParse(Object.fromEntries(Object.entries(await c.req.parseBody())))

  // A plain sentence, never zod's own words: the page shows which fields hold what was sent.
  const badForm = (c: Env, id: string) => {
    const v = viewOf(c, deps)
    const notice: Notice = { kind: 'error', text: v.t('refused.bad-form') }
    return renderChat(c, deps, id, { notice, status: 400 })
  }

  /** Where to go after an action: the chat, or the queue once it is no longer yours. */
  const answer = (c: Env, id: string, result: ActionResult, done: DoneKey, draft?: string) => {
    const toQueue = done === 'transferred' || done === 'released' || done === 'closed'
    if (result.ok) {
      return c.redirect(
        toQueue ? `/console?done=${done}` : `/console/chats/${id}?done=${done}`,
        303
      )
    }
    const v = viewOf(c, deps)
    const text = v.t(`refused.${result.reason}`, { holder: nameOf(v, result.holder) })
    const notice: Notice = { kind: 'error', text }
    if (done === 'claimed') {
      return c.html(<QueuePage v={v} deps={deps} notice={notice} />, statusFor(result.reason))
    }
    return renderChat(c, deps, id, { notice, draft, status: statusFor(result.reason) })
  }

  app.post('/:id/claim', async (c) =>
    answer(c, c.req.param('id'), await desk.claim(c.get('staff'), c.req.param('id')), 'claimed')
  )
  app.post('/:id/reply', async (c) => {
    const id = c.req.param('id')
    const form = await parse(c, forms.reply)
    if (!form.success) return badForm(c, id)
    const result = await desk.reply(c.get('staff'), id, form.data.text, {
      sendNow: form.data.now === 'yes',
    })
    const held = result.ok && result.heldUntil
    return answer(c, id, result, held ? 'held' : 'replied', form.data.text)
  })
  app.post('/:id/note', async (c) => {
    const id = c.req.param('id')
    const form = await parse(c, forms.note)
    if (!form.success) return badForm(c, id)
    return answer(c, id, await desk.note(c.get('staff'), id, form.data.text), 'noted')
  })
  app.post('/:id/transfer', async (c) => {
    const id = c.req.param('id')
    const form = await parse(c, forms.transfer)
    if (!form.success) return badForm(c, id)
    return answer(c, id, await desk.transfer(c.get('staff'), id, form.data.to), 'transferred')
  })
  app.post('/:id/release', async (c) =>
    answer(c, c.req.param('id'), await desk.release(c.get('staff'), c.req.param('id')), 'released')
  )
  app.post('/:id/close', async (c) => {
    const id = c.req.param('id')
    const form = await parse(c, forms.close)
    if (!form.success) return badForm(c, id)
    return answer(c, id, await desk.close(c.get('staff'), id, form.data.outcome), 'closed')
  })
  return app
}

/** POST /console/segments: what a reply will cost as SMS, worked out exactly as it will be sent. */
export function segmentRoutes(deps: ConsoleDeps) {
  const app = new Hono<ConsoleEnv>()
  app.post('/', async (c) => {
    const parsed = SegmentsRequest.safeParse(await c.req.json().catch(() => null))
    if (!parsed.success) return c.json({ error: 'text is required' }, 400)
    const { text } = parsed.data
    const v = viewOf(c, deps)
    const bodies = renderSms([{ type: 'message', text }], deps.desk.settings.smsMaxSegments)
    const counts = bodies.map(segmentsFor)
    const replaced = nonGsmCharacters(text)
    const line = [
      v.t('chat.segments', {
        characters: [...text].length,
        encoding: counts[0]?.encoding ?? 'GSM-7',
        segments: counts.reduce((sum, s) => sum + s.segments, 0),
        messages: bodies.length,
      }),
      replaced.length > 0 ? v.t('chat.replaced', { chars: replaced.join(' ') }) : '',
    ]
    return c.json({ line: line.filter(Boolean).join(' ') })
  })
  return app
}
