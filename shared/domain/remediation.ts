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
  'attach-policy',
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
      /** A custom policy gets a new default version with `target.document` (the narrowed one). */
      action: 'narrow-policy';
      target: { policyName: string; document: string };
      /** The default version the approver saw; another default is drift. */
      expect: { defaultVersion: string };
      /** Actions used in the lookback that `target.document` must still allow; the executor re-checks. */
      proof: NarrowingProof;
      rollback: { call: 'SetDefaultPolicyVersion'; versionId: string };
    }
  | {
      /**
       * Creates the generated custom policy (unless it exists with the same document) and attaches it:
       * the first half of replacing a system policy, followed by a `detach-policy` of the system one.
       */
      action: 'attach-policy';
      target: {
        principalType: PrincipalType;
        principalName: string;
        policyName: string;
        policyType: 'Custom';
        document: string;
        description: string;
      };
      expect: { attached: false };
      proof: NarrowingProof;
      /** Detach it again, then delete the policy when this step created it and nothing else holds it. */
      rollback: { call: 'DetachPolicyFrom'; deletePolicy: true };
    };

/** What a narrowing must keep: every action used in the lookback window, checked against the new document. */
export interface NarrowingProof {
  /** Used actions (RAM spelling, `ecs:DescribeInstances`), sorted. */
  used: string[];
  /**
   * Those of `used` whose original grant carried a condition (`acs:SourceIp`…): kept with it, so a
   * conditional Allow is enough for them; every other used action needs a plain Allow.
   */
  conditional?: string[];
  /** The lookback window the usage came from (ISO). */
  window: { from: string; to: string };
}

export interface RemediationPlan {
  /** What a person reads on the card: "set the key Inactive (reversible)". */
  summary: string;
  steps: PlanStep[];
  /**
   * The member account whose RAM the steps change (a multi-account deployment); absent: the account
   * ramparts runs in. The apply function acts there through the member's apply role.
   */
  account?: string;
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
