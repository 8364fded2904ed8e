import type { PolicyDocument, PolicyStatement } from './document.js';
import { matchesGlob } from './wildcard.js';

/**
 * Evaluation of identity policies, simplified for review rather than authorization: explicit Deny
 * wins, default deny, conditions are not evaluated (we have no request context). A grant under a
 * Condition still counts as a grant, flagged `conditional`, so a conditional admin is reported, with
 * its conditions shown, instead of passing. A Deny under a Condition does not cancel a grant.
 */

/** A statement and the index of the document it came from (in the list passed in). */
export interface StatementRef {
  doc: number;
  statement: PolicyStatement;
}

/** The verdict of {@link explainAccess}, with the statements behind it for evidence. */
export interface AccessDecision {
  allowed: boolean;
  /** Allowed, but only under conditions (every granting statement has a Condition, or a conditional Deny applies). */
  conditional: boolean;
  grants: StatementRef[];
  denies: StatementRef[];
}

/** RAM action names are `<service>:<Api>` and compared case-insensitively. */
export function actionMatches(pattern: string, action: string): boolean {
  return matchesGlob(pattern, action, { ignoreCase: true });
}

/** Whether a statement names the action (honouring `NotAction`). */
export function statementCoversAction(statement: PolicyStatement, action: string): boolean {
  if (statement.actions) return statement.actions.some((p) => actionMatches(p, action));
  return !statement.notActions.some((p) => actionMatches(p, action));
}

/**
 * Whether a resource pattern matches a concrete `acs:` ARN. RAM names (users, roles, groups, policies)
 * are case-insensitive and docs write role ARNs lower-cased (reference §1.7 Roles), so
 * `acs:ram:` resources compare case-insensitively; every other service compares case-sensitively,
 * because relative ids such as OSS object keys are case-sensitive.
 */
export function resourceMatches(pattern: string, resource: string): boolean {
  return matchesGlob(pattern, resource, { ignoreCase: /^acs:ram:/i.test(resource) });
}

/** A resource pattern that matches every resource: `*` or `acs:*:*:*:*`. */
export function isAnyResource(pattern: string): boolean {
  return pattern === '*' || /^acs(:\*){4}$/i.test(pattern) || /^acs:\*$/i.test(pattern);
}

/**
 * Whether a statement applies to `resource`; without a resource, whether it applies to *some*
 * resource (Allow) or to *every* resource (Deny), the conservative reading for each effect.
 */
function statementCoversResource(statement: PolicyStatement, resource: string | undefined): boolean {
  if (statement.resources === null) return true;
  if (resource !== undefined) {
    if (statement.resources) return statement.resources.some((p) => resourceMatches(p, resource));
    return !statement.notResources.some((p) => resourceMatches(p, resource));
  }
  if (statement.effect === 'Allow') {
    if (statement.resources) return statement.resources.length > 0;
    return !statement.notResources.some(isAnyResource);
  }
  return statement.resources !== undefined && statement.resources.some(isAnyResource);
}

/** Whether a statement only applies under a Condition (which we report, never evaluate). */
export function hasConditions(statement: PolicyStatement): boolean {
  return Object.keys(statement.conditions).length > 0;
}

/**
 * Explains whether the documents together allow `action` on `resource` (or on some resource when
 * `resource` is omitted), listing the granting and denying statements for evidence.
 */
export function explainAccess(
  docs: PolicyDocument | readonly PolicyDocument[],
  action: string,
  resource?: string,
): AccessDecision {
  const list: readonly PolicyDocument[] = 'statements' in docs ? [docs] : docs;
  const grants: StatementRef[] = [];
  const denies: StatementRef[] = [];
  list.forEach((doc, docIndex) => {
    for (const statement of doc.statements) {
      if (!statementCoversAction(statement, action) || !statementCoversResource(statement, resource)) continue;
      (statement.effect === 'Allow' ? grants : denies).push({ doc: docIndex, statement });
    }
  });
  const hardDeny = denies.some((d) => !hasConditions(d.statement));
  const allowed = grants.length > 0 && !hardDeny;
  const conditional = allowed && (grants.every((g) => hasConditions(g.statement)) || denies.length > 0);
  return { allowed, conditional, grants, denies };
}

/** True when the documents allow `action` (on `resource`, or on some resource when omitted). */
export function allows(docs: PolicyDocument | readonly PolicyDocument[], action: string, resource?: string): boolean {
  return explainAccess(docs, action, resource).allowed;
}
