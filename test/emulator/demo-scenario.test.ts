/**
 * Guards the demo scenario's promise: each user's and role's YAML comment names the rules it triggers
 * (or says CLEAN), and the data agrees under the rules' default thresholds. The predicates below are a
 * deliberately naive reading of the rule catalog, independent of ramparts' real rule engine.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isMap, isSeq, parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, SCENARIOS_DIR, startEmulator, type Emulator } from '../../emulator/index.js';
import type { PolicyRecord, RoleRecord, UserRecord } from '../../emulator/state.js';
import { fixedClock, NOW } from './clients.js';

const DAY = 86_400_000;
const ALL_RULES = [
  'ram.root-access-key', 'ram.root-mfa-missing', 'ram.root-recent-use', 'ram.user-console-without-mfa',
  'ram.user-console-inactive', 'ram.user-console-and-access-key', 'ram.access-key-stale', 'ram.access-key-unused',
  'ram.access-key-multiple-active', 'ram.password-policy-weak', 'ram.policy-full-admin',
  'ram.policy-privilege-management', 'ram.policy-service-wildcard', 'ram.policy-attached-to-user', 'ram.role-trust-risky', 'ram.sod-conflict', 'ram.privileged-without-conditions', 'ram.identity-unclassified',
  'ram.workload-user-with-access-key',
];
/** RFC 1918 and 100.64/10: addresses inside Alibaba Cloud (a VPC, an internal endpoint). */
const INTERNAL = /^(10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/;

/** Access key id → source addresses of its events in the last 30 days. */
function keySources(): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (let i = 0; i < emu.state.trail.size; i++) {
    const r = emu.state.trail.at(i)!.record as { eventTime: string; sourceIpAddress?: string; userIdentity?: { accessKeyId?: string } };
    const key = r.userIdentity?.accessKeyId;
    if (!key || NOW.getTime() - Date.parse(r.eventTime) > 30 * DAY) continue;
    out.set(key, [...(out.get(key) ?? []), r.sourceIpAddress ?? '']);
  }
  return out;
}
const RAM_WRITES = /^ram:(\*|attachpolicyto.*|createpolicyversion|setdefaultpolicyversion|createaccesskey|createloginprofile|updateloginprofile|updaterole|addusertogroup|passrole)$/;

let emu: Emulator;
let comments: Map<string, string>;
beforeAll(async () => {
  emu = await startEmulator({ scenario: await loadScenario('demo'), clock: fixedClock });
  const doc = parseDocument(await readFile(join(SCENARIOS_DIR, 'demo.yaml'), 'utf8'));
  comments = new Map();
  for (const key of ['users', 'roles']) {
    const seq = doc.get(key);
    if (!isSeq(seq)) continue;
    // yaml attaches the comment above a sequence's first item to the sequence itself.
    seq.items.forEach((item, i) => isMap(item) && comments.set(`${key}/${String(item.get('name'))}`, (i === 0 ? seq.commentBefore : item.commentBefore) ?? ''));
  }
});
afterAll(() => emu.close());

function actions(p: PolicyRecord): string[] {
  const doc = JSON.parse(p.versions[0]!.document) as { Statement: { Effect: string; Action: string | string[] }[] };
  return doc.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action].flat().map((a) => a.toLowerCase()));
}

function policyRules(p: PolicyRecord): string[] {
  const a = actions(p);
  return [
    // * on * holds both sides of every duty conflict; no demo identity holds two sides any other way.
    ...(a.includes('*') ? ['ram.policy-full-admin', 'ram.sod-conflict'] : []),
    // No demo policy binds a privileged grant to MFA or a network.
    ...(a.some((x) => x === '*' || RAM_WRITES.test(x)) ? ['ram.policy-privilege-management', 'ram.privileged-without-conditions'] : []),
    ...(p.type === 'Custom' && a.some((x) => x === '*' || /^[a-z0-9-]+:\*$/.test(x)) ? ['ram.policy-service-wildcard'] : []),
  ];
}

function userRules(u: UserRecord): Set<string> {
  const state = emu.state;
  const ago = (d: Date | null) => (d ? (NOW.getTime() - d.getTime()) / DAY : Infinity);
  const console = u.loginProfile?.status === 'Active';
  const active = u.keys.filter((k) => k.status === 'Active');
  const direct = state.attachmentsOf('user', u.name);
  const viaGroups = [...u.groups.keys()].flatMap((g) => state.attachmentsOf('group', g));
  const found = new Set([...direct, ...viaGroups].flatMap((a) => policyRules(state.policy(a.policyType, a.policyName)!)));
  const add = (cond: boolean, rule: string) => cond && found.add(rule);
  add(console && !u.mfa, 'ram.user-console-without-mfa');
  add(console && (u.lastLoginDate ? ago(u.lastLoginDate) > 90 : ago(u.createDate) > 90), 'ram.user-console-inactive');
  add(console && active.length > 0, 'ram.user-console-and-access-key');
  add(active.some((k) => ago(k.createDate) > 90), 'ram.access-key-stale');
  add(active.some((k) => (k.lastUsedDate ? ago(k.lastUsedDate) > 90 : ago(k.createDate) > 30)), 'ram.access-key-unused');
  add(active.length >= 2, 'ram.access-key-multiple-active');
  add(direct.length > 0, 'ram.policy-attached-to-user');
  // A login profile (even a disabled one) says a person signs in: only no profile and no active key is unclassified.
  add(!u.loginProfile && active.length === 0, 'ram.identity-unclassified');
  // Most of a key's calls from inside Alibaba Cloud: a workload that should use an instance or function role.
  const sources = keySources();
  add(active.some((k) => { const ips = sources.get(k.id) ?? []; return ips.length > 0 && ips.filter((ip) => INTERNAL.test(ip)).length / ips.length >= 0.5; }), 'ram.workload-user-with-access-key');
  return found;
}

function roleRisky(r: RoleRecord): boolean {
  const own = emu.state.account.id;
  const admin = emu.state.attachmentsOf('role', r.name).some((a) => policyRules(emu.state.policy(a.policyType, a.policyName)!).includes('ram.policy-full-admin'));
  const doc = JSON.parse(r.trustPolicy) as { Statement: { Principal: Record<string, string[]>; Condition?: Record<string, Record<string, string>> }[] };
  return doc.Statement.some((s) => {
    const keys = Object.values(s.Condition ?? {}).flatMap((c) => Object.keys(c));
    const ram = s.Principal.RAM ?? [];
    const fed = s.Principal.Federated ?? [];
    return (
      ram.some((p) => p.endsWith(':root') && !p.includes(own) && !s.Condition) ||
      (ram.includes(`acs:ram::${own}:root`) && admin) ||
      fed.some((p) => p.includes(':oidc-provider/') && !(keys.includes('oidc:sub') && keys.includes('oidc:aud'))) ||
      fed.some((p) => p.includes(':saml-provider/') && !keys.includes('saml:recipient'))
    );
  });
}

const mentioned = (comment: string) => new Set(comment.match(/ram\.[a-z-]+/g) ?? []);

describe('demo scenario', () => {
  it('each user triggers the rules its comment names, and CLEAN users trigger none', () => {
    for (const u of emu.state.userList()) {
      const comment = comments.get(`users/${u.name}`) ?? '';
      const found = userRules(u);
      if (comment.includes('CLEAN')) expect([u.name, [...found]]).toEqual([u.name, []]);
      else {
        expect(mentioned(comment).size, `${u.name} needs a comment naming its rules`).toBeGreaterThan(0);
        for (const rule of mentioned(comment)) expect([u.name, found.has(rule)]).toEqual([u.name, true]);
      }
    }
  });

  it('roles are risky exactly when their comment says so', () => {
    for (const r of emu.state.roleList()) {
      const comment = comments.get(`roles/${r.name}`) ?? '';
      expect([r.name, roleRisky(r)]).toEqual([r.name, comment.includes('ram.role-trust-risky')]);
    }
    expect(emu.state.roleList().filter((r) => !roleRisky(r)).length).toBeGreaterThanOrEqual(3);
  });

  it('fires every rule of the catalog somewhere, with at least 6 clean identities', () => {
    const { root, passwordPolicy: pp } = emu.state;
    const fired = new Set(emu.state.userList().flatMap((u) => [...userRules(u)]));
    if (emu.state.roleList().some(roleRisky)) fired.add('ram.role-trust-risky');
    if (root.keys.some((k) => k.status === 'Active')) fired.add('ram.root-access-key');
    if (!root.mfa) fired.add('ram.root-mfa-missing');
    if ([root.lastLoginDate, ...root.keys.map((k) => k.lastUsedDate)].some((d) => d && NOW.getTime() - d.getTime() < 30 * DAY)) fired.add('ram.root-recent-use');
    const strong = pp.requireUppercaseCharacters && pp.requireLowercaseCharacters && pp.requireSymbols && pp.requireNumbers;
    if (!strong || pp.minimumPasswordLength < 14 || pp.passwordReusePrevention < 5 || !(pp.maxPasswordAge > 0 && pp.maxPasswordAge <= 90) || !(pp.maxLoginAttempts > 0 && pp.maxLoginAttempts <= 5)) {
      fired.add('ram.password-policy-weak');
    }
    expect([...fired].sort()).toEqual([...ALL_RULES].sort());
    const cleanUsers = emu.state.userList().filter((u) => userRules(u).size === 0);
    expect(cleanUsers.length).toBeGreaterThanOrEqual(6);
    expect(cleanUsers.map((u) => u.name)).toContain('ramparts-scanner');
  });
});
