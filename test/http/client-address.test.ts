/**
 * The key per-address limits count by (finding 5 of the outside review of issue 16): one IPv6
 * /64 is one place, so a host cannot multiply its tries by using many of its own addresses.
 */
import { describe, expect, it } from 'vitest'
import { limitKey } from '../../bot/client-address.js'

describe('limitKey', () => {
  it('Should count IPv4 by the full address, and IPv4-mapped IPv6 as that IPv4 address', () => {
    expect(limitKey('10.77.0.1')).toBe('10.77.0.1')
    expect(limitKey(' 192.0.2.7 ')).toBe('192.0.2.7')
    expect(limitKey('::ffff:192.0.2.7')).toBe('192.0.2.7')
    expect(limitKey('::FFFF:c000:0207')).toBe('192.0.2.7')
    expect(limitKey('0:0:0:0:0:ffff:10.77.0.1')).toBe('10.77.0.1')
  })

  it('Should count IPv6 by its /64, however it is written, and tell different /64s apart', () => {
    const key = limitKey('2001:db8:1:2::a')
    expect(key).toBe('2001:db8:1:2::/64')
    for (const same of [
      '2001:db8:1:2::b',
      '2001:0DB8:0001:0002:ffff:ffff:ffff:ffff',
      '2001:db8:1:2:1:2:3:4',
      '2001:db8:1:2::1%eth0',
    ])
      expect(limitKey(same)).toBe(key)
    expect(limitKey('2001:db8:1:3::a')).not.toBe(key)
    expect(limitKey('2001:db8::1')).toBe('2001:db8:0:0::/64')
    expect(limitKey('::1')).toBe('0:0:0:0::/64')
  })

  it('Should leave anything that is not an address as it is', () => {
    expect(limitKey('unknown')).toBe('unknown')
    expect(limitKey('not-an-ip')).toBe('not-an-ip')
  })
})
