import { policyKey, type AccessIndex, type IdentityAccess, type PolicyGrant } from '../../domain/access.js';
import type { RamPolicy } from '../../domain/snapshot.js';
import {
  describeStatement,
  isFullAdmin,
  privilegeManagement,
  type PolicyDocument,
  type PrivilegeManagement,
} from '../../policy/index.js';
import type { DocumentRead } from './documents.js';

/** What an identity can do with RAM, with the evidence paths that show how. Shared by the admin rules. */
export interface IdentityPower {
  /** Chains ending in a full-admin statement, e.g. user → group → policy → statement. */
  fullAdmin: Array<{ path: string[]; conditional: boolean }>;
  /** Granted RAM-changing actions, with one chain per granting statement and grant path. */
  privilege: Array<{ action: string; conditional: boolean; paths: string[][] }>;
  /** `sts:AssumeRole` on any role: evidence only. */
  assumeAnyRole: boolean;
  /** Why the verdict may be incomplete: membership unknown, documents missing or unreadable. */
  unknowns: string[];
}

function statementPaths(grants: PolicyGrant[], description: string): string[][] {
  return grants.map((g) => [...g.path, description]);
}

/**
 * Returns an analyzer for identities of one snapshot. Privilege evaluation is Deny-aware across all
 * of an identity's policies, and memoized by the set of policies, since thousands of users share the
 * same few groups.
 */
export function powerAnalyzer(read: (policy: RamPolicy) => DocumentRead): (access: IdentityAccess) => IdentityPower {
  const memo = new Map<string, PrivilegeManagement>();
  return (access) => {
    const byPolicy = new Map<string, { policy: RamPolicy; grants: PolicyGrant[] }>();
    for (const grant of access.grants) {
      const key = policyKey(grant.policy);
      const entry = byPolicy.get(key);
      if (entry) entry.grants.push(grant);
      else byPolicy.set(key, { policy: grant.policy, grants: [grant] });
    }
    const unknowns = [...access.unknowns];
    const keys = [...byPolicy.keys()].sort();
    const entries: Array<{ key: string; grants: PolicyGrant[]; doc: PolicyDocument }> = [];
    for (const key of keys) {
      const entry = byPolicy.get(key);
      if (!entry) continue;
      const result = read(entry.policy);
      if (result.ok) entries.push({ key, grants: entry.grants, doc: result.doc });
      else if (entry.policy.document !== null) unknowns.push(result.reason); // null is already in access.unknowns
    }

    const fullAdmin = entries.flatMap(({ grants, doc }) =>
      doc.statements
        .filter(isFullAdmin)
        .flatMap((s) => statementPaths(grants, describeStatement(s)).map((path) => ({ path, conditional: Object.keys(s.conditions).length > 0 }))),
    );

    const memoKey = entries.map((e) => e.key).join('\n');
    let pm = memo.get(memoKey);
    if (!pm) {
      pm = privilegeManagement(entries.map((e) => e.doc));
      memo.set(memoKey, pm);
    }
    const privilege = pm.actions.map((granted) => ({
      action: granted.action,
      conditional: granted.conditional,
      paths: granted.grants.flatMap((ref) => statementPaths(entries[ref.doc]?.grants ?? [], describeStatement(ref.statement))),
    }));
    return { fullAdmin, privilege, assumeAnyRole: pm.assumeAnyRole !== null, unknowns };
  };
}

/**
 * Unattributed policies (attachments unknown) that matter to a rule: unreadable ones, and readable
 * ones for which `matters(doc)` holds. Each becomes an `unknown` result on the policy.
 */
export function relevantUnattributed(
  index: AccessIndex,
  read: (policy: RamPolicy) => DocumentRead,
  matters: (doc: PolicyDocument) => boolean,
): Array<{ policy: RamPolicy; reason: string }> {
  return index.unattributed.flatMap((policy) => {
    const result = read(policy);
    if (!result.ok) return [{ policy, reason: `attachments could not be listed and ${result.reason}` }];
    return matters(result.doc) ? [{ policy, reason: 'attachments could not be listed, so its holders are unknown' }] : [];
  });
}

/** Whether any single statement of a document is full admin. */
export function hasFullAdmin(doc: PolicyDocument): boolean {
  return doc.statements.some(isFullAdmin);
}
