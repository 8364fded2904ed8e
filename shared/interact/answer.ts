/**
 * The platform-independent middle of every answer: check the button token binds this task, this action
 * and this clicker, then call decide. Runs only after the signature, the body and the clicker are checked.
 */
import type { Person } from '../people/types.js';
import type { DecideOutcome } from '../review/types.js';
import type { ClickedAnswer, InteractDeps } from './types.js';

export type AnswerResult = { status: 'bad_token' } | DecideOutcome;

/** A token made for another recipient, another task or another action fails here, as does an expired one. */
export function tokenMatches(deps: InteractDeps, person: Person, a: ClickedAnswer): boolean {
  return deps.tokens.verify(a.token, { taskId: a.taskId, action: a.action, recipientId: person.id }, deps.now());
}

export async function answer(deps: InteractDeps, person: Person, a: ClickedAnswer, via: 'slack' | 'dingtalk'): Promise<AnswerResult> {
  if (!tokenMatches(deps, person, a)) {
    deps.logger?.warn({ via, taskId: a.taskId, action: a.action, actor: person.id }, 'interact: button token does not match');
    return { status: 'bad_token' };
  }
  const outcome = await deps.decide({
    taskId: a.taskId,
    action: a.action,
    actor: person.id,
    reason: a.reason?.trim() ? a.reason.trim() : null,
    until: a.until?.trim() ? a.until.trim() : null,
    ...(a.request ? { request: a.request } : {}),
    via,
  });
  deps.logger?.info(
    { via, taskId: a.taskId, action: a.action, actor: person.id, outcome: outcome.status, ...(outcome.status === 'refused' ? { refusal: outcome.refusal.code } : {}) },
    'interact: answer handled',
  );
  return outcome;
}

/** Messages for the clicker when there is nothing else to show. */
export const MESSAGES = {
  badToken: 'This button is not yours, or it has expired. Use the buttons on your own, latest ramparts message.',
  unknownUser: 'ramparts does not know you: ask the security team to add you to people in the ramparts config.',
  notFound: 'This review task no longer exists.',
} as const;
