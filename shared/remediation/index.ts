export { applyApproved, DEFAULT_LEASE_MS } from './apply.js';
export { rollbackExecution } from './rollback.js';
export { createExecution, LostClaimError } from './session.js';
export { protectedReason, type ProtectedPrincipals } from './protected.js';
export { handlerFor, type StepHandler, type StepContext, type Observation } from './steps/index.js';
export type { ExecutionOutcome, ExecutionResult, ExecutorDeps, ExecutorHooks, RollbackResult } from './types.js';
