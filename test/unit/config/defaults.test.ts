import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULTS, loadConfig, OPTION_DOCS, renderDefaultsDoc } from '../../../shared/config/index.js';
import { FAKE_RULES } from './fake-rules.js';

const TEMPLATE = fileURLToPath(new URL('../../../templates/ramparts.config.example.yaml', import.meta.url));

/** Dotted paths of every leaf option; empty maps and lists (rules, exclusions) are leaves. */
function leafPaths(value: unknown, prefix = ''): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value) || Object.keys(value).length === 0) return [prefix];
  return Object.entries(value).flatMap(([key, child]) => leafPaths(child, prefix === '' ? key : `${prefix}.${key}`));
}

describe('defaults documentation', () => {
  it('documents every option exactly once', () => {
    expect(OPTION_DOCS.map((doc) => doc.path).sort()).toEqual(leafPaths(DEFAULTS).sort());
  });

  it('renders a table row per option with its default', () => {
    const doc = renderDefaultsDoc();
    expect(doc).toContain('| `cloud.regionId` | `"cn-hangzhou"` | `RAMPARTS_REGION` |');
    expect(doc).toContain('| `scan.credentialReport.maxUsers` | `3500` |');
    expect(doc.split('\n').filter((line) => line.startsWith('| `'))).toHaveLength(OPTION_DOCS.length);
  });

  it('is frozen so no caller can change the defaults for everyone', () => {
    expect(Object.isFrozen(DEFAULTS.cloud.endpoints)).toBe(true);
  });
});

describe('templates/ramparts.config.example.yaml', () => {
  it('loads cleanly with the rules it names', async () => {
    const config = await loadConfig({ path: TEMPLATE, env: {}, cwd: process.cwd(), rules: FAKE_RULES });
    expect(config.rules['ram.access-key-stale']).toEqual({ enabled: true, severity: 'high', params: { maxAgeDays: 60 } });
    expect(config.rules['ram.user-console-inactive']).toEqual({ enabled: false, params: { inactiveDays: 120 } });
    expect(config.exclusions).toHaveLength(1);
  });

  it('shows every option', async () => {
    const raw: unknown = parse(await readFile(TEMPLATE, 'utf8'));
    const shown = new Set(leafPaths(raw));
    for (const doc of OPTION_DOCS) {
      const present = [...shown].some((path) => path === doc.path || path.startsWith(`${doc.path}.`));
      expect(present, doc.path).toBe(true);
    }
  });

  it('uses the defaults for every option it does not mark as an example', async () => {
    const config = await loadConfig({ path: TEMPLATE, env: {}, cwd: process.cwd(), rules: FAKE_RULES });
    // Sections marked "# example" are cleared: everything else must be the default.
    const review = { ...config.review, deadlineActions: {} };
    expect({ ...config, rules: {}, exclusions: [], people: [], owners: [], review }).toEqual(DEFAULTS);
  });
});
