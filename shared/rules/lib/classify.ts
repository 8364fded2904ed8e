import { IDENTITY_CLASSES, type IdentityClass } from '../../domain/identity-class.js';
import type { AccountSnapshot, RamRole, RamUser } from '../../domain/snapshot.js';
import { matchesGlob, parsePolicy, powerOf, type PolicyStatement } from '../../policy/index.js';
import { heldByIdentity } from './held.js';
import { SERVICE_LINKED_ROLES } from './identities.js';

/** Identity classification: the classes live in the domain (reports show them too); inferred here. */
export { IDENTITY_CLASSES, type IdentityClass };

export interface Classified {
  type: 'user' | 'role';
  name: string;
  /** Null: fits none of the classes. */
  class: IdentityClass | null;
  /** Why: "console logon, full admin", "trusted by fc.aliyuncs.com", or why it fits none. */
  basis: string;
}

/** A configured class for identities whose names match `pattern` (glob); it wins over what is inferred. */
export interface ClassOverride {
  pattern: string;
  type?: 'user' | 'role';
  class: IdentityClass;
}

function classifyUser(u: RamUser, power: string | null): Omit<Classified, 'type' | 'name'> {
  const keys = (u.accessKeys ?? []).filter((k) => k.status === 'Active').length;
  if (u.console) {
    const also = keys > 0 ? `, ${keys} active access key(s)` : '';
    return power ? { class: 'human-administrator', basis: `console logon, ${power}${also}` } : { class: 'human-developer', basis: `console logon${also}` };
  }
  if (keys > 0) return { class: 'workload-user', basis: `${keys} active access key(s), no console logon` };
  if (!u.consoleKnown || u.accessKeys === null) return { class: null, basis: 'its console and key data could not be collected' };
  return { class: null, basis: 'no console logon and no active access key: nothing shows who or what uses it' };
}

const assumes = (s: PolicyStatement) => s.effect === 'Allow' && (s.actions ?? []).some((a) => /^sts:(AssumeRole|\*|AssumeRoleWith(SAML|OIDC))$|^\*$/i.test(a));

function classifyRole(r: RamRole, accountId: string, power: string | null): Omit<Classified, 'type' | 'name'> {
  if (SERVICE_LINKED_ROLES.some((g) => matchesGlob(g, r.name, { ignoreCase: true }))) return { class: 'service-role', basis: 'service-linked role' };
  if (!r.trustPolicy) return { class: null, basis: 'its trust policy could not be read' };
  let statements: PolicyStatement[];
  try {
    statements = parsePolicy(r.trustPolicy).statements.filter(assumes);
  } catch {
    return { class: null, basis: 'its trust policy could not be parsed' };
  }
  const ram = statements.flatMap((s) => s.principal?.ram ?? []);
  const federated = statements.flatMap((s) => s.principal?.federated ?? []);
  const services = statements.flatMap((s) => s.principal?.service ?? []);
  const foreign = ram.filter((p) => p === '*' || (/^(acs:ram::)?(\d+)/.exec(p)?.[2] ?? accountId) !== accountId);
  if (foreign.length > 0) return { class: 'cross-account-role', basis: `trusted by ${foreign.join(', ')}` };
  const saml = federated.filter((f) => f.includes(':saml-provider/'));
  if (saml.length > 0) return { class: 'human-federation', basis: `people sign in through ${saml.join(', ')}` };
  if (federated.length > 0) return { class: 'federated-role', basis: `trusted by ${federated.join(', ')}` };
  if (ram.length > 0) {
    return power
      ? { class: 'human-administrator', basis: `assumed by ${ram.join(', ')}; ${power}` }
      : { class: 'human-developer', basis: `assumed by ${ram.join(', ')}` };
  }
  if (services.length > 0) return { class: 'service-role', basis: `trusted by ${services.join(', ')}` };
  return { class: null, basis: 'its trust policy lets nobody assume it' };
}

/** Every user and role with its class (overrides first), in snapshot order. */
/**
 * Classifications already made, per snapshot and overrides: the scan report and
 * `ram.identity-unclassified` both ask, and each answer evaluates every identity's policies.
 */
const made = new WeakMap<AccountSnapshot, Map<string, Classified[]>>();

export function classifyIdentities(snapshot: AccountSnapshot, overrides: readonly ClassOverride[] = []): Classified[] {
  const key = JSON.stringify(overrides);
  const bySnapshot = made.get(snapshot) ?? new Map<string, Classified[]>();
  made.set(snapshot, bySnapshot);
  const known = bySnapshot.get(key);
  if (known) return known.map((c) => ({ ...c }));
  const users = new Map(snapshot.users.map((u) => [u.name, u]));
  const roles = new Map(snapshot.roles.map((r) => [r.name, r]));
  const out: Classified[] = [];
  for (const { identity, held } of heldByIdentity(snapshot, [])) {
    const type = identity.type as 'user' | 'role';
    const override = overrides.find((o) => (o.type === undefined || o.type === type) && matchesGlob(o.pattern, identity.name, { ignoreCase: true }));
    if (override) {
      out.push({ type, name: identity.name, class: override.class, basis: `configured (${override.pattern})` });
      continue;
    }
    const power = powerOf(held.entries.map((e) => e.doc));
    const inferred = type === 'user' ? classifyUser(users.get(identity.name)!, power) : classifyRole(roles.get(identity.name)!, snapshot.account.id, power);
    out.push({ type, name: identity.name, ...inferred });
  }
  bySnapshot.set(key, out);
  return out.map((c) => ({ ...c }));
}
