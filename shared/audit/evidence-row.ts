/**
 * One evidence row: a review task's story — the owner's answer, the attestation, the revocation
 * request and its approvers, the plan as executed and verified, the rollback — read from its
 * decisions, its plan executions and its `revocation.requested` ledger entries (a revocation the
 * deadline requested has no decision). See evidence.ts for which tasks get a row.
 */
import type { Directory } from '../people/types.js';
import type { Decision, ReviewTask } from '../review/types.js';
import { subjectLabel } from '../review/status.js';
import { getRule } from '../rules/registry.js';
import type { AuditEntry, PlanExecution, StepRecord, Waiver } from '../store/port.js';
import { controlsFor } from './evidence-controls.js';
import type { EvidenceApproval, EvidenceRow } from './evidence.js';

/** What is known about one task, gathered by buildEvidence. */
export interface TaskRecord {
  task: ReviewTask;
  decisions: Decision[];
  executions: PlanExecution[];
  waiver: Waiver | null;
  /** Its `revocation.requested` entries, any time. */
  requests: AuditEntry[];
  /** Its entries within the period. */
  inPeriod: AuditEntry[];
}

interface Request {
  by: string;
  at: string;
  reason: string | null;
}

/** The task's row; person ids are shown with their names where the directory knows them. */
export function evidenceRow(r: TaskRecord, directory: Directory | undefined): EvidenceRow {
  const { task } = r;
  const who = (id: string): string => personLabel(id, directory);
  const approval = (d: Decision): EvidenceApproval => ({ id: d.actor, name: directory?.byId(d.actor)?.name ?? null, at: d.at });
  const h = history(r);
  const exec = r.executions.at(-1) ?? null;
  const plan = exec?.plan ?? (h.revocation ? task.finding.remediation.plan : null);
  const rule = getRule(task.finding.rule);
  const last = r.inPeriod.at(-1) ?? null;
  const owner = task.ownership.owner;
  return {
    taskId: task.id,
    fingerprint: task.fingerprint,
    rule: task.finding.rule,
    ruleTitle: rule?.title ?? task.finding.title,
    severity: task.severity,
    account: task.finding.account ? `${task.finding.account.name} (${task.finding.account.id})` : '',
    subject: subjectLabel(task.finding.subject),
    findingSummary: `${task.finding.title}: ${task.finding.evidence.summary}`,
    owner: owner.kind === 'person' ? who(owner.id) : `group:${owner.name}`,
    ownerSource: task.ownership.source,
    state: task.state,
    openedAt: task.createdAt,
    ownerDecision: h.owner?.action ?? null,
    ownerDecisionBy: h.owner ? who(h.owner.actor) : null,
    ownerDecisionReason: h.owner?.reason ?? null,
    ownerDecisionAt: h.owner?.at ?? null,
    attestedBy: h.attest ? who(h.attest.actor) : null,
    attestedAt: h.attest?.at ?? null,
    revocationRequestedBy: h.revocation ? who(h.revocation.by) : null,
    revocationRequestedAt: h.revocation?.at ?? null,
    revocationReason: h.revocation?.reason ?? null,
    approvers: h.approvals.map(approval),
    rejectedRequest: h.reject?.kind ?? null,
    rejectedBy: h.reject ? who(h.reject.d.actor) : null,
    rejectReason: h.reject?.d.reason ?? null,
    rejectedAt: h.reject?.d.at ?? null,
    planSummary: plan?.summary ?? null,
    planSteps: plan?.steps.map((s) => s.action) ?? [],
    executionId: exec?.id ?? null,
    executionMode: exec?.mode ?? null,
    executionState: exec?.state ?? null,
    appliedAt: exec?.mode === 'enforce' ? latest(exec.steps.map((s) => s.doneAt)) : null,
    verification: exec ? exec.plan.steps.map((s, i) => `${i + 1} ${s.action}: ${stepVerdict(exec, exec.steps[i])}`) : [],
    rollbackRequestedBy: h.rollback ? who(h.rollback.by) : null,
    rollbackRequestedAt: h.rollback?.at ?? null,
    rollbackReason: h.rollback?.reason ?? null,
    rollbackApprovers: h.rollbackApprovals.map(approval),
    rolledBackAt: exec ? latest(exec.steps.map((s) => s.rolledBackAt ?? null)) : null,
    waiverReason: r.waiver?.reason ?? null,
    waiverOwner: r.waiver ? who(r.waiver.owner) : null,
    waiverExpiresAt: r.waiver?.expiresAt ?? null,
    controls: controlsFor(rule?.references.cis ?? []),
    ledgerEntries: r.inPeriod.length,
    lastLedgerSeq: last?.seq ?? null,
    lastLedgerHash: last?.hash ?? null,
  };
}

/** "Li Na (li.na)" when the directory knows the id; "ramparts (system)" for the bot itself. */
export function personLabel(id: string, directory: Directory | undefined): string {
  if (id === 'system') return 'ramparts (system)';
  const name = directory?.byId(id)?.name;
  return name ? `${name} (${id})` : id;
}

/**
 * Replays decisions and revocation requests in time order. A new revocation request starts a new
 * cycle (a revocation that drifted is requested and approved again); approvals after a rollback
 * request approve the rollback. At equal times the decision comes first: the owner's `revoke` and
 * its `revocation.requested` entry are one request.
 */
function history(r: TaskRecord): History {
  const events = [
    ...r.decisions.map((d) => ({ at: d.at, order: 0, d, request: null })),
    ...r.requests.map((e) => ({ at: e.at, order: 1, d: null, request: { by: e.actor, at: e.at, reason: typeof e.data['reason'] === 'string' ? e.data['reason'] : null } })),
  ].sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || a.order - b.order);
  const h: History = { owner: null, attest: null, revocation: null, rollback: null, approvals: [], rollbackApprovals: [], reject: null };
  const startRevocation = (req: Request) => Object.assign(h, { revocation: req, approvals: [], rollback: null, rollbackApprovals: [], reject: null });
  for (const { d, request } of events) {
    if (request) {
      if (h.revocation && Date.parse(h.revocation.at) === Date.parse(request.at)) h.revocation.reason ??= request.reason;
      else startRevocation(request);
      continue;
    }
    if (!d) continue;
    switch (d.action) {
      case 'revoke':
        h.owner = d;
        startRevocation({ by: d.actor, at: d.at, reason: d.reason });
        break;
      case 'keep':
      case 'snooze':
      case 'not_mine':
        h.owner = d;
        break;
      case 'attest':
        h.attest = d;
        break;
      case 'rollback':
        h.rollback = { by: d.actor, at: d.at, reason: d.reason };
        h.rollbackApprovals = [];
        // A new request: an earlier rollback's rejection is not this one's.
        if (h.reject?.kind === 'rollback') h.reject = null;
        break;
      case 'approve':
        (h.rollback ? h.rollbackApprovals : h.approvals).push(d);
        break;
      case 'reject':
        h.reject = { kind: h.rollback ? 'rollback' : 'revocation', d };
        break;
      case 'decline':
        break;
    }
  }
  return h;
}

interface History {
  owner: Decision | null;
  attest: Decision | null;
  revocation: Request | null;
  rollback: Request | null;
  approvals: Decision[];
  rollbackApprovals: Decision[];
  reject: { kind: 'revocation' | 'rollback'; d: Decision } | null;
}

/** What one step's record proves: the read-back after the change, or why there is none. */
function stepVerdict(exec: PlanExecution, rec: StepRecord | undefined): string {
  if (!rec) return 'no record';
  const readBack = rec.verified ? ` ${JSON.stringify(rec.verified)}` : '';
  const rollbackError = rec.error && rec.rollbackIntentAt ? `; rollback failed: ${rec.error}` : '';
  switch (rec.status) {
    case 'done':
      return `verified${readBack} at ${rec.doneAt ?? '?'}${rec.note ? ` (${rec.note})` : ''}${rollbackError}`;
    case 'rolled_back':
      return `verified${readBack} at ${rec.doneAt ?? '?'}; rolled back at ${rec.rolledBackAt ?? '?'}`;
    case 'refused':
      return `refused: ${rec.error ?? 'no reason recorded'}`;
    case 'failed':
      return `failed: ${rec.error ?? 'no reason recorded'}`;
    case 'intent':
      return `change started at ${rec.intentAt ?? '?'}, not yet read back`;
    case 'pending':
      if (exec.mode === 'observe' && rec.wouldApply) return `observe mode, not applied (would call ${rec.wouldApply})`;
      return 'not applied';
  }
}

/** The latest of some ISO times, or null. */
function latest(times: Array<string | null | undefined>): string | null {
  let best: string | null = null;
  for (const t of times) if (t && (best === null || Date.parse(t) > Date.parse(best))) best = t;
  return best;
}
