/** Separation of duties for approvals, keep attestations and protected principals (DESIGN "Review workflow"). */
export { checkApproval } from './approval.js';
export { checkKeepAttestation } from './keep.js';
export { checkRevocable } from './protected.js';
export { conflictsOfInterest } from './conflict.js';
export { SOD_CODES } from './types.js';
export type {
  ApprovalCheckInput,
  KeepAttestationInput,
  Membership,
  ProtectedPrincipals,
  RevocableContext,
  SodCode,
  SodRefusal,
  SodTask,
  SodVerdict,
} from './types.js';
