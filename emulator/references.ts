import type { AccountScenario, Scenario } from './scenario.js';
import { SYSTEM_POLICIES } from './system-policies.js';

/** One problem in a scenario, located by its field path (`users[3].groups[0]`). */
export interface ScenarioIssue {
  path: string;
  message: string;
}

/** A scenario that does not validate; the message lists every issue, each with its field path. */
export class ScenarioError extends Error {
  readonly code = 'ScenarioInvalid';
  constructor(
    readonly source: string,
    readonly issues: ScenarioIssue[],
  ) {
    super(`invalid scenario ${source}:\n${issues.map((i) => `  ${i.path || '(root)'}: ${i.message}`).join('\n')}`);
    this.name = 'ScenarioError';
  }
}

/**
 * Cross-reference checks the zod schema cannot express: names are unique, and every group, policy and
 * key a scenario refers to exists. All issues are reported at once.
 */
export function checkReferences(scenario: Scenario, source = '(inline)'): void {
  const issues: ScenarioIssue[] = [];
  checkAccount(scenario, '', issues);
  const ids = [scenario.account.id, ...scenario.members.map((m) => m.account.id)];
  unique(ids, 'members', 'account id (a member must differ from the management account and from other members)', issues);
  const allKeys = [scenario, ...scenario.members].flatMap((a) => [...a.root.accessKeys, ...a.users.flatMap((u) => u.accessKeys)].map((k) => k.id));
  // Access keys route a request to its account, so an id may belong to one account only.
  if (scenario.members.length > 0) unique(allKeys, 'members', 'access key id across accounts', issues);
  scenario.members.forEach((m, i) => checkAccount(m, `members[${i}].`, issues));
  if (issues.length > 0) throw new ScenarioError(source, issues);
}

/** Checks one account's content; issue paths start with `prefix` (`members[2].`). */
function checkAccount(scenario: AccountScenario, prefix: string, out: ScenarioIssue[]): void {
  const issues: ScenarioIssue[] = [];
  const custom = new Set(scenario.policies.filter((p) => p.type === 'Custom').map((p) => p.name));
  const system = new Set([
    ...SYSTEM_POLICIES.map((p) => p.name),
    ...scenario.policies.filter((p) => p.type === 'System').map((p) => p.name),
  ]);
  const groups = new Set(scenario.groups.map((g) => g.name));

  unique(scenario.users.map((u) => u.name), 'users', 'user name', issues);
  unique(scenario.groups.map((g) => g.name), 'groups', 'group name', issues);
  unique(scenario.roles.map((r) => r.name), 'roles', 'role name', issues);
  unique(scenario.policies.map((p) => `${p.type}:${p.name}`), 'policies', 'policy', issues);
  const keyIds = [...scenario.root.accessKeys.map((k) => k.id), ...scenario.users.flatMap((u) => u.accessKeys.map((k) => k.id))];
  unique(keyIds, 'accessKeys', 'access key id', issues);
  unique(scenario.trails.map((t) => t.name), 'trails', 'trail name', issues);
  unique(scenario.secrets.map((s) => s.name), 'secrets', 'secret name', issues);
  scenario.secrets.forEach((s, i) => {
    // KMS UpdateSecretRotationPolicy refuses Generic secrets: only managed secrets rotate automatically.
    if (s.type === 'Generic' && s.rotation?.enabled) {
      issues.push({ path: `secrets[${i}].rotation.enabled`, message: 'a Generic secret cannot rotate automatically (use type Rds, RAMCredentials, ECS, Redis or PolarDB)' });
    }
  });

  const checkPolicies = (refs: { name: string; type: 'System' | 'Custom' }[], path: string): void =>
    refs.forEach((ref, i) => {
      const known = ref.type === 'Custom' ? custom : system;
      if (known.has(ref.name)) return;
      const hint = ref.type === 'Custom' && system.has(ref.name) ? ' (it is a System policy: add "type: System")' : '';
      issues.push({ path: `${path}[${i}]`, message: `no ${ref.type} policy named "${ref.name}"${hint}` });
    });

  scenario.users.forEach((u, i) => {
    u.groups.forEach((g, j) => {
      if (!groups.has(g)) issues.push({ path: `users[${i}].groups[${j}]`, message: `no group named "${g}"` });
    });
    checkPolicies(u.policies, `users[${i}].policies`);
    if (u.accessKeys.length > 2) {
      issues.push({ path: `users[${i}].accessKeys`, message: 'a RAM user has at most 2 access keys' });
    }
  });
  scenario.groups.forEach((g, i) => checkPolicies(g.policies, `groups[${i}].policies`));
  scenario.roles.forEach((r, i) => {
    checkPolicies(r.policies, `roles[${i}].policies`);
    checkJson(r.trustPolicy, `roles[${i}].trustPolicy`, issues);
  });
  scenario.policies.forEach((p, i) => checkJson(p.document, `policies[${i}].document`, issues));
  if (scenario.root.accessKeys.length > 5) {
    issues.push({ path: 'root.accessKeys', message: 'the account itself has at most 5 access keys' });
  }
  out.push(...issues.map((i) => ({ ...i, path: `${prefix}${i.path}` })));
}

function unique(values: string[], path: string, what: string, issues: ScenarioIssue[]): void {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v)) issues.push({ path, message: `duplicate ${what} "${v}"` });
    seen.add(v);
  }
}

function checkJson(doc: string | Record<string, unknown>, path: string, issues: ScenarioIssue[]): void {
  if (typeof doc !== 'string') return;
  try {
    JSON.parse(doc);
  } catch (e) {
    issues.push({ path, message: `not valid JSON (${(e as Error).message})` });
  }
}
