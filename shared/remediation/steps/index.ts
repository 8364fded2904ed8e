import type { PlanStep } from '../../domain/remediation.js';
import { attachPolicy } from './attach-policy.js';
import { deactivateAccessKey } from './deactivate-access-key.js';
import { deleteAccessKey } from './delete-access-key.js';
import { detachPolicy } from './detach-policy.js';
import { disableConsoleLogin } from './disable-console-login.js';
import { narrowPolicy } from './narrow-policy.js';
import { removeFromGroup } from './remove-from-group.js';
import { requireMfa } from './require-mfa.js';
import type { HandlerFor, StepHandler } from './types.js';

export * from './types.js';

const HANDLERS: { [A in PlanStep['action']]: HandlerFor<A> } = {
  'deactivate-access-key': deactivateAccessKey,
  'delete-access-key': deleteAccessKey,
  'disable-console-login': disableConsoleLogin,
  'require-mfa': requireMfa,
  'detach-policy': detachPolicy,
  'remove-from-group': removeFromGroup,
  'narrow-policy': narrowPolicy,
  'attach-policy': attachPolicy,
};

/** The handler of a step, typed loosely: each handler only ever receives its own action's steps. */
export function handlerFor(step: PlanStep): StepHandler {
  return HANDLERS[step.action] as unknown as StepHandler;
}
