/**
 * @module bot/client-address
 * The address a request's limits count against: the socket's, or behind our own proxy the last
 * address in X-Forwarded-For (the one the proxy saw; anything before it the client could write).
 * An IPv6 address counts as its /64, since one host or home is routinely given a whole /64 and
 * can speak from any address in it; IPv4 counts as the full address, and IPv4-mapped IPv6
 * (::ffff:192.0.2.1) as the IPv4 address it carries.
 */
import { isIPv4, isIPv6 } from 'node:net'
import { getConnInfo } from '@hono/node-server/conninfo'
import type { Context } from 'hono'

export function clientAddress(c: Context, trustProxy: boolean): string {
  if (trustProxy) {
    const forwarded = c.req.header('x-forwarded-for')?.split(',').at(-1)?.trim()
    if (forwarded) return limitKey(forwarded)
  }
  try {
    return limitKey(getConnInfo(c).remote.address ?? 'unknown')
  } catch {
    return 'unknown' // app.request() in tests has no socket
  }
}

/** The eight 16-bit groups of an IPv6 address (without a zone), or undefined. */
function ipv6Groups(address: string): number[] | undefined {
  if (!isIPv6(address)) return undefined
  const halves = address.split('::')
  const groupsOf = (part: string) => {
    if (part === '') return []
    const out: number[] = []
    for (const piece of part.split(':')) {
      if (isIPv4(piece)) {
        const [a, b, c, d] = piece.split('.').map(Number) as [number, number, number, number]
        out.push((a << 8) | b, (c << 8) | d)
      } else out.push(parseInt(piece, 16))
    }
    return out
  }
  const head = groupsOf(halves[0]!)
  const tail = halves.length > 1 ? groupsOf(halves[1]!) : []
  const zeros = halves.length > 1 ? 8 - head.length - tail.length : 0
  return [...head, ...new Array<number>(zeros).fill(0), ...tail]
}

/**
 * The key limits count by: IPv4 as is, IPv4-mapped IPv6 as its IPv4 address, other IPv6 as its
 * /64 prefix ("2001:db8:1:2::/64"); anything else (no socket, a proxy's odd value) unchanged.
 */
export function limitKey(raw: string): string {
  const address = raw.trim()
  if (isIPv4(address)) return address
  const groups = ipv6Groups(address.split('%')[0]!)
  if (!groups) return address
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    const [hi, lo] = [groups[6]!, groups[7]!]
    return [hi >> 8, hi & 255, lo >> 8, lo & 255].join('.')
  }
  return `${groups
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`
}
