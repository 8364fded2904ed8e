import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { buildEvidence, EVIDENCE_CONTROLS, type EvidenceReport, type EvidenceRow } from '../../../shared/audit/evidence.js';
import { EVIDENCE_CSV_COLUMNS, renderEvidenceCsv, renderEvidenceJson } from '../../../shared/audit/evidence-render.js';
import { GENESIS_HASH } from '../../../shared/audit/hash.js';
import { createStore, type SqlStore } from '../../../shared/store/index.js';
import type { AuditEntry } from '../../../shared/store/port.js';
import { resetStore, tamper } from '../../contract/store-fixtures.js';
import { directory, fillStore, FROM, IN_PERIOD, KEEP_REASON, NOW, REJECT_REASON, TO } from './evidence-fixtures.js';

let store: SqlStore;
beforeAll(async () => {
  store = await createStore({ memory: true });
  await store.migrate();
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  await resetStore(store);
  await fillStore(store);
});

const SOC_ISO = ['SOC 2 CC6.2', 'SOC 2 CC6.3', 'ISO/IEC 27001:2022 A.5.18'];
const cis = (id: string) => `CIS Alibaba Cloud Foundations Benchmark v2.0 ${id}`;

async function ledger(): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for await (const e of store.readAudit()) out.push(e);
  return out;
}

const evidence = () => buildEvidence(store, { from: FROM, to: TO, now: NOW, directory, account: { id: '1234567890123456', alias: 'corp-prod' } });

function row(report: EvidenceReport, id: string): EvidenceRow {
  const r = report.rows.find((x) => x.taskId === id);
  if (!r) throw new Error(`no row ${id}`);
  return r;
}

describe('buildEvidence', () => {
  it('has one row per task with activity in the period (ledger, decision or execution), ordered by when it was opened', async () => {
    const report = await evidence();
    expect(report.rows.map((r) => r.taskId)).toEqual([...IN_PERIOD]);
    expect(report.period).toEqual({ from: '2026-06-01T00:00:00.000Z', to: '2026-06-30T23:59:59.999Z' });
    expect(report.generatedAt).toBe(NOW.toISOString());
    expect(report.account).toEqual({ id: '1234567890123456', alias: 'corp-prod' });
    expect(report.counts).toEqual({
      rows: 5,
      byState: { kept: 1, snoozed: 1, applied: 1, rolled_back: 1, rejected: 1 },
      decisionsByAction: { snooze: 1, keep: 1, attest: 1, revoke: 2, approve: 4, rollback: 1, reject: 1 },
    });
  });

  it('records the head of the verified ledger, and per row its entries of the period', async () => {
    const report = await evidence();
    const all = await ledger();
    const last = all.at(-1);
    expect(report.ledger).toEqual({ verified: true, headSeq: last?.seq, headHash: last?.hash, entries: all.length, problem: null });
    const kept = all.filter((e) => e.subject === 'kept');
    expect(row(report, 'kept')).toMatchObject({ ledgerEntries: 3, lastLedgerSeq: kept.at(-1)?.seq, lastLedgerHash: kept.at(-1)?.hash });
    // Opened in May (its ledger entry is outside the period); only its decision is in June.
    expect(row(report, 'late-decision')).toMatchObject({ ledgerEntries: 0, lastLedgerSeq: null, lastLedgerHash: null, ownerDecision: 'snooze' });
  });

  it('a kept task: the owner, the reason, the attestation and the controls with its rule\'s CIS id', async () => {
    expect(row(await evidence(), 'kept')).toMatchObject({
      rule: 'ram.access-key-stale',
      ruleTitle: 'Access key not rotated',
      severity: 'high',
      subject: 'access key LTAI1 of user-1',
      owner: 'Chen Jie (chen.jie)',
      ownerSource: 'pattern',
      state: 'kept',
      openedAt: '2026-06-02T10:00:00.000Z',
      ownerDecision: 'keep',
      ownerDecisionBy: 'Chen Jie (chen.jie)',
      ownerDecisionReason: KEEP_REASON,
      ownerDecisionAt: '2026-06-03T10:00:00.000Z',
      attestedBy: 'Wang Fang (wang.fang)',
      attestedAt: '2026-06-04T10:00:00.000Z',
      approvers: [],
      planSummary: null,
      executionId: null,
      verification: [],
      controls: [...SOC_ISO, cis('1.6')],
    });
  });

  it('an applied revocation: requester, both approvers with times, the plan, when it was applied and the read-back', async () => {
    expect(row(await evidence(), 'applied')).toMatchObject({
      ownerDecision: 'revoke',
      revocationRequestedBy: 'Chen Jie (chen.jie)',
      revocationRequestedAt: '2026-06-05T10:00:00.000Z',
      revocationReason: 'left the team',
      approvers: [
        { id: 'wang.fang', name: 'Wang Fang', at: '2026-06-06T10:00:00.000Z' },
        { id: 'li.na', name: 'Li Na', at: '2026-06-06T11:00:00.000Z' },
      ],
      planSummary: 'require user-2 to bind MFA at next console logon (MFABindRequired=true; reversible)',
      planSteps: ['require-mfa'],
      executionId: 'exec-applied',
      executionMode: 'enforce',
      executionState: 'applied',
      appliedAt: '2026-06-07T10:00:00.000Z',
      verification: ['1 require-mfa: verified {"mfaBindRequired":true} at 2026-06-07T10:00:00.000Z'],
      rollbackRequestedBy: null,
      rollbackApprovers: [],
      rejectedBy: null,
      controls: [...SOC_ISO, cis('1.4')],
    });
  });

  it('a rollback: the deadline\'s request, its approval, then the rollback request and the approval given after it', async () => {
    expect(row(await evidence(), 'rolled-back')).toMatchObject({
      ownerDecision: null,
      revocationRequestedBy: 'ramparts (system)',
      revocationReason: 'no decision by the deadline (2026-06-08)',
      approvers: [{ id: 'wang.fang', at: '2026-06-09T10:00:00.000Z' }],
      executionState: 'rolled_back',
      appliedAt: '2026-06-10T10:00:00.000Z',
      verification: ['1 detach-policy: verified {"attached":false} at 2026-06-10T10:00:00.000Z; rolled back at 2026-06-12T10:00:00.000Z'],
      rollbackRequestedBy: 'Chen Jie (chen.jie)',
      rollbackRequestedAt: '2026-06-11T10:00:00.000Z',
      rollbackReason: 'broke the deploys',
      rollbackApprovers: [{ id: 'li.na', name: 'Li Na', at: '2026-06-11T12:00:00.000Z' }],
      rolledBackAt: '2026-06-12T10:00:00.000Z',
      controls: [...SOC_ISO, cis('1.15')],
    });
  });

  it('a rejected revocation: who rejected it and why; the proposed plan, never executed', async () => {
    expect(row(await evidence(), 'rejected')).toMatchObject({
      rejectedRequest: 'revocation',
      rejectedBy: 'Wang Fang (wang.fang)',
      rejectReason: REJECT_REASON,
      rejectedAt: '2026-06-16T10:00:00.000Z',
      approvers: [],
      planSteps: ['require-mfa'],
      executionId: null,
      appliedAt: null,
    });
  });

  it('lists every control it cites, with a description', async () => {
    const report = await evidence();
    const ids = report.controls.map((c) => c.id);
    expect(ids).toEqual([...SOC_ISO, cis('1.4'), cis('1.6'), cis('1.15')]);
    expect(report.controls.slice(0, 3)).toEqual(EVIDENCE_CONTROLS);
    for (const c of report.controls) expect(c.description.length).toBeGreaterThan(20);
    for (const r of report.rows) for (const id of r.controls) expect(ids).toContain(id);
  });

  it('an empty period: no rows, still the ledger head', async () => {
    const report = await buildEvidence(store, { from: new Date('2025-01-01T00:00:00Z'), to: new Date('2025-12-31T23:59:59Z'), now: NOW });
    expect(report.rows).toEqual([]);
    expect(report.ledger.verified).toBe(true);
    expect(report.ledger.headSeq).toBe((await ledger()).length);
    await resetStore(store);
    expect((await buildEvidence(store, { from: FROM, to: TO, now: NOW })).ledger).toEqual({ verified: true, headSeq: 0, headHash: GENESIS_HASH, entries: 0, problem: null });
  });

  it('a tampered ledger is still exported, marked as not verified with the first bad entry', async () => {
    await tamper(store, ["UPDATE audit_ledger SET actor = 'mallory' WHERE seq = 3"]);
    const report = await evidence();
    expect(report.rows.map((r) => r.taskId)).toEqual([...IN_PERIOD]);
    expect(report.ledger).toMatchObject({ verified: false, problem: { seq: 3, kind: 'edited' } });
    expect(report.ledger.headSeq).toBe((await ledger()).length);
  });
});

describe('rendering', () => {
  const csvRows = (text: string): string[][] => parse(text, { relax_column_count: false }) as string[][];

  it('CSV: a header, one row per task, parsing back to the same values (commas, quotes, line breaks)', async () => {
    const report = await evidence();
    const text = renderEvidenceCsv(report);
    expect(text.endsWith('\r\n')).toBe(true);
    const [header, ...rows] = csvRows(text);
    expect(header).toEqual([...EVIDENCE_CSV_COLUMNS]);
    expect(rows).toHaveLength(report.rows.length);
    const records = rows.map((cells) => Object.fromEntries(cells.map((c, i) => [header?.[i], c])));
    const byId = (id: string) => records.find((r) => r['taskId'] === id);
    expect(records.map((r) => r['taskId'])).toEqual([...IN_PERIOD]);
    expect(byId('kept')).toMatchObject({
      ownerDecisionReason: KEEP_REASON,
      attestedBy: 'Wang Fang (wang.fang)',
      approvers: '',
      controls: [...SOC_ISO, cis('1.6')].join('; '),
      ledgerEntries: '3',
      ledgerHeadSeq: String(report.ledger.headSeq),
      ledgerHeadHash: report.ledger.headHash,
      ledgerVerified: 'true',
      ledgerProblem: '',
      periodFrom: '2026-06-01T00:00:00.000Z',
      periodTo: '2026-06-30T23:59:59.999Z',
    });
    expect(byId('applied')).toMatchObject({
      approvers: 'Wang Fang (wang.fang) at 2026-06-06T10:00:00.000Z; Li Na (li.na) at 2026-06-06T11:00:00.000Z',
      planSteps: 'require-mfa',
      verification: '1 require-mfa: verified {"mfaBindRequired":true} at 2026-06-07T10:00:00.000Z',
    });
    expect(byId('rejected')).toMatchObject({ rejectReason: REJECT_REASON });
    for (const r of records) expect(r['ledgerHeadHash']).toBe(report.ledger.headHash);
  });

  it('CSV columns cover every row field, in the documented order', async () => {
    const report = await evidence();
    const fields = Object.keys(report.rows[0] ?? {});
    expect(EVIDENCE_CSV_COLUMNS.slice(0, fields.length)).toEqual(fields);
  });

  it('JSON: the whole report, parseable, with the ledger head', async () => {
    const report = await evidence();
    const doc = JSON.parse(renderEvidenceJson(report)) as Record<string, unknown>;
    expect(doc).toEqual({ kind: 'ramparts.evidence', version: 1, ...JSON.parse(JSON.stringify(report)) });
    expect(doc['warning']).toBeUndefined();
    expect(doc['ledger']).toMatchObject({ verified: true, headHash: report.ledger.headHash });
  });

  it('a tampered ledger is loud in both formats', async () => {
    await tamper(store, ["UPDATE audit_ledger SET data = '{\"x\": 1}' WHERE seq = 2"]);
    const report = await evidence();
    const doc = JSON.parse(renderEvidenceJson(report)) as Record<string, unknown>;
    expect(Object.keys(doc).slice(0, 3)).toEqual(['kind', 'version', 'warning']);
    expect(doc['warning']).toMatch(/^AUDIT LEDGER DID NOT VERIFY at entry 2: edited/);
    const [header, ...rows] = csvRows(renderEvidenceCsv(report));
    const verified = header?.indexOf('ledgerVerified') ?? -1;
    for (const cells of rows) {
      expect(cells[verified]).toBe('false');
      expect(cells[verified + 1]).toMatch(/DID NOT VERIFY at entry 2/);
    }
  });
});
