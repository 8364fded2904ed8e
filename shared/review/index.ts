/** Review workflow: the pure lifecycle table and the use cases around it (DESIGN "Review workflow"). */
export * from './types.js';
export { acceptedEvents, transition } from './machine.js';
export type { MachineContext } from './machine/common.js';
export { createReviewPolicy, DEFAULT_REVIEW_POLICY, overduePoints, reminderPoints, schedule, type ReviewPolicy, type ReviewPolicyInput } from './policy.js';
export { showDay, parseUntil } from './dates.js';
export type { ButtonTokens, ReviewDeps } from './deps.js';
export { answerEvent, newTask } from './task.js';
export { statusLine, subjectLabel, maskKeyId, type TaskEntry } from './status.js';
export { buildPromptView, buttonsFor, promptItem, type ViewContext } from './view.js';
export type { DeliveryReport } from './outbox.js';
export { syncScan, type SyncScanOptions, type SyncScanSummary } from './sync-scan.js';
export { decide } from './decide.js';
export { remind, TICKING_STATES, type RemindSummary } from './remind.js';
