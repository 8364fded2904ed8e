import type { HandlerFor } from './types.js';

const NOT_SUPPORTED = 'narrow-policy is not supported yet: narrow the policy by hand (CreatePolicyVersion, SetAsDefault)';

/** Refused before any call; kept here so every action has a handler. */
export const narrowPolicy: HandlerFor<'narrow-policy'> = {
  action: 'narrow-policy',
  principal: (s) => ({ type: 'group', name: `policy:${s.target.policyName}` }),
  refuse: () => NOT_SUPPORTED,
  read: () => Promise.reject(new Error(NOT_SUPPORTED)),
  differences: () => [],
  applied: () => false,
  rolledBack: () => true,
  describe: (s) => `RAM CreatePolicyVersion ${s.target.policyName} SetAsDefault (not supported yet)`,
  apply: () => Promise.reject(new Error(NOT_SUPPORTED)),
  describeRollback: (s) => `RAM SetDefaultPolicyVersion ${s.target.policyName} ${s.rollback.versionId}`,
  rollback: () => Promise.reject(new Error(NOT_SUPPORTED)),
};
