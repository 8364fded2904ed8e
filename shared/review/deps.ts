import { randomUUID } from 'node:crypto';
import type { Clock } from '../clock.js';
import type { ChatPort } from '../chat/port.js';
import type { Directory } from '../people/types.js';
import type { Store } from '../store/port.js';
import type { ReviewPolicy } from './policy.js';
import type { SodVerdict } from '../sod/types.js';
import type { ReviewTask, TaskAction } from './types.js';

/** Signs the token each button carries, binding task, action and recipient (see `chat/token.ts`). */
export interface ButtonTokens {
  sign(taskId: string, action: TaskAction, recipientId: string): string;
}

/** What the review use cases need; `createApp` fills them from config, tests pass doubles. */
export interface ReviewDeps {
  store: Store;
  chat: ChatPort;
  directory: Directory;
  policy: ReviewPolicy;
  clock: Clock;
  tokens: ButtonTokens;
  /** Id generator for tasks, decisions and message records (random UUIDs by default). */
  ids?: () => string;
  account: { id: string; alias: string | null };
  /** Separation-of-duties check for an approval (shared/sod); without it approvals are refused. */
  approvalCheck?: (task: ReviewTask, approver: string, requestedBy: string) => SodVerdict;
}

export function newId(deps: Pick<ReviewDeps, 'ids'>): string {
  return deps.ids ? deps.ids() : randomUUID();
}
