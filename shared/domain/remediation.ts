import type { PolicyType, PrincipalType } from './snapshot.js';

/** The RAM changes ramparts can propose, each reversible (DESIGN "Findings and rules"). */
export const REMEDIATION_ACTIONS = [
  'deactivate-access-key',
  'delete-access-key',
  'disable-console-login',
  'require-mfa',
  'detach-policy',
  'remove-from-group',
  'narrow-policy',
] as const;
export type RemediationAction = (typeof REMEDIATION_ACTIONS)[number];

/**
 * One concrete change. `expect` is the live state the approver saw and the executor re-reads before
 * acting (drift refuses the step); `rollback` is the inverse call.
 */
export type PlanStep =
  | {
      action: 'deactivate-access-key';
      target: { userName: string; accessKeyId: string };
      expect: { status: 'Active' };
      rollback: { call: 'UpdateAccessKey'; status: 'Active' };
    }
  | {
      action: 'delete-access-key';
      target: { userName: string; userId: string; accessKeyId: string };
      expect: { status: 'Inactive'; inactiveSinceDays: number };
      rollback: { call: 'RestoreAccessKeyFromRecycleBin' };
    }
  | {
      action: 'disable-console-login';
      target: { userName: string; principalName: string };
      expect: { loginStatus: 'Active' };
      rollback: { call: 'UpdateLoginProfile'; status: 'Active' };
    }
  | {
      action: 'require-mfa';
      target: { userName: string };
      expect: { mfaBindRequired: false };
      rollback: { call: 'UpdateLoginProfile'; mfaBindRequired: false };
    }
  | {
      action: 'detach-policy';
      target: { principalType: PrincipalType; principalName: string; policyName: string; policyType: PolicyType };
      expect: { attached: true };
      rollback: { call: 'AttachPolicyTo'; principalType: PrincipalType };
    }
  | {
      action: 'remove-from-group';
      target: { userName: string; groupName: string };
      expect: { member: true };
      rollback: { call: 'AddUserToGroup' };
    }
  | {
      action: 'narrow-policy';
      target: { policyName: string; document: string };
      expect: { defaultVersion: string };
      rollback: { call: 'SetDefaultPolicyVersion'; versionId: string };
    };

export interface RemediationPlan {
  /** What a person reads on the card: "set the key Inactive (reversible)". */
  summary: string;
  steps: PlanStep[];
}

/** Plan builders, so rules state intent and the shape stays in one place. */
export const plans = {
  deactivateAccessKey(userName: string, accessKeyId: string): RemediationPlan {
    return {
      summary: `set access key ${accessKeyId} of ${userName} Inactive (reversible: set it Active again)`,
      steps: [
        {
          action: 'deactivate-access-key',
          target: { userName, accessKeyId },
          expect: { status: 'Active' },
          rollback: { call: 'UpdateAccessKey', status: 'Active' },
        },
      ],
    };
  },
  disableConsoleLogin(userName: string, principalName: string): RemediationPlan {
    return {
      summary: `disable console logon of ${userName} (login profile Inactive; reversible, password kept)`,
      steps: [
        {
          action: 'disable-console-login',
          target: { userName, principalName },
          expect: { loginStatus: 'Active' },
          rollback: { call: 'UpdateLoginProfile', status: 'Active' },
        },
      ],
    };
  },
  requireMfa(userName: string): RemediationPlan {
    return {
      summary: `require ${userName} to bind MFA at next console logon (MFABindRequired=true; reversible)`,
      steps: [
        {
          action: 'require-mfa',
          target: { userName },
          expect: { mfaBindRequired: false },
          rollback: { call: 'UpdateLoginProfile', mfaBindRequired: false },
        },
      ],
    };
  },
  detachPolicy(principalType: PrincipalType, principalName: string, policyName: string, policyType: PolicyType): RemediationPlan {
    return {
      summary: `detach ${policyType} policy ${policyName} from ${principalType} ${principalName} (reversible: attach it again)`,
      steps: [
        {
          action: 'detach-policy',
          target: { principalType, principalName, policyName, policyType },
          expect: { attached: true },
          rollback: { call: 'AttachPolicyTo', principalType },
        },
      ],
    };
  },
  removeFromGroup(userName: string, groupName: string): RemediationPlan {
    return {
      summary: `remove ${userName} from group ${groupName} (reversible: add back)`,
      steps: [
        {
          action: 'remove-from-group',
          target: { userName, groupName },
          expect: { member: true },
          rollback: { call: 'AddUserToGroup' },
        },
      ],
    };
  },
};
