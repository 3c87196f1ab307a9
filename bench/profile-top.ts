/**
 * The heaviest functions of a --cpu-prof file, by self time and by the time under them:
 *   npx tsx bench/profile-top.ts <file.cpuprofile> [rows]
 */
import { readFileSync } from 'node:fs'

type Node = {
  id: number
  callFrame: { functionName: string; url: string; lineNumber: number }
  hitCount: number
  children?: number[]
}
const [file, rowsArg] = process.argv.slice(2)
const profile = JSON.parse(readFileSync(file!, 'utf8')) as {
  nodes: Node[]
  startTime: number
  endTime: number
}
const rows = Number(rowsArg ?? 40)
const byId = new Map(profile.nodes.map((n) => [n.id, n]))
const total = profile.nodes.reduce((s, n) => s + n.hitCount, 0)
const name = (n: Node) =>
  `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.replace(/^.*\/(node_modules\/)?/, '')}:${n.callFrame.lineNumber + 1}`
const self = new Map<string, number>()
const inclusive = new Map<string, number>()
const walk = (id: number, stack: Set<string>): number => {
  const n = byId.get(id)!
  const key = name(n)
  self.set(key, (self.get(key) ?? 0) + n.hitCount)
  let sum = n.hitCount
  const inner = new Set(stack).add(key)
  for (const c of n.children ?? []) sum += walk(c, inner)
  if (!stack.has(key)) inclusive.set(key, (inclusive.get(key) ?? 0) + sum)
  return sum
}
walk(profile.nodes[0]!.id, new Set())
const idle = [...self].filter(([k]) => k.startsWith('(idle)')).reduce((s, [, v]) => s + v, 0)
const pct = (v: number) => ((100 * v) / (total - idle)).toFixed(1).padStart(5)
process.stdout.write(`samples ${total}, idle ${idle}\n-- self\n`)
for (const [k, v] of [...self]
  .filter(([k]) => !k.startsWith('(idle)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, rows))
  process.stdout.write(`${pct(v)}%  ${k}\n`)
process.stdout.write('-- total\n')
for (const [k, v] of [...inclusive]
  .filter(([k]) => !k.startsWith('(idle)') && !k.startsWith('(root)'))
  .sort((a, b) => b[1] - a[1])
  .slice(0, rows))
  process.stdout.write(`${pct(v)}%  ${k}\n`)
