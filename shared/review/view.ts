/** Turns tasks into the PromptView the chat adapters render (DESIGN "What people see"). */
import type { PromptButton, PromptItem, PromptView } from '../chat/port.js';
import { severityRank } from '../domain/finding.js';
import { ownerLabel } from '../people/relations.js';
import type { Directory, Person } from '../people/types.js';
import { getRule } from '../rules/registry.js';
import { addDays, showDay } from './dates.js';
import type { ButtonTokens } from './deps.js';
import type { ReviewPolicy } from './policy.js';
import { findingLabel, personName, statusLine, type TaskEntry } from './status.js';
import type { ReviewTask, TaskAction } from './types.js';

export interface ViewContext {
  directory: Directory;
  policy: ReviewPolicy;
  tokens: ButtonTokens;
  account: { id: string; alias: string | null };
  /** For time-limited buttons (rollback); the system clock when absent. */
  clock?: { now(): Date };
}

/** Slack caps a confirm dialog's text at 300 characters (reference §4.5). */
const CONFIRM_MAX = 300;

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function revokeConfirm(task: ReviewTask): PromptButton['confirm'] {
  const plan = task.finding.remediation.plan;
  const text = plan
    ? `After approval, ramparts will ${plan.summary}. Nothing changes until a manager approves.`
    : `There is no automatic fix for this finding: this asks the security team to revoke the access of ${findingLabel(task.finding)}. Nothing changes until it is approved.`;
  return { title: 'Request revocation?', text: clip(text, CONFIRM_MAX) };
}

/** Buttons only for someone who may answer now; everyone else sees the status line. */
export function buttonsFor(task: ReviewTask, recipient: Person, ctx: ViewContext): PromptButton[] {
  if (!task.assignees.includes(recipient.id)) return [];
  const button = (action: TaskAction, label: string, extra: Partial<PromptButton> = {}): PromptButton => ({
    action,
    label,
    taskId: task.id,
    token: ctx.tokens.sign(task.id, action, recipient.id),
    ...extra,
  });
  if (task.state === 'awaiting_attestation') {
    return [button('attest', 'Attest keep'), button('decline', 'Decline…', { needs: 'reason' })];
  }
  if (task.state === 'awaiting_approval') {
    const plan = task.finding.remediation.plan;
    const text = plan ? `Approve: ramparts will ${plan.summary} (in enforce mode; recorded either way).` : 'Approve the revocation request (the security team carries it out).';
    const request = task.request ? { request: task.request.at } : {};
    return [
      button('approve', 'Approve', { confirm: { title: 'Approve this revocation?', text: clip(text, CONFIRM_MAX) }, ...request }),
      button('reject', 'Reject…', { needs: 'reason', ...request }),
    ];
  }
  if (task.state === 'rollback_requested') {
    const step = task.request?.step;
    const what = step === null || step === undefined ? 'the whole revocation' : `step ${step + 1} of the revocation`;
    const text = `Approve: ramparts will undo ${what} and restore the access of ${findingLabel(task.finding)}.`;
    const request = task.request ? { request: task.request.at } : {};
    return [
      button('approve', 'Approve rollback', { confirm: { title: 'Restore this access?', text: clip(text, CONFIRM_MAX) }, ...request }),
      button('reject', 'Reject…', { needs: 'reason', ...request }),
    ];
  }
  if (task.state === 'applied' && rollbackOpen(task, ctx)) {
    return [button('rollback', 'Request rollback…', { needs: 'reason' })];
  }
  if (task.state !== 'awaiting_owner' && task.state !== 'escalated') return [];
  const { owner } = task.ownership;
  const withSecurity = owner.kind === 'group' && owner.name === ctx.policy.securityGroup;
  return [
    button('keep', 'Keep… (reason)', { needs: 'reason' }),
    button('snooze', "I'll fix it by…", { needs: 'date' }),
    button('revoke', 'Revoke', { confirm: revokeConfirm(task) }),
    ...(withSecurity ? [] : [button('not_mine', 'Not mine')]),
  ];
}

/** The rollback button shows while the window from the application lasts (the machine checks it again on click). */
function rollbackOpen(task: ReviewTask, ctx: ViewContext): boolean {
  const appliedAt = task.execution?.appliedAt;
  const now = ctx.clock?.now() ?? new Date();
  return appliedAt !== null && appliedAt !== undefined && now.getTime() <= addDays(new Date(appliedAt), ctx.policy.rollbackWindowDays).getTime();
}

export function promptItem(entry: TaskEntry, recipient: Person, ctx: ViewContext): PromptItem {
  const { task } = entry;
  const { finding } = task;
  return {
    taskId: task.id,
    severity: task.severity,
    title: finding.title,
    subject: findingLabel(finding),
    evidence: finding.evidence.summary,
    path: finding.evidence.path ?? [],
    why: getRule(finding.rule)?.rationale ?? finding.remediation.summary,
    revokeWould: finding.remediation.plan?.summary ?? null,
    diff: finding.evidence.diff ?? null,
    state: task.state,
    status: statusLine(entry, ctx.directory),
    buttons: buttonsFor(task, recipient, ctx),
  };
}

/** When the earliest pending answer is due: the due date, or the deadline once escalated. */
function dueLine(items: readonly TaskEntry[], recipient: Person): string | null {
  const pending = items
    .map(({ task }) => {
      if (!task.assignees.includes(recipient.id)) return null;
      if (task.state === 'awaiting_owner' || task.state === 'awaiting_approval' || task.state === 'rollback_requested') return task.dueAt;
      return task.state === 'escalated' ? task.deadlineAt : null;
    })
    .filter((d): d is string => d !== null)
    .sort();
  return pending[0] ? `due ${showDay(pending[0])}` : null;
}

function plural(n: number, one: string, many: string): string {
  return n === 1 ? `1 ${one}` : `${n} ${many}`;
}

function intro(kind: PromptView['kind'], entries: readonly TaskEntry[], recipient: Person, ctx: ViewContext): string {
  const tasks = entries.map((e) => e.task);
  const distinct = <T>(xs: T[]) => [...new Set(xs)];
  if (kind === 'reminder') return `Reminder: ${plural(tasks.length, 'finding still needs', 'findings still need')} your answer.`;
  if (kind === 'escalation') {
    const waiting = (t: ReviewTask) => t.state === 'awaiting_approval' || t.state === 'rollback_requested';
    const approvals = tasks.filter(waiting);
    const answers = tasks.filter((t) => !waiting(t));
    const parts: string[] = [];
    if (answers.length > 0) {
      const owners = distinct(answers.map((t) => ownerLabel(t.ownership.owner, ctx.directory)));
      parts.push(`${owners.join(', ')} did not answer in time; you are asked to decide instead.`);
    }
    if (approvals.length > 0) {
      parts.push(
        `${plural(approvals.length, 'approval request has', 'approval requests have')} had no answer from ${plural(approvals.length, 'its approvers', 'their approvers')} by the due date; please follow up: approve if you may, or reject with a reason.`,
      );
    }
    return parts.join(' ');
  }
  if (kind === 'approval') {
    const requester = (t: ReviewTask) => (t.request ? (t.request.by === 'system' ? 'the deadline' : personName(t.request.by, ctx.directory)) : 'the deadline');
    const rollbacks = tasks.filter((t) => t.request?.kind === 'rollback');
    const revocations = tasks.filter((t) => t.request?.kind !== 'rollback');
    const asks = [
      ...(revocations.length > 0 ? [`${distinct(revocations.map(requester)).join(', ')} asked to revoke access`] : []),
      ...(rollbacks.length > 0 ? [`${distinct(rollbacks.map(requester)).join(', ')} asked to roll back a revocation (restoring access)`] : []),
    ];
    return `${asks.join('; ')}; as an approver, please approve or reject. You cannot approve your own request or a change to your own access.`;
  }
  if (kind === 'attestation') {
    const keepers = distinct(entries.map((e) => (e.lastDecision ? personName(e.lastDecision.actor, ctx.directory) : 'the owner')));
    return `${keepers.join(', ')} want${keepers.length === 1 ? 's' : ''} to keep access on high-severity findings; as their manager, please attest or decline.`;
  }
  const identities = distinct(tasks.map((t) => `${t.finding.subject.type}:${t.finding.subject.id}`)).length;
  const orphaned = tasks.every((t) => t.ownership.source === 'orphaned');
  return orphaned
    ? `${plural(identities, 'identity has', 'identities have')} no known owner; as a member of ${ctx.policy.securityGroup}, please review:`
    : `${recipient.name}, you own ${plural(identities, 'identity', 'identities')} with findings:`;
}

/** One message for one recipient, items sorted by severity (highest first), then title. */
export function buildPromptView(ctx: ViewContext, kind: PromptView['kind'], recipient: Person, entries: readonly TaskEntry[]): PromptView {
  const sorted = [...entries].sort(
    (a, b) => severityRank(b.task.severity) - severityRank(a.task.severity) || a.task.finding.title.localeCompare(b.task.finding.title) || a.task.id.localeCompare(b.task.id),
  );
  return {
    kind,
    recipient,
    account: ctx.account,
    due: dueLine(sorted, recipient),
    intro: intro(kind, sorted, recipient, ctx),
    items: sorted.map((entry) => promptItem(entry, recipient, ctx)),
  };
}
