import type { PolicyDocument, PolicyStatement } from './document.js';
import { explainAccess, isAnyResource, type StatementRef } from './evaluate.js';

/**
 * What makes an identity powerful: full admin, the RAM actions that let it grant itself more
 * (reference §3 "Privilege-escalation actions"), and service-wide wildcards.
 */

/** An action pattern that matches every action of every service: `*`, `*:*`. */
function isAnyAction(pattern: string): boolean {
  return /^[*:]*\*[*:]*$/.test(pattern);
}

/**
 * Full administrative privileges (CIS 1.15): an Allow of every action (`*`, `*:*`) on every resource,
 * or the near-equivalents an Allow `NotAction` on every resource ("everything except a few") and an
 * Allow of every action on `NotResource` ("everywhere except a few"). Conditions do not change the
 * verdict; rules show them in evidence.
 */
export function isFullAdmin(statement: PolicyStatement): boolean {
  if (statement.effect !== 'Allow') return false;
  const everyAction = statement.actions
    ? statement.actions.some(isAnyAction)
    : !statement.notActions.some(isAnyAction);
  if (!everyAction) return false;
  if (statement.resources === null) return false;
  if (statement.resources) return statement.resources.some(isAnyResource);
  // Every action "except" a list only counts when the exceptions are not themselves everything.
  return statement.actions !== undefined && !statement.notResources.some(isAnyResource);
}

/**
 * RAM actions that let an identity raise its own (or another identity's) privileges. Detaching and
 * deleting are absent on purpose: they remove access. `ram:CreateUser` and `ram:CreatePolicy` only
 * escalate together with an attach or add-to-group action, which is listed on its own.
 */
export const PRIVILEGE_MANAGEMENT_ACTIONS = [
  'ram:AttachPolicyToUser',
  'ram:AttachPolicyToGroup',
  'ram:AttachPolicyToRole',
  'ram:CreatePolicyVersion',
  'ram:SetDefaultPolicyVersion',
  'ram:CreateAccessKey',
  'ram:CreateLoginProfile',
  'ram:UpdateLoginProfile',
  'ram:UpdateRole',
  'ram:AddUserToGroup',
  'ram:PassRole',
] as const;
/** One of {@link PRIVILEGE_MANAGEMENT_ACTIONS}. */
export type PrivilegeManagementAction = (typeof PRIVILEGE_MANAGEMENT_ACTIONS)[number];

/** An action the documents grant, whether only under conditions, and the granting statements. */
export interface GrantedAction {
  action: string;
  conditional: boolean;
  grants: StatementRef[];
}

/** The result of {@link privilegeManagement}. */
export interface PrivilegeManagement {
  /** Granted escalation actions, in {@link PRIVILEGE_MANAGEMENT_ACTIONS} order. */
  actions: GrantedAction[];
  /**
   * `sts:AssumeRole` on any role. Not escalation by itself (the role's trust policy must also let the
   * identity in), so it is evidence for other findings, never a finding on its own.
   */
  assumeAnyRole: GrantedAction | null;
}

function isAnyRoleResource(pattern: string): boolean {
  return isAnyResource(pattern) || /^acs:ram:[^:]*:[^:]*:role\/\*$/i.test(pattern);
}

/** Which RAM-changing actions the documents (all policies of one identity) grant, Deny-aware. */
export function privilegeManagement(docs: readonly PolicyDocument[]): PrivilegeManagement {
  const actions: GrantedAction[] = [];
  for (const action of PRIVILEGE_MANAGEMENT_ACTIONS) {
    const decision = explainAccess(docs, action);
    if (decision.allowed) actions.push({ action, conditional: decision.conditional, grants: decision.grants });
  }
  const assume = explainAccess(docs, 'sts:AssumeRole');
  const anyRole = assume.grants.filter(
    (g) => g.statement.notResources !== undefined || (g.statement.resources?.some(isAnyRoleResource) ?? false),
  );
  const assumeAnyRole =
    assume.allowed && anyRole.length > 0 ? { action: 'sts:AssumeRole', conditional: assume.conditional, grants: anyRole } : null;
  return { actions, assumeAnyRole };
}

/** The strongest power the documents grant together: `full admin`, `privilege management`, or null. */
export function powerOf(docs: readonly PolicyDocument[]): 'full admin' | 'privilege management' | null {
  if (docs.some((d) => d.statements.some(isFullAdmin))) return 'full admin';
  return privilegeManagement(docs).actions.length > 0 ? 'privilege management' : null;
}

/** A service-wide wildcard in an Allow statement: the pattern (`*`, `ecs:*`) or `NotAction`. */
export interface ServiceWildcard {
  statement: PolicyStatement;
  /** The wildcard pattern, or `NotAction` for an Allow NotAction (all but a few actions of all services). */
  pattern: string;
}

/**
 * Allow statements granting whole services: an action `*` or `<service>:*`, or `NotAction` (which
 * grants everything not listed, broader than any single service wildcard).
 */
export function serviceWildcards(doc: PolicyDocument): ServiceWildcard[] {
  const found: ServiceWildcard[] = [];
  for (const statement of doc.statements) {
    if (statement.effect !== 'Allow') continue;
    if (statement.notActions) {
      found.push({ statement, pattern: 'NotAction' });
      continue;
    }
    for (const pattern of statement.actions) {
      if (isAnyAction(pattern) || /^[^:*?]+:\*$/.test(pattern)) found.push({ statement, pattern });
    }
  }
  return found;
}

function shortList(items: readonly string[], max = 3): string {
  if (items.length <= max) return items.join(', ');
  return `${items.slice(0, max).join(', ')} +${items.length - max} more`;
}

/** One readable line for evidence paths: `statement 1: Allow * on * (conditional)`. */
export function describeStatement(statement: PolicyStatement): string {
  const what = statement.actions ? shortList(statement.actions) : `NotAction ${shortList(statement.notActions)}`;
  let where = '';
  if (statement.resources) where = ` on ${shortList(statement.resources)}`;
  else if (statement.notResources) where = ` on NotResource ${shortList(statement.notResources)}`;
  const conditional = Object.keys(statement.conditions).length > 0 ? ' (conditional)' : '';
  return `statement ${statement.index + 1}: ${statement.effect} ${what}${where}${conditional}`;
}

