/**
 * @module bot/reminders/plan
 * When each reminder of an appointment goes out, decided once when it is saved:
 * - a rule's time inside quiet hours moves to the next morning, or, when morning would be after
 *   the appointment, to the last minute before the quiet hours began (never after the appointment);
 * - rules whose time has already passed (the appointment was entered late) are replaced by one
 *   catch-up reminder at once, or in the morning, unless a regular reminder comes soon after anyway.
 */
import type { PlannedReminder } from '../store/reminder-records.js'
import { isQuiet, lastAllowedBefore, nextAllowed, type QuietHours } from './quiet-hours.js'
import { idealDue, type Rule } from './rules.js'

/** A catch-up is dropped when a regular reminder follows within this time. */
export const CATCH_UP_GAP_MS = 2 * 3_600_000

export const CATCH_UP = 'catch-up'

export type PlanInput = { at: Date; rules: Rule[]; now: Date; quiet: QuietHours }

/** The reminders of an appointment at `input.at`, earliest first, skipped ones with the reason. */
export function planReminders(input: PlanInput): PlannedReminder[] {
  const { at, rules, now, quiet } = input
  const plan: PlannedReminder[] = []
  let missed = false
  for (const rule of rules) {
    const ideal = idealDue(rule, at, quiet.zone)
    if (ideal >= at || ideal < now) {
      missed ||= ideal < now && now < at
      plan.push(skipped(rule.spec, ideal, 'passed'))
      continue
    }
    const due = outsideQuietHours(ideal, input)
    if (!due) plan.push(skipped(rule.spec, ideal, 'quiet-hours'))
    else if (plan.some((p) => p.state === 'planned' && p.dueAt === due.toISOString()))
      plan.push(skipped(rule.spec, due, 'merged'))
    else plan.push({ rule: rule.spec, dueAt: due.toISOString(), state: 'planned' })
  }
  if (missed) plan.push(catchUp(input, plan))
  return plan.sort((a, b) => a.dueAt.localeCompare(b.dueAt))
}

/** `ideal`, or the nearest allowed time before the appointment and after now; none at all. */
function outsideQuietHours(ideal: Date, { at, now, quiet }: PlanInput): Date | undefined {
  if (!isQuiet(quiet, ideal)) return ideal
  const morning = nextAllowed(quiet, ideal)
  if (morning < at) return morning
  const evening = lastAllowedBefore(quiet, ideal)
  return evening > now ? evening : undefined
}

function catchUp(input: PlanInput, plan: PlannedReminder[]): PlannedReminder {
  const due = nextAllowed(input.quiet, input.now)
  if (due >= input.at) return skipped(CATCH_UP, due, 'quiet-hours')
  const soon = plan.some(
    (p) => p.state === 'planned' && Date.parse(p.dueAt) - due.getTime() <= CATCH_UP_GAP_MS
  )
  if (soon) return skipped(CATCH_UP, due, 'merged')
  return { rule: CATCH_UP, dueAt: due.toISOString(), state: 'planned' }
}

const skipped = (rule: string, at: Date, reason: PlannedReminder['reason']): PlannedReminder => ({
  rule,
  dueAt: at.toISOString(),
  state: 'skipped',
  reason,
})
