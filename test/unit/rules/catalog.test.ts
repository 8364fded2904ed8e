import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { catalogRegion, renderCatalog, replaceCatalogRegion } from '../../../shared/rules/catalog.js';
import { ALL_RULES } from '../../../shared/rules/registry.js';

const readme = readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');

describe('rule catalog', () => {
  it('lists every rule with severity, CIS refs, documentation links, default params and plan kind', () => {
    const md = renderCatalog(ALL_RULES);
    for (const rule of ALL_RULES) expect(md).toContain(`| \`${rule.id}\` | ${rule.severity} |`);
    expect(md).toContain(
      '| `ram.access-key-stale` | high | Access key not rotated | 1.6 | [1](https://www.alibabacloud.com/help/doc-detail/116401.htm) [2](https://www.alibabacloud.com/help/doc-detail/152682.htm) | `maxAgeDays: 90` | — |',
    );
    expect(md).toContain('| require-mfa |');
  });

  it('replaces only the marked region', () => {
    const doc = 'intro\n<!-- rules:start -->\nold\n<!-- rules:end -->\noutro\n';
    const next = replaceCatalogRegion(doc, 'new\n');
    expect(next).toBe('intro\n<!-- rules:start -->\nnew\n<!-- rules:end -->\noutro\n');
    expect(catalogRegion(next)).toBe('new\n');
    expect(() => replaceCatalogRegion('no markers', 'x')).toThrow(/rules:start/);
  });

  it('matches the README region', () => {
    expect(catalogRegion(readme), 'README.md rule catalog is out of date: run `npm run docs:rules`').toBe(renderCatalog(ALL_RULES));
  });
});
