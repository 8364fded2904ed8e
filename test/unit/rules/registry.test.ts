import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SEVERITIES, SUBJECT_TYPES } from '../../../shared/domain/finding.js';
import { REMEDIATION_ACTIONS } from '../../../shared/domain/remediation.js';
import { SNAPSHOT_PARTS } from '../../../shared/domain/snapshot.js';
import { ALL_RULES, getRule } from '../../../shared/rules/registry.js';
import type { Rule } from '../../../shared/rules/types.js';
import { ADMIN_DOC, consoleLogin, daysAgo, daysAhead, doc, key, policy, role, run, secret, snapshot, trail, trust, user } from './builders.js';

const rulesDir = fileURLToPath(new URL('../../../shared/rules/', import.meta.url));
/** Folders under shared/rules that hold shared code, not rules. */
const NOT_SERVICES = new Set(['lib']);

function ruleFiles(): string[] {
  return readdirSync(rulesDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !NOT_SERVICES.has(d.name))
    .flatMap((d) => readdirSync(`${rulesDir}${d.name}`).filter((f) => f.endsWith('.ts')).map((f) => `${d.name}.${f.slice(0, -3)}`));
}

describe('rule registry', () => {
  it('has unique ids, sorted', () => {
    const ids = ALL_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual([...ids].sort());
  });

  it('registers exactly the rule files, each id equal to its path shared/rules/<service>/<name>.ts', () => {
    for (const rule of ALL_RULES) {
      const [service, name, ...rest] = rule.id.split('.');
      expect(rest, rule.id).toEqual([]);
      expect(existsSync(`${rulesDir}${service}/${name}.ts`), `${rule.id} → shared/rules/${service}/${name}.ts`).toBe(true);
    }
    expect(ALL_RULES.map((r) => r.id).sort()).toEqual(ruleFiles().sort());
  });

  it('registers the default export of each file', async () => {
    for (const rule of ALL_RULES) {
      const [service, name] = rule.id.split('.');
      const mod = (await import(/* @vite-ignore */ `${rulesDir}${service}/${name}.ts`)) as { default: Rule };
      expect(mod.default, rule.id).toBe(rule);
    }
  });

  it('looks rules up by id', () => {
    expect(getRule('ram.access-key-stale')?.id).toBe('ram.access-key-stale');
    expect(getRule('ram.nope')).toBeUndefined();
  });

  describe.each(ALL_RULES.map((r) => [r.id, r] as const))('%s metadata', (_id, rule) => {
    it('is complete and well-formed', () => {
      expect(rule.id).toMatch(/^[a-z0-9]+\.[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(rule.title.length).toBeGreaterThan(0);
      expect(rule.title.length).toBeLessThanOrEqual(150);
      expect(rule.title).not.toMatch(/^Ensure/i);
      expect(SEVERITIES).toContain(rule.severity);
      expect(SUBJECT_TYPES).toContain(rule.subjectType);
      expect(rule.rationale.length).toBeGreaterThan(20);
      expect(rule.remediation.length).toBeGreaterThan(20);
      for (const cis of rule.references.cis) expect(cis).toMatch(/^\d+\.\d+$/);
      expect(rule.references.docs.length).toBeGreaterThan(0);
      for (const url of rule.references.docs) expect(url).toMatch(/^https:\/\/\S+$/);
      expect(rule.requires.length).toBeGreaterThan(0);
      for (const part of rule.requires) expect(SNAPSHOT_PARTS).toContain(part);
      if (rule.plan !== undefined) expect(REMEDIATION_ACTIONS).toContain(rule.plan);
    });

    it('parses {} to its defaults', () => {
      expect(() => rule.params.parse({})).not.toThrow();
      expect(typeof rule.params.parse({})).toBe('object');
    });
  });
});

describe('every rule on a busy snapshot', () => {
  const busy = snapshot({
    root: { lastLoginDate: daysAgo(1), lastLoginKnown: true, mfaActive: false, accessKeys: [{ slot: 'access_key_1', active: true, lastRotated: null, lastUsed: null, lastUsedKnown: true }] },
    users: [
      user('alice', { console: consoleLogin(), lastLoginDate: daysAgo(200), accessKeys: [key('K1', { createDate: daysAgo(400), lastUsedDate: daysAgo(300) }), key('K2')] }),
      user('iam-bot'),
    ],
    policies: [
      policy('Everything', ADMIN_DOC, [['user', 'alice'], ['role', 'open']]),
      policy('RamAll', doc({ Effect: 'Allow', Action: 'ram:*', Resource: '*' }), [['user', 'iam-bot']]),
    ],
    roles: [role('open', trust('*'))],
    // A write-only trail alice (full admin) can stop; one secret not rotating, one about to be deleted.
    trails: [trail('audit', { eventRW: 'Write' })],
    secrets: [secret('db-pass', { automaticRotation: 'Disabled' }), secret('old-token', { plannedDeleteTime: daysAhead(3) })],
  });

  it('is deterministic and only proposes plans of the declared kind', () => {
    for (const rule of ALL_RULES) {
      const first = run(rule, busy);
      expect(run(rule, busy), rule.id).toEqual(first);
      for (const result of first) {
        if (result.plan) expect(result.plan.steps.map((s) => s.action), rule.id).toEqual([rule.plan]);
      }
    }
  });

  it('gives every rule something to report, so the check above is not vacuous', () => {
    for (const rule of ALL_RULES) expect(run(rule, busy).length, rule.id).toBeGreaterThan(0);
  });
});
