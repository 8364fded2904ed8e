/**
 * The digest's figures about the tasks as they stand now: open tasks by owner and age, overdue tasks,
 * orphaned identities and the riskiest identities. (model.ts computes the history from the ledger.)
 */
import type { Severity } from '../domain/finding.js';
import type { Directory, OwnerRef } from '../people/types.js';
import { findingLabel } from '../review/status.js';
import type { ReviewTask, TaskState } from '../review/types.js';
import type { DigestModel, OverdueTask, OwnerLoad, RiskyIdentity } from './types.js';

const DAY_MS = 86_400_000;

/** Severity weights of the risky-identity score. */
export const SEVERITY_WEIGHT: Record<Severity, number> = { critical: 10, high: 5, medium: 2, low: 1, info: 0 };

/** Tasks that still need a person: open ones in the "open tasks" table. */
const OPEN_STATES: ReadonlySet<TaskState> = new Set(['open', 'awaiting_owner', 'snoozed', 'escalated', 'awaiting_attestation', 'awaiting_approval', 'rollback_requested']);
/** Tasks waiting for an answer by `dueAt`: past it, they are overdue. */
export const AWAITING_STATES: ReadonlySet<string> = new Set(['awaiting_owner', 'escalated', 'awaiting_attestation', 'awaiting_approval', 'rollback_requested']);

export function ownerKey(owner: OwnerRef): string {
  return owner.kind === 'person' ? owner.id : `group:${owner.name}`;
}

function ownerName(owner: OwnerRef, directory: Directory): string {
  return owner.kind === 'person' ? (directory.byId(owner.id)?.name ?? owner.id) : `${owner.name} (group)`;
}

const ageDays = (iso: string, to: number) => Math.max(0, Math.floor((to - Date.parse(iso)) / DAY_MS));

export function openTasks(tasks: readonly ReviewTask[], directory: Directory, to: number): DigestModel['openTasks'] {
  const open = tasks.filter((t) => OPEN_STATES.has(t.state));
  const owners = new Map<string, OwnerLoad>();
  const byAge = { under7Days: 0, under30Days: 0, under90Days: 0, older: 0 };
  for (const t of open) {
    const key = ownerKey(t.ownership.owner);
    const age = ageDays(t.createdAt, to);
    const row = owners.get(key) ?? { owner: key, name: ownerName(t.ownership.owner, directory), open: 0, oldestDays: 0 };
    row.open++;
    row.oldestDays = Math.max(row.oldestDays, age);
    owners.set(key, row);
    if (age < 7) byAge.under7Days++;
    else if (age < 30) byAge.under30Days++;
    else if (age < 90) byAge.under90Days++;
    else byAge.older++;
  }
  const byOwner = [...owners.values()].sort((a, b) => b.open - a.open || b.oldestDays - a.oldestDays || a.owner.localeCompare(b.owner));
  return { total: open.length, byOwner, byAge };
}

export function overdueTasks(tasks: readonly ReviewTask[], directory: Directory, to: number): OverdueTask[] {
  return tasks
    .filter((t) => AWAITING_STATES.has(t.state) && t.dueAt !== null && Date.parse(t.dueAt) < to)
    .map((t) => ({
      taskId: t.id,
      owner: ownerName(t.ownership.owner, directory),
      subject: findingLabel(t.finding),
      rule: t.finding.rule,
      severity: t.severity,
      dueAt: new Date(Date.parse(t.dueAt!)).toISOString(),
      daysOverdue: ageDays(t.dueAt!, to),
    }))
    .sort((a, b) => b.daysOverdue - a.daysOverdue || SEVERITY_WEIGHT[b.severity] - SEVERITY_WEIGHT[a.severity] || a.taskId.localeCompare(b.taskId));
}

/** The identity a finding is about: an access key counts against its user. */
function identityLabel(t: ReviewTask): string {
  const { subject, account } = t.finding;
  if (subject.type === 'accessKey' && subject.user) {
    const user = `user ${subject.user}`;
    return account ? `${user} in account ${account.name} (${account.id})` : user;
  }
  return findingLabel(t.finding);
}

export function topRisky(tasks: readonly ReviewTask[], limit: number): RiskyIdentity[] {
  const rows = new Map<string, RiskyIdentity>();
  for (const t of tasks) {
    // Present and not accepted: resolved findings are gone, waived ones silenced on purpose.
    if (t.state === 'resolved' || t.state === 'waived') continue;
    const subject = identityLabel(t);
    const row = rows.get(subject) ?? { subject, score: 0, findings: 0, highest: 'info' as Severity };
    row.score += SEVERITY_WEIGHT[t.severity];
    row.findings++;
    if (SEVERITY_WEIGHT[t.severity] > SEVERITY_WEIGHT[row.highest]) row.highest = t.severity;
    rows.set(subject, row);
  }
  return [...rows.values()]
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || b.findings - a.findings || a.subject.localeCompare(b.subject))
    .slice(0, limit);
}

