import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const root = join(import.meta.dirname, '..', 'locales')

function keys(value: unknown, prefix = ''): string[] {
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
  }
  return [prefix]
}

describe('locales', () => {
  const namespaces = readdirSync(join(root, 'nb'))

  it('Should have the same namespaces in nb and en', () => {
    expect(readdirSync(join(root, 'en')).sort()).toEqual([...namespaces].sort())
  })

  it.each(namespaces)('Should have the same keys in nb and en for %s', (ns) => {
    const nb = JSON.parse(readFileSync(join(root, 'nb', ns), 'utf8'))
    const en = JSON.parse(readFileSync(join(root, 'en', ns), 'utf8'))
    expect(keys(en).sort()).toEqual(keys(nb).sort())
    for (const k of keys(nb))
      expect(
        k.split('.').reduce((o: any, p) => o[p], nb),
        k
      ).not.toBe('')
  })
})
