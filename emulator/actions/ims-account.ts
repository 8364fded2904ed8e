import { addDays } from '../dates.js';
import type { KeyRecord } from '../model.js';
import type { EmulatorState } from '../state.js';
import type { ActionTable, WireBody } from './context.js';
import { passwordPolicy, securityPreference } from './settings.js';

const STALE_DAYS = 90;

function passwordLevel(state: EmulatorState): string {
  const p = state.passwordPolicy;
  const classes = [p.requireLowercaseCharacters, p.requireUppercaseCharacters, p.requireNumbers, p.requireSymbols].filter(Boolean).length;
  if (p.minimumPasswordLength >= 14 && classes === 4) return 'high';
  return p.minimumPasswordLength >= 8 && classes >= 3 ? 'medium' : 'low';
}

/** The console's security score card, computed from the account (field names of appendix B). */
function securityPractice(state: EmulatorState, now: Date): WireBody {
  const cutoff = addDays(now, -STALE_DAYS).getTime();
  const isOld = (k: KeyRecord) => k.status === 'Active' && +k.createDate < cutoff;
  const isUnused = (k: KeyRecord) => k.status === 'Active' && +(k.lastUsedDate ?? k.createDate) < cutoff;
  const users = state.userList();
  const oldKeys = users.flatMap((u) => u.keys.filter(isOld));
  const unusedKeys = users.flatMap((u) => u.keys.filter(isUnused));
  const rootKeys = state.root.keys.filter((k) => k.status === 'Active').length;
  const withMfa = users.filter((u) => u.mfa !== null).length;
  const level = passwordLevel(state);
  const score =
    100 -
    (state.root.mfa ? 0 : 25) -
    (rootKeys > 0 ? 25 : 0) -
    (level === 'high' ? 0 : level === 'medium' ? 5 : 10) -
    (oldKeys.length > 0 ? 10 : 0) -
    (unusedKeys.length > 0 ? 10 : 0) -
    (users.length > 0 && withMfa < users.length ? 10 : 0);
  return {
    Score: Math.max(0, score),
    AccountSecurityPracticeUserInfo: {
      BindMfa: state.root.mfa,
      RootWithAccessKey: rootKeys,
      SubUser: users.length,
      SubUserBindMfa: withMfa,
      SubUserPwdLevel: level,
      SubUserWithOldAccessKey: users.filter((u) => u.keys.some(isOld)).length,
      OldAkNum: oldKeys.length,
      SubUserWithUnusedAccessKey: users.filter((u) => u.keys.some(isUnused)).length,
      UnusedAkNum: unusedKeys.length,
    },
  };
}

/** Account summary counters and the usual default quotas (users quota raised to fit generated accounts). */
function summary(state: EmulatorState): WireBody {
  const mfa = state.mfaUsers().length;
  return {
    Users: state.users.size,
    UsersQuota: Math.max(1000, state.users.size),
    Groups: state.groups.size,
    GroupsQuota: Math.max(50, state.groups.size),
    Roles: state.roles.size,
    RolesQuota: Math.max(1000, state.roles.size),
    Policies: state.policyList().filter((p) => p.type === 'Custom').length,
    PoliciesQuota: 1500,
    MFADevices: mfa,
    MFADevicesInUse: mfa,
    VirtualMFADevicesQuota: Math.max(1000, state.users.size),
    AccessKeysPerUserQuota: 2,
    AccountAccessKeysPerAccountQuota: 5,
    AttachedPoliciesPerUserQuota: 5,
    AttachedPoliciesPerGroupQuota: 5,
    AttachedPoliciesPerRoleQuota: 5,
    AttachedSystemPoliciesPerUserQuota: 20,
    AttachedSystemPoliciesPerGroupQuota: 20,
    AttachedSystemPoliciesPerRoleQuota: 20,
    GroupsPerUserQuota: 5,
    PolicySizeQuota: 6144,
    VersionsPerPolicyQuota: 5,
    ConditionsPerAKPolicyQuota: 10,
    IPItemsPerAKPolicyQuota: 10,
  };
}

/** IMS 2019-08-15 account-level actions and the credential report (reference appendix B, §1.9). */
export const imsAccountActions: ActionTable = {
  GetPasswordPolicy: ({ state }) => passwordPolicy(state, true),
  GetSecurityPreference: ({ state }) => securityPreference(state, true),
  GetAccountSummary: ({ state }) => ({ SummaryMap: summary(state) }),
  GetDefaultDomain: ({ state }) => ({ DefaultDomainName: state.account.defaultDomain }),
  GetAccountMFAInfo: ({ state }) => ({ IsMFAEnable: state.root.mfa }),
  GetAccountSecurityPracticeReport: ({ state, now }) => ({ AccountSecurityPracticeInfo: securityPractice(state, now) }),
  GenerateCredentialReport: ({ state, now, reports, realMs }) => ({ State: reports.generate(state, now, realMs) }),
  GetCredentialReport: ({ params, reports, realMs }) => reports.page(params, realMs),
};
