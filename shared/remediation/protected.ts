import type { StepPrincipal } from './steps/types.js';

/** Never written to, whoever approved (DESIGN "Remediation safety"): root, break-glass users, ramparts' own roles. */
export interface ProtectedPrincipals {
  breakGlassUsers: string[];
  /** ARNs `acs:ram::<account>:role/<name>`, compared case-insensitively (by role name: a plan names roles, not ARNs). */
  roleArns: string[];
}

const ROOT_NAMES = new Set(['', 'root', '<root>', '(root)', '<root_account>']);

function roleName(arn: string): string {
  const i = arn.indexOf(':role/');
  return (i >= 0 ? arn.slice(i + ':role/'.length) : arn).toLowerCase();
}

/** Why a principal must not be touched, or null. */
export function protectedReason(principal: StepPrincipal, p: ProtectedPrincipals): string | null {
  const name = principal.name.trim().toLowerCase();
  if (principal.type === 'user') {
    if (ROOT_NAMES.has(name) || name.startsWith('root@')) return 'the root account is a protected principal and is never changed by ramparts';
    if (p.breakGlassUsers.some((u) => u.trim().toLowerCase() === name)) {
      return `${principal.name} is a break-glass user (remediation.protectedPrincipals.breakGlassUsers) and is never changed by ramparts`;
    }
  }
  if (principal.type === 'role') {
    const arn = p.roleArns.find((a) => a.toLowerCase() === name || roleName(a) === name);
    if (arn) return `role ${principal.name} (${arn}) is one of ramparts' own roles (remediation.protectedPrincipals.roleArns) and is never changed`;
  }
  return null;
}
