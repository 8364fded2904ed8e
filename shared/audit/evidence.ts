/**
 * Audit evidence of the access reviews in a period (`ramparts evidence`): one row per review task
 * with any activity in [from, to] — a ledger entry about it, a decision, a plan execution created or
 * updated, or the task opened — sorted by when the task was opened. Each row tells the task's whole
 * story as of `now` (so a rollback after the period still shows) and is mapped to the controls it
 * evidences (evidence-controls.ts); its ledger columns count only the period's entries.
 *
 * The ledger is verified first (verify-store.ts) and its head (seq + hash) goes into the report,
 * so an auditor can later check that the chain still ends there. A ledger that does not verify is
 * still exported, with `ledger.verified: false` and the problem; the renderers make that loud and
 * the CLI exits non-zero. Renderers: evidence-render.ts.
 */
import type { Directory } from '../people/types.js';
import { ALL_RULES } from '../rules/registry.js';
import type { AuditEntry, Store } from '../store/port.js';
import { CIS_BENCHMARK, cisControlId, EVIDENCE_CONTROLS, type EvidenceControl } from './evidence-controls.js';
import { evidenceRow, type TaskRecord } from './evidence-row.js';
import { GENESIS_HASH } from './hash.js';
import type { LedgerProblem } from './verify.js';
import { verifyStore } from './verify-store.js';

export { EVIDENCE_CONTROLS, type EvidenceControl } from './evidence-controls.js';

/** An approval of a request: person id, display name (when the directory knows it), time. */
export interface EvidenceApproval {
  id: string;
  name: string | null;
  at: string;
}

/** One review task in the period. Person fields read "Name (id)" when the directory knows the id. */
export interface EvidenceRow {
  taskId: string;
  fingerprint: string;
  rule: string;
  ruleTitle: string;
  severity: string;
  /** The member account (`name (id)`) in a multi-account deployment; empty for the deployment's own account. */
  account: string;
  subject: string;
  findingSummary: string;
  owner: string;
  ownerSource: string;
  /** The task's state when the evidence was generated. */
  state: string;
  openedAt: string;
  /** The last keep / revoke / snooze / not_mine answer. */
  ownerDecision: string | null;
  ownerDecisionBy: string | null;
  ownerDecisionReason: string | null;
  ownerDecisionAt: string | null;
  attestedBy: string | null;
  attestedAt: string | null;
  /** The latest revocation request: the owner's revoke, or "ramparts (system)" at the deadline. */
  revocationRequestedBy: string | null;
  revocationRequestedAt: string | null;
  revocationReason: string | null;
  /** Approvals of the latest revocation request. */
  approvers: EvidenceApproval[];
  rejectedRequest: 'revocation' | 'rollback' | null;
  rejectedBy: string | null;
  rejectReason: string | null;
  rejectedAt: string | null;
  planSummary: string | null;
  planSteps: string[];
  /** The latest plan execution (an earlier one may have ended in drift). */
  executionId: string | null;
  executionMode: string | null;
  executionState: string | null;
  /** When the last step was applied and read back (enforce mode). */
  appliedAt: string | null;
  /** Per plan step, what the read-back after the change showed. */
  verification: string[];
  rollbackRequestedBy: string | null;
  rollbackRequestedAt: string | null;
  rollbackReason: string | null;
  rollbackApprovers: EvidenceApproval[];
  rolledBackAt: string | null;
  waiverReason: string | null;
  waiverOwner: string | null;
  waiverExpiresAt: string | null;
  /** Control ids (see EVIDENCE_CONTROLS). */
  controls: string[];
  /** Ledger entries about this task within the period, and the last of them. */
  ledgerEntries: number;
  lastLedgerSeq: number | null;
  lastLedgerHash: string | null;
}

/** The ledger as exported: its head, how many entries, and whether the hash chain verified. */
export interface EvidenceLedger {
  verified: boolean;
  /** The last entry (seq 0 and the genesis hash for an empty ledger). */
  headSeq: number;
  headHash: string;
  entries: number;
  /** Why it did not verify: the first bad entry (verify.ts). */
  problem: LedgerProblem | null;
}

export interface EvidenceReport {
  generatedAt: string;
  period: { from: string; to: string };
  account: { id: string; alias: string | null } | null;
  ledger: EvidenceLedger;
  /** The controls the rows cite: the fixed ones, then each CIS recommendation the rows' rules check. */
  controls: EvidenceControl[];
  counts: {
    rows: number;
    /** Rows by the task's state when generated. */
    byState: Record<string, number>;
    /** Decisions recorded within the period on these tasks, by action. */
    decisionsByAction: Record<string, number>;
  };
  rows: EvidenceRow[];
}

export interface EvidenceOptions {
  from: Date;
  to: Date;
  now: Date;
  directory?: Directory;
  account?: { id: string; alias: string | null };
}

/** Builds the evidence of the period; reads the store, never changes it. */
export async function buildEvidence(store: Store, opts: EvidenceOptions): Promise<EvidenceReport> {
  const within = (iso: string) => {
    const t = Date.parse(iso);
    return t >= opts.from.getTime() && t <= opts.to.getTime();
  };
  const { ledger, bySubject } = await readLedger(store, within);
  const records = await store.tx(async (tx) => {
    const out: TaskRecord[] = [];
    for (const task of await tx.listTasks({})) {
      const entries = bySubject.get(task.id);
      const decisions = await tx.listDecisions(task.id);
      const executions = await tx.listExecutions({ taskId: task.id });
      const inPeriod = entries?.inPeriod ?? [];
      const active =
        inPeriod.length > 0 || within(task.createdAt) || decisions.some((d) => within(d.at)) || executions.some((e) => within(e.createdAt) || within(e.updatedAt));
      if (!active) continue;
      out.push({ task, decisions, executions, waiver: await tx.getWaiver(task.fingerprint), requests: entries?.requests ?? [], inPeriod });
    }
    return out;
  });
  records.sort((a, b) => Date.parse(a.task.createdAt) - Date.parse(b.task.createdAt) || (a.task.id < b.task.id ? -1 : a.task.id > b.task.id ? 1 : 0));
  const rows = records.map((r) => evidenceRow(r, opts.directory));
  return {
    generatedAt: opts.now.toISOString(),
    period: { from: opts.from.toISOString(), to: opts.to.toISOString() },
    account: opts.account ?? null,
    ledger,
    controls: [...EVIDENCE_CONTROLS, ...cisControls(new Set(rows.map((r) => r.rule)))],
    counts: {
      rows: rows.length,
      byState: tally(rows.map((r) => r.state)),
      decisionsByAction: tally(records.flatMap((r) => r.decisions.filter((d) => within(d.at)).map((d) => d.action))),
    },
    rows,
  };
}

interface SubjectEntries {
  inPeriod: AuditEntry[];
  requests: AuditEntry[];
}

/**
 * Verifies the chain, then reads it (up to the verified head, so entries appended meanwhile do not
 * make the head and the rows disagree) and files each entry under its subject.
 */
async function readLedger(store: Store, within: (iso: string) => boolean): Promise<{ ledger: EvidenceLedger; bySubject: Map<string, SubjectEntries> }> {
  const verdict = await verifyStore(store);
  const bySubject = new Map<string, SubjectEntries>();
  let last = { seq: 0, hash: GENESIS_HASH };
  let entries = 0;
  for await (const e of store.readAudit()) {
    if (verdict.ok && e.seq > verdict.head.seq) break;
    last = { seq: e.seq, hash: e.hash };
    entries += 1;
    const inPeriod = within(e.at);
    if (!inPeriod && e.action !== 'revocation.requested') continue;
    const s = bySubject.get(e.subject) ?? { inPeriod: [], requests: [] };
    if (inPeriod) s.inPeriod.push(e);
    if (e.action === 'revocation.requested') s.requests.push(e);
    bySubject.set(e.subject, s);
  }
  const head = verdict.ok ? verdict.head : last;
  return {
    ledger: { verified: verdict.ok, headSeq: head.seq, headHash: head.hash, entries, problem: verdict.ok ? null : verdict.problem },
    bySubject,
  };
}

/** The CIS recommendations the rows' rules check, each with the rules that check it. */
function cisControls(rules: Set<string>): EvidenceControl[] {
  const checkedBy = new Map<string, string[]>();
  for (const rule of ALL_RULES) {
    if (!rules.has(rule.id)) continue;
    for (const cis of rule.references.cis) checkedBy.set(cis, [...(checkedBy.get(cis) ?? []), `${rule.id} (${rule.title})`]);
  }
  return [...checkedBy.keys()]
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }))
    .map((cis) => ({ id: cisControlId(cis), framework: CIS_BENCHMARK, description: `Recommendation ${cis}, checked by ${(checkedBy.get(cis) ?? []).join(', ')}.` }));
}

function tally(values: string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
