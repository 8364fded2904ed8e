import { describe, expect, it } from 'vitest';
import { IDENTITY_CLASSES } from '../../../shared/domain/identity-class.js';
import { classRows, renderJson, renderMarkdown, renderTable, type IdentityRow, type ScanReport } from '../../../shared/report/index.js';
import { REPORT } from './fixture.js';

const row = (type: 'user' | 'role', name: string, cls: string | null, basis = 'because'): IdentityRow => ({ type, name, class: cls, basis });

const IDENTITIES: IdentityRow[] = [
  row('user', 'ci-bot', 'workload-user', '1 active access key(s), no console logon'),
  row('user', 'alice', 'human-administrator', 'console logon, full admin'),
  row('user', 'legacy-integration', null, 'no console logon and no active access key'),
  ...Array.from({ length: 7 }, (_, i) => row('user', `dev-${i}`, 'human-developer', 'console logon')),
  row('role', 'AliyunServiceRoleForECS', 'service-role', 'service-linked role'),
];
const WITH: ScanReport = { ...REPORT, identities: IDENTITIES };

describe('identity classification in reports', () => {
  it('groups by class in declared order, unclassified last, at most five names each', () => {
    const rows = classRows(IDENTITIES, IDENTITY_CLASSES);
    expect(rows.map((r) => [r.class, r.count])).toEqual([
      ['human-administrator', 1],
      ['human-developer', 7],
      ['workload-user', 1],
      ['service-role', 1],
      ['unclassified', 1],
    ]);
    const devs = rows.find((r) => r.class === 'human-developer')!;
    expect(devs.names).toEqual(['user:dev-0', 'user:dev-1', 'user:dev-2', 'user:dev-3', 'user:dev-4']);
    expect(devs.more).toBe(2);
  });

  it('the terminal table shows a line per class with count and names', () => {
    const text = renderTable(WITH, { color: false, width: 200 });
    expect(text).toContain('Identities (11)');
    expect(text).toMatch(/human-developer\s+7 {2}user:dev-0, user:dev-1, user:dev-2, user:dev-3, user:dev-4, \+2 more/);
    expect(text).toMatch(/unclassified\s+1 {2}user:legacy-integration/);
    // The table sits after the findings, before the footer.
    expect(text.indexOf('Identities (11)')).toBeGreaterThan(text.indexOf('ram.access-key-stale'));
  });

  it('a report without classification shows no identity section', () => {
    expect(renderTable(REPORT, { color: false, width: 200 })).not.toContain('Identities (');
    expect(renderMarkdown(REPORT)).not.toContain('## Identities');
    expect(JSON.parse(renderJson(REPORT))).not.toHaveProperty('identities');
  });

  it('Markdown has a class table', () => {
    const md = renderMarkdown(WITH);
    expect(md).toContain('## Identities (11)');
    expect(md).toContain('| workload-user | 1 | user:ci-bot |');
    expect(md).toContain('| unclassified | 1 | user:legacy-integration |');
  });

  it('JSON lists every identity with class and basis, after suppressed', () => {
    const json = JSON.parse(renderJson(WITH)) as Record<string, unknown>;
    expect(Object.keys(json).indexOf('identities')).toBe(Object.keys(json).indexOf('suppressed') + 1);
    const identities = json.identities as IdentityRow[];
    expect(identities).toHaveLength(11);
    expect(identities[2]).toEqual({ type: 'user', name: 'legacy-integration', class: null, basis: 'no console logon and no active access key' });
  });

  it('a scan missing only context data warns without calling itself partial', () => {
    const report: ScanReport = { ...REPORT, partial: false, partialReasons: ['secrets: kms:ListSecrets denied'] };
    const text = renderTable(report, { color: false, width: 200 });
    expect(text).toContain('the rules that need it report unknown');
    expect(text).not.toContain('partial scan');
    expect(text).toContain('- secrets: kms:ListSecrets denied');
    expect(renderMarkdown(report)).toContain('> - secrets: kms:ListSecrets denied');
  });
});
