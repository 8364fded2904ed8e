import type { Conditions, PolicyDocument, PolicyStatement } from './document.js';
import { statementCoversAction } from './evaluate.js';

/**
 * Role trust policy (AssumeRolePolicyDocument) analysis, reference §3 "Role trust policy". Only Allow
 * statements that let someone assume the role are looked at; Deny statements are not credited (a
 * narrowing Deny is rare and its conditions cannot be evaluated here).
 */

export const TRUST_RISK_KINDS = [
  'any-principal',
  'foreign-account',
  'own-account-root',
  'oidc-unconstrained',
  'saml-no-recipient',
] as const;
/** What is wrong with a trust statement; `any-principal` is the critical one. */
export type TrustRiskKind = (typeof TRUST_RISK_KINDS)[number];

/** One risk found by {@link analyzeTrust}. */
export interface TrustRisk {
  kind: TrustRiskKind;
  /** The principal as written in the document (`*` for `"Principal": "*"`). */
  principal: string;
  /** 0-based statement index. */
  statement: number;
  /** One readable line, e.g. "account 5678 (root) may assume this role without any Condition". */
  detail: string;
  conditions: Conditions;
}

const ASSUME_ACTIONS = ['sts:AssumeRole', 'sts:AssumeRoleWithSAML', 'sts:AssumeRoleWithOIDC'];

/** `acs:ram::<uid>:<resource>`, or a bare account id meaning that account's root. */
export function parseRamArn(value: string): { account: string; resource: string } | null {
  if (/^[0-9*]+$/.test(value)) return { account: value, resource: 'root' };
  const match = /^acs:ram:[^:]*:([^:]*):(.+)$/i.exec(value);
  if (!match?.[1] || !match[2]) return null;
  return { account: match[1], resource: match[2] };
}

/** Condition keys constrained by a positive string match, lower-cased, with their operators and values. */
function positiveKeys(conditions: Conditions): Map<string, Array<{ operator: string; values: string[] }>> {
  const out = new Map<string, Array<{ operator: string; values: string[] }>>();
  for (const [operator, keys] of Object.entries(conditions)) {
    if (!/^(ForAnyValue:|ForAllValues:)?String(Equals|EqualsIgnoreCase|Like)$/i.test(operator)) continue;
    for (const [key, values] of Object.entries(keys)) {
      const list = out.get(key.toLowerCase()) ?? [];
      list.push({ operator, values });
      out.set(key.toLowerCase(), list);
    }
  }
  return out;
}

function oidcProblems(conditions: Conditions): string[] {
  const keys = positiveKeys(conditions);
  const problems: string[] = [];
  const sub = keys.get('oidc:sub');
  if (!sub) problems.push('no oidc:sub condition');
  else if (sub.some((c) => /like/i.test(c.operator) && c.values.some((v) => /^[*?]+$/.test(v)))) {
    problems.push('oidc:sub matches any subject (StringLike "*")');
  }
  if (!keys.has('oidc:aud')) problems.push('no oidc:aud condition');
  return problems;
}

function ramPrincipalRisk(
  principal: string,
  accountId: string,
  statement: PolicyStatement,
): Omit<TrustRisk, 'statement' | 'conditions'> | null {
  const conditional = Object.keys(statement.conditions).length > 0;
  const arn = parseRamArn(principal);
  if (principal === '*' || arn?.account === '*') {
    return { kind: 'any-principal', principal, detail: `any Alibaba Cloud account (${principal}) may assume this role` };
  }
  if (!arn || arn.account.toLowerCase() !== accountId.toLowerCase()) {
    // An unparseable principal cannot be shown to be ours, so it is treated as foreign.
    if (conditional) return null;
    const who = arn ? `account ${arn.account} (${arn.resource})` : `principal ${principal}`;
    return { kind: 'foreign-account', principal, detail: `${who} may assume this role without any Condition` };
  }
  if (arn.resource.toLowerCase() === 'root' || arn.resource.includes('*')) {
    return {
      kind: 'own-account-root',
      principal,
      detail: 'any RAM identity of this account that holds sts:AssumeRole may assume this role',
    };
  }
  return null;
}

function federatedRisk(principal: string, statement: PolicyStatement): Omit<TrustRisk, 'statement' | 'conditions'> | null {
  if (principal === '*') return { kind: 'any-principal', principal, detail: 'any federated identity may assume this role' };
  const resource = parseRamArn(principal)?.resource.toLowerCase() ?? '';
  if (resource.startsWith('oidc-provider/')) {
    const problems = oidcProblems(statement.conditions);
    if (problems.length === 0) return null;
    return { kind: 'oidc-unconstrained', principal, detail: `OIDC provider ${principal}: ${problems.join('; ')}` };
  }
  if (resource.startsWith('saml-provider/') && !positiveKeys(statement.conditions).has('saml:recipient')) {
    return { kind: 'saml-no-recipient', principal, detail: `SAML provider ${principal} without a saml:recipient condition` };
  }
  return null;
}

/**
 * Lists the risks of a role's trust policy for the account `accountId`. Own-account root is listed for
 * every role; whether it matters depends on how powerful the role is, which the rule decides.
 */
export function analyzeTrust(doc: PolicyDocument, accountId: string): TrustRisk[] {
  const risks: TrustRisk[] = [];
  for (const statement of doc.statements) {
    if (statement.effect !== 'Allow' || !ASSUME_ACTIONS.some((a) => statementCoversAction(statement, a))) continue;
    const add = (risk: Omit<TrustRisk, 'statement' | 'conditions'> | null): void => {
      if (risk) risks.push({ ...risk, statement: statement.index, conditions: statement.conditions });
    };
    if (statement.notPrincipal) {
      add({ kind: 'any-principal', principal: 'NotPrincipal', detail: 'every principal except those listed may assume this role' });
    }
    const p = statement.principal;
    if (!p) continue;
    if (p.any) add({ kind: 'any-principal', principal: '*', detail: 'anyone may assume this role ("Principal": "*")' });
    for (const ram of p.ram) add(ramPrincipalRisk(ram, accountId, statement));
    for (const federated of p.federated) add(federatedRisk(federated, statement));
    for (const values of [p.service, ...Object.values(p.other)]) {
      if (values.includes('*')) add({ kind: 'any-principal', principal: '*', detail: 'any service or principal may assume this role' });
    }
  }
  return risks;
}
