/**
 * Identity classes (IAM design guide): every identity should be one kind the security team knows how
 * to govern — most incidents involve an identity type nobody considered. Inferred by
 * shared/rules/lib/classify.ts, shown by the reports.
 */
export const IDENTITY_CLASSES = [
  'human-administrator',
  'human-developer',
  'human-federation',
  'workload-user',
  'service-role',
  'federated-role',
  'cross-account-role',
] as const;
export type IdentityClass = (typeof IDENTITY_CLASSES)[number];
