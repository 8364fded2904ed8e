/**
 * The demo account's exact finding set: a full scan (real SDK clients, emulator on 127.0.0.1, clock
 * pinned) checked against a literal list, and that list checked against what `demo.yaml` documents
 * in its comments, so the scenario, its comments and the rules cannot drift apart.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, SCENARIOS_DIR, type Emulator, type EmulatorStats, type Scenario } from '../../emulator/index.js';
import { createApp } from '../../shared/app.js';
import { staticCredential } from '../../shared/cloud/clients.js';
import { parseConfig } from '../../shared/config/index.js';
import type { Finding } from '../../shared/domain/finding.js';
import { createLogger } from '../../shared/logger.js';
import type { ScanReport } from '../../shared/report/index.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { emulatorWith, NOW, SCANNER } from './harness.js';

/** `rule | type | name`, plus the owning user of an access key. */
const label = (f: Finding) => `${f.rule} | ${f.subject.type} | ${f.subject.name}${f.subject.user === undefined ? '' : ` (${f.subject.user})`}`;

/**
 * Every `fail` finding of the demo scan, sorted. Reviewed against the comments of demo.yaml (the
 * second describe block re-checks that mechanically). Beyond what the comments name: the groups
 * helpdesk, policy-editors and legacy-ops and the role break-glass-admin hold the admin or RAM-write
 * rights their comments or members describe, so full-admin / privilege-management report them too.
 * ram.permission-unused lands on each holder of a wildcard grant (`*`, `ram:*`, `ecs:*`, System
 * ReadOnlyAccess): no activity covers a wildcard, so it always narrows; the CLEAN identities hold
 * concrete actions and call every one of them (the scenario's `events:`). Every administrator (and
 * data-engineer-gao, whose oss:* reaches the trail's bucket) can stop the trail or delete its logs, so
 * actiontrail.trail-tamper and the evidence side of ram.sod-conflict name them.
 */
const DEMO_FAILS = [
  'actiontrail.trail-coverage | account | demo-corp',
  'actiontrail.trail-tamper | role | break-glass-admin',
  'actiontrail.trail-tamper | user | data-engineer-gao',
  'actiontrail.trail-tamper | user | legacy-ops-tang',
  'actiontrail.trail-tamper | user | platform-lead',
  'actiontrail.trail-tamper | user | sre-admin',
  'kms.secret-expiring | secret | reporting/db-readonly',
  'kms.secret-rotation-overdue | secret | partner/api-token',
  'kms.secret-rotation-overdue | secret | rds/orders-prod',
  'ram.access-key-multiple-active | user | key-rotator',
  'ram.access-key-stale | accessKey | LTAI5tDemoBuildAgent0001 (build-agent)',
  'ram.access-key-stale | accessKey | LTAI5tDemoJenkinsOld0001 (jenkins-legacy)',
  'ram.access-key-stale | accessKey | LTAI5tDemoLegacyBkp00001 (legacy-backup)',
  'ram.access-key-unused | accessKey | LTAI5tDemoJenkinsOld0001 (jenkins-legacy)',
  'ram.access-key-unused | accessKey | LTAI5tDemoLegacyBkp00001 (legacy-backup)',
  'ram.access-key-unused | accessKey | LTAI5tDemoReportBot00001 (report-bot)',
  'ram.identity-unclassified | user | legacy-integration',
  'ram.password-policy-weak | account | demo-corp',
  'ram.permission-unused | role | break-glass-admin',
  'ram.permission-unused | role | okta-sso-admin',
  'ram.permission-unused | role | old-migration-role',
  'ram.permission-unused | role | vendor-audit-role',
  'ram.permission-unused | user | analyst-xu',
  'ram.permission-unused | user | data-engineer-gao',
  'ram.permission-unused | user | ecs-operator-lin',
  'ram.permission-unused | user | former-employee-sun',
  'ram.permission-unused | user | iam-operator',
  'ram.permission-unused | user | legacy-ops-tang',
  'ram.permission-unused | user | platform-lead',
  'ram.permission-unused | user | sre-admin',
  'ram.policy-attached-to-user | user | analyst-xu',
  'ram.policy-attached-to-user | user | ecs-operator-lin',
  'ram.policy-attached-to-user | user | role-admin-feng',
  'ram.policy-attached-to-user | user | sre-admin',
  'ram.policy-full-admin | group | admins',
  'ram.policy-full-admin | group | legacy-ops',
  'ram.policy-full-admin | role | break-glass-admin',
  'ram.policy-full-admin | user | legacy-ops-tang',
  'ram.policy-full-admin | user | platform-lead',
  'ram.policy-full-admin | user | sre-admin',
  'ram.policy-privilege-management | group | helpdesk',
  'ram.policy-privilege-management | group | iam-managers',
  'ram.policy-privilege-management | group | policy-editors',
  'ram.policy-privilege-management | user | helpdesk-ma',
  'ram.policy-privilege-management | user | iam-operator',
  'ram.policy-privilege-management | user | policy-editor-qian',
  'ram.policy-privilege-management | user | role-admin-feng',
  'ram.policy-service-wildcard | policy | DataLakeFull',
  'ram.policy-service-wildcard | policy | EcsOperator',
  'ram.policy-service-wildcard | policy | LegacyEverything',
  'ram.privileged-without-conditions | role | break-glass-admin',
  'ram.privileged-without-conditions | user | helpdesk-ma',
  'ram.privileged-without-conditions | user | iam-operator',
  'ram.privileged-without-conditions | user | legacy-ops-tang',
  'ram.privileged-without-conditions | user | platform-lead',
  'ram.privileged-without-conditions | user | policy-editor-qian',
  'ram.privileged-without-conditions | user | role-admin-feng',
  'ram.privileged-without-conditions | user | sre-admin',
  'ram.role-trust-risky | role | break-glass-admin',
  'ram.role-trust-risky | role | github-deploy',
  'ram.role-trust-risky | role | okta-sso-admin',
  'ram.role-trust-risky | role | vendor-audit-role',
  'ram.role-unused | role | old-migration-role',
  'ram.root-access-key | account | demo-corp',
  'ram.root-mfa-missing | account | demo-corp',
  'ram.root-recent-use | account | demo-corp',
  'ram.sod-conflict | role | break-glass-admin',
  'ram.sod-conflict | user | data-engineer-gao',
  'ram.sod-conflict | user | legacy-ops-tang',
  'ram.sod-conflict | user | platform-lead',
  'ram.sod-conflict | user | sre-admin',
  'ram.user-console-and-access-key | user | dev-zhou',
  'ram.user-console-and-access-key | user | jenkins-legacy',
  'ram.user-console-inactive | user | contractor-he',
  'ram.user-console-inactive | user | former-employee-sun',
  'ram.user-console-inactive | user | intern-zhao',
  'ram.user-console-inactive | user | jenkins-legacy',
  'ram.user-console-without-mfa | user | intern-zhao',
  'ram.user-console-without-mfa | user | jenkins-legacy',
  'ram.user-console-without-mfa | user | ops-wu',
  'ram.workload-user-with-access-key | accessKey | LTAI5tDemoBuildAgent0001 (build-agent)',
];

let emulator: Emulator;
let scenario: Scenario;
let report: ScanReport;
/** What the server saw during the first scan. */
let serverStats: EmulatorStats;

/** A scan of the emulator with default rules and thresholds; polling shortened only for speed. */
async function scanDemo(): Promise<ScanReport> {
  const config = parseConfig({ scan: { credentialReport: { pollIntervalMs: 100 } } }, { env: { RAMPARTS_CLOUD_ENDPOINT: emulator.url }, rules: ALL_RULES });
  const app = createApp({
    config,
    logger: createLogger('silent'),
    credential: staticCredential(SCANNER.accessKeyId, SCANNER.accessKeySecret),
  });
  return app.scan({ now: NOW });
}

beforeAll(async () => {
  emulator = await emulatorWith('demo');
  scenario = await loadScenario('demo');
  report = await scanDemo();
  serverStats = emulator.stats();
});

afterAll(async () => {
  await emulator.close();
});

const fails = () => report.findings.filter((f) => f.status === 'fail');

describe('demo scan', () => {
  it('reports exactly the documented failures', () => {
    expect(fails().map(label).sort()).toEqual(DEMO_FAILS);
  });

  it('is complete: nothing unknown or errored, not partial', () => {
    expect(report.partial).toBe(false);
    expect(report.partialReasons).toEqual([]);
    expect(report.mode).toBe('credential-report');
    expect(report.findings.filter((f) => f.status !== 'fail').map(label)).toEqual([]);
    expect(report.findings.filter((f) => f.partial).map(label)).toEqual([]);
    expect(report.scannedAt).toBe(NOW.toISOString());
  });

  it('trips every rule at least once', () => {
    const fired = new Set(fails().map((f) => f.rule));
    expect(ALL_RULES.map((r) => r.id).filter((id) => !fired.has(id))).toEqual([]);
    expect(ALL_RULES).toHaveLength(25);
  });

  it('proposes the rules’ plans', () => {
    const planOf = (rule: string) => fails().filter((f) => f.rule === rule);
    const unused = planOf('ram.access-key-unused');
    expect(unused.length).toBeGreaterThan(0);
    for (const f of unused) {
      expect(f.remediation.plan?.steps).toEqual([
        {
          action: 'deactivate-access-key',
          target: { userName: f.subject.user, accessKeyId: f.subject.name },
          expect: { status: 'Active' },
          rollback: { call: 'UpdateAccessKey', status: 'Active' },
        },
      ]);
    }
    const inactive = planOf('ram.user-console-inactive');
    expect(inactive.length).toBeGreaterThan(0);
    for (const f of inactive) {
      expect(f.remediation.plan?.steps).toEqual([
        expect.objectContaining({ action: 'disable-console-login', target: { userName: f.subject.name, principalName: `${f.subject.name}@demo-corp.onaliyun.com` } }),
      ]);
    }
    const noMfa = planOf('ram.user-console-without-mfa');
    expect(noMfa.length).toBeGreaterThan(0);
    for (const f of noMfa) {
      expect(f.remediation.plan?.steps).toEqual([expect.objectContaining({ action: 'require-mfa', target: { userName: f.subject.name } })]);
    }
    // Least privilege: a custom policy narrowed in place, a system policy replaced, an unused one detached.
    const unusedOn = (name: string) => planOf('ram.permission-unused').find((f) => f.subject.name === name)?.remediation.plan?.steps ?? [];
    expect(unusedOn('ecs-operator-lin')).toEqual([
      expect.objectContaining({ action: 'narrow-policy', target: expect.objectContaining({ policyName: 'EcsOperator' }), expect: { defaultVersion: 'v1' } }),
    ]);
    expect(unusedOn('data-engineer-gao').map((s) => s.action)).toEqual(['narrow-policy']);
    expect(unusedOn('analyst-xu').map((s) => s.action)).toEqual(['attach-policy', 'detach-policy']);
    expect(unusedOn('old-migration-role')).toEqual([expect.objectContaining({ action: 'detach-policy' })]);
    const gao = planOf('ram.permission-unused').find((f) => f.subject.name === 'data-engineer-gao');
    expect(gao?.evidence).toMatchObject({ unusedServices: ['odps'] });
    // Rules without a plan kind propose none.
    const planless = new Set(ALL_RULES.filter((r) => r.plan === undefined).map((r) => r.id));
    expect(fails().filter((f) => planless.has(f.rule) && f.remediation.plan !== null).map(label)).toEqual([]);
  });

  it('gives the same fingerprints on a second scan', async () => {
    const again = await scanDemo();
    const prints = (r: ScanReport) => r.findings.map((f) => `${label(f)} ${f.fingerprint}`).sort();
    expect(prints(again)).toEqual(prints(report));
    expect(new Set(report.findings.map((f) => f.fingerprint)).size).toBe(report.findings.length);
  });

  it('calls only read APIs', () => {
    const actions = Object.keys(serverStats.calls);
    expect(actions.length).toBeGreaterThan(0);
    expect(actions.filter((a) => !/^(List|Get|Generate|Lookup|Describe)[A-Z]/.test(a))).toEqual([]);
    expect(serverStats.errors).toEqual({});
    // The scan's own count matches the server's.
    expect(report.stats.totalApiCalls).toBe(serverStats.total);
  });
});

/** An identity of demo.yaml with what its comments say about it. */
interface Documented {
  type: 'account' | 'user' | 'group' | 'policy' | 'role' | 'secret';
  name: string;
  /** Rule ids its comments say it triggers. */
  rules: string[];
  /** Rule ids named only in a "may" parenthetical: allowed, not required. */
  optional: string[];
  clean: boolean;
}

const ITEM_SECTIONS = { users: 'user', groups: 'group', policies: 'policy', roles: 'role', secrets: 'secret' } as const;
/** Top-level sections that describe the account itself (root user, password policy, preferences, its trails). */
const ACCOUNT_SECTIONS = new Set(['root', 'passwordPolicy', 'securityPreference', 'trails']);
const RULE_ID = /\b(?:ram|actiontrail|kms)\.[a-z]+(?:-[a-z]+)*/g;
/** "(… ram.x may report it too)": a finding the comment allows but does not promise. */
const MAY_CLAUSE = /\([^()]*\bmay\b[^()]*\)/g;

/**
 * Reads what demo.yaml's comments document, line by line: a comment block directly above a list item
 * (`- name: x` / `- { name: x, … }`) or a top-level key, and trailing comments, belong to that
 * identity; comments inside root / passwordPolicy belong to the account. A blank line ends a block.
 */
function documentedIdentities(text: string, alias: string): Documented[] {
  const byKey = new Map<string, Documented & { comments: string[] }>();
  const identity = (type: Documented['type'], name: string) => {
    const key = `${type}:${name}`;
    let d = byKey.get(key);
    if (!d) {
      d = { type, name, rules: [], optional: [], clean: false, comments: [] };
      byKey.set(key, d);
    }
    return d;
  };
  let current: (Documented & { comments: string[] }) | null = null;
  let section: string | null = null;
  let pending: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      pending = [];
      continue;
    }
    const comment = /^\s*#(.*)$/.exec(line);
    if (comment) {
      pending.push(comment[1]!);
      continue;
    }
    const top = /^([A-Za-z]\w*):/.exec(line);
    const item = /^ {2}- (?:\{\s*)?name:\s*([^,}\s]+)/.exec(line);
    if (top) {
      section = top[1]!;
      current = ACCOUNT_SECTIONS.has(section) ? identity('account', alias) : null;
    } else if (item && section !== null && section in ITEM_SECTIONS) {
      current = identity(ITEM_SECTIONS[section as keyof typeof ITEM_SECTIONS], item[1]!);
    }
    const trailing = /\s#\s?(.*)$/.exec(line);
    if (current) current.comments.push(...pending, ...(trailing ? [trailing[1]!] : []));
    pending = [];
  }
  return [...byKey.values()].map(({ comments, ...d }) => {
    const all = comments.join(' ');
    const required = all.replace(MAY_CLAUSE, ' ');
    const rules = [...new Set(required.match(RULE_ID) ?? [])];
    const optional = [...new Set(all.match(RULE_ID) ?? [])].filter((id) => !rules.includes(id));
    return { ...d, rules, optional, clean: /\bCLEAN\b/.test(all) };
  });
}

/** Subjects a documented rule may land on for an identity: itself, its keys, its policies, a policy's holders. */
function relatedSubjects(d: Documented, s: Scenario): Set<string> {
  const out = new Set([`${d.type}:${d.name}`]);
  const groupPolicies = (g: string) => s.groups.find((x) => x.name === g)?.policies.map((p) => p.name) ?? [];
  if (d.type === 'user') {
    const user = s.users.find((u) => u.name === d.name);
    for (const k of user?.accessKeys ?? []) out.add(`accessKey:${k.id}`);
    for (const p of [...(user?.policies.map((x) => x.name) ?? []), ...(user?.groups.flatMap(groupPolicies) ?? [])]) out.add(`policy:${p}`);
  } else if (d.type === 'group') {
    for (const p of groupPolicies(d.name)) out.add(`policy:${p}`);
  } else if (d.type === 'role') {
    for (const p of s.roles.find((r) => r.name === d.name)?.policies ?? []) out.add(`policy:${p.name}`);
  } else if (d.type === 'policy') {
    const holds = (refs: Array<{ name: string }>) => refs.some((p) => p.name === d.name);
    const groups = s.groups.filter((g) => holds(g.policies)).map((g) => g.name);
    for (const g of groups) out.add(`group:${g}`);
    for (const r of s.roles.filter((x) => holds(x.policies))) out.add(`role:${r.name}`);
    for (const u of s.users.filter((x) => holds(x.policies) || x.groups.some((g) => groups.includes(g)))) out.add(`user:${u.name}`);
  }
  return out;
}

/** The identity a finding is on: an access key counts as its user's. */
const ownerKey = (f: Finding) => (f.subject.type === 'accessKey' && f.subject.user !== undefined ? `user:${f.subject.user}` : `${f.subject.type}:${f.subject.name}`);

describe('demo.yaml comments agree with the scan', () => {
  let documented: Documented[];
  beforeAll(async () => {
    documented = documentedIdentities(await readFile(join(SCENARIOS_DIR, 'demo.yaml'), 'utf8'), scenario.account.alias ?? scenario.account.id);
  });

  it('reads a comment-documented entry for every identity of the scenario', () => {
    const names = (type: Documented['type']) => documented.filter((d) => d.type === type).map((d) => d.name).sort();
    expect(names('user')).toEqual(scenario.users.map((u) => u.name).sort());
    expect(names('group')).toEqual(scenario.groups.map((g) => g.name).sort());
    expect(names('policy')).toEqual(scenario.policies.map((p) => p.name).sort());
    expect(names('role')).toEqual(scenario.roles.map((r) => r.name).sort());
    expect(names('account')).toEqual(['demo-corp']);
    // The comments name real rules only, and between them every rule (the scenario's promise).
    const ids = new Set(ALL_RULES.map((r) => r.id));
    const named = documented.flatMap((d) => [...d.rules, ...d.optional]);
    expect(named.filter((id) => !ids.has(id))).toEqual([]);
    expect([...ids].filter((id) => !documented.some((d) => d.rules.includes(id)))).toEqual([]);
    expect(documented.filter((d) => d.clean).length).toBeGreaterThanOrEqual(10);
    expect(documented.filter((d) => d.clean && d.rules.length > 0).map((d) => d.name)).toEqual([]);
  });

  it('reports every rule a comment names, on that identity', () => {
    const missing: string[] = [];
    for (const d of documented) {
      const related = relatedSubjects(d, scenario);
      for (const rule of d.rules) {
        const hit = fails().some((f) => f.rule === rule && related.has(`${f.subject.type}:${f.subject.name}`));
        if (!hit) missing.push(`${d.type} ${d.name}: ${rule}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('reports nothing on an identity marked CLEAN', () => {
    const clean = new Set(documented.filter((d) => d.clean).map((d) => `${d.type}:${d.name}`));
    expect(clean).toContain('user:ramparts-scanner');
    expect(clean).toContain('role:ops-readonly-role');
    expect(report.findings.filter((f) => clean.has(ownerKey(f))).map(label)).toEqual([]);
  });

  it('lists only identities in the literal list that are not CLEAN', () => {
    // The literal list and the comments describe the same account: no literal entry is on a CLEAN one.
    const clean = new Set(documented.filter((d) => d.clean).map((d) => d.name));
    const onClean = DEMO_FAILS.filter((l) => {
      const [, , subject = ''] = l.split(' | ');
      const owner = /\(([^)]+)\)$/.exec(subject)?.[1] ?? subject;
      return clean.has(owner);
    });
    expect(onClean).toEqual([]);
  });
});
