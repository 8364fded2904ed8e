import type { Rule } from './types.js';
import trailCoverage from './actiontrail/trail-coverage.js';
import trailTamper from './actiontrail/trail-tamper.js';
import secretExpiring from './kms/secret-expiring.js';
import secretRotationOverdue from './kms/secret-rotation-overdue.js';
import accessKeyMultipleActive from './ram/access-key-multiple-active.js';
import accessKeyStale from './ram/access-key-stale.js';
import accessKeyUnused from './ram/access-key-unused.js';
import passwordPolicyWeak from './ram/password-policy-weak.js';
import permissionUnused from './ram/permission-unused.js';
import identityUnclassified from './ram/identity-unclassified.js';
import policyAttachedToUser from './ram/policy-attached-to-user.js';
import policyFullAdmin from './ram/policy-full-admin.js';
import policyPrivilegeManagement from './ram/policy-privilege-management.js';
import policyServiceWildcard from './ram/policy-service-wildcard.js';
import privilegedWithoutConditions from './ram/privileged-without-conditions.js';
import roleTrustRisky from './ram/role-trust-risky.js';
import roleUnused from './ram/role-unused.js';
import rootAccessKey from './ram/root-access-key.js';
import rootMfaMissing from './ram/root-mfa-missing.js';
import rootRecentUse from './ram/root-recent-use.js';
import sodConflict from './ram/sod-conflict.js';
import userConsoleAndAccessKey from './ram/user-console-and-access-key.js';
import userConsoleInactive from './ram/user-console-inactive.js';
import userConsoleWithoutMfa from './ram/user-console-without-mfa.js';
import workloadUserWithAccessKey from './ram/workload-user-with-access-key.js';

/**
 * Every rule, imported statically (so bundlers see them) and sorted by id. A test checks that each
 * file under `shared/rules/<service>/` is listed here and that ids equal paths.
 */
export const ALL_RULES: readonly Rule[] = [
  accessKeyMultipleActive,
  accessKeyStale,
  accessKeyUnused,
  identityUnclassified,
  passwordPolicyWeak,
  permissionUnused,
  policyAttachedToUser,
  policyFullAdmin,
  policyPrivilegeManagement,
  policyServiceWildcard,
  privilegedWithoutConditions,
  roleTrustRisky,
  roleUnused,
  rootAccessKey,
  rootMfaMissing,
  rootRecentUse,
  sodConflict,
  userConsoleAndAccessKey,
  userConsoleInactive,
  userConsoleWithoutMfa,
  workloadUserWithAccessKey,
  trailCoverage,
  trailTamper,
  secretExpiring,
  secretRotationOverdue,
].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

const byId = new Map(ALL_RULES.map((rule) => [rule.id, rule]));

/** The rule with this id, or undefined. */
export function getRule(id: string): Rule | undefined {
  return byId.get(id);
}
