/**
 * Review use cases against the real store (PGlite in memory, one instance per test file, tables
 * reset between tests; the append-only ledger is read from the test's first seq instead).
 */
import { fingerprint, type Finding, type Subject } from '../../../shared/domain/finding.js';
import { plans } from '../../../shared/domain/remediation.js';
import { createDirectory } from '../../../shared/people/directory.js';
import { resolveOwner } from '../../../shared/people/ownership.js';
import type { Ownership, Person } from '../../../shared/people/types.js';
import type { ScanReport } from '../../../shared/report/types.js';
import type { ReviewDeps } from '../../../shared/review/deps.js';
import { createReviewPolicy } from '../../../shared/review/policy.js';
import { createStore, type SqlStore } from '../../../shared/store/index.js';
import type { AuditEntry } from '../../../shared/store/port.js';
import { RecordingChat } from './recording-chat.js';

/** Tuesday 26 Nov 2024, 10:00 UTC: prompts sent now are "due Tue 3 Dec". */
export const NOW = new Date('2024-11-26T10:00:00Z');

const person = (id: string, patch: Partial<Person> = {}): Person => ({
  id,
  name: id[0]?.toUpperCase() + id.slice(1),
  email: `${id}@example.com`,
  slackUserId: null,
  dingtalkUserId: null,
  manager: null,
  groups: [],
  ...patch,
});

export const directory = createDirectory([
  person('alice', { manager: 'bob' }),
  person('bob'),
  person('carol'),
  person('dave', { manager: 'bob', groups: ['platform'] }),
  person('erin', { manager: 'bob', groups: ['platform'] }),
  person('sec1', { groups: ['security'] }),
  person('sec2', { groups: ['security'] }),
]);

export const policy = createReviewPolicy({ deadlineActions: { 'ram.user-console-without-mfa': 'request-revocation' } });

/** ops-* users belong to alice, build-* identities (keys by their user) to the platform team. */
export function ownership(finding: Finding): Ownership {
  return resolveOwner(finding, {
    owners: [
      { pattern: 'ops-*', owner: 'alice' },
      { pattern: 'build-*', owner: 'group:platform' },
    ],
    directory,
    securityGroup: policy.securityGroup,
  });
}

function make(rule: string, subject: Subject, severity: Finding['severity'], summary: string, plan: Finding['remediation']['plan'] = null): Finding {
  return {
    rule,
    status: 'fail',
    severity,
    title: rule,
    subject,
    evidence: { summary },
    remediation: { summary: 'fix it', plan },
    fingerprint: fingerprint(rule, subject),
    partial: false,
  };
}

const opsWu: Subject = { type: 'user', id: 'u-ops-wu', name: 'ops-wu' };
const opsLi: Subject = { type: 'user', id: 'u-ops-li', name: 'ops-li' };
const buildKey: Subject = { type: 'accessKey', id: 'LTAI5tBuildAgent7Q2', name: 'LTAI5tBuildAgent7Q2', user: 'build-agent' };

/** alice: ops-wu without MFA (medium, rule with request-revocation deadline) and ops-li inactive (low). */
export const noMfa = make('ram.user-console-without-mfa', opsWu, 'medium', 'console access, no MFA', plans.requireMfa('ops-wu'));
export const inactive = make('ram.user-console-inactive', opsLi, 'low', 'no console logon for 200 days', plans.disableConsoleLogin('ops-li', 'ops-li@prod'));
/** platform: a stale build key (high: keeps need attestation). */
export const staleKey = make('ram.access-key-stale', buildKey, 'high', 'active, 412 days old');
/** alice, high: for the attestation path. */
export const opsKey = make('ram.access-key-stale', { type: 'accessKey', id: 'LTAI5tOpsWu000K9', name: 'LTAI5tOpsWu000K9', user: 'ops-wu' }, 'high', 'active, 200 days old');

export function report(findings: Finding[], patch: Partial<ScanReport> = {}): ScanReport {
  return {
    account: { id: '1234567890123456', alias: 'prod-main' },
    scannedAt: NOW.toISOString(),
    partial: false,
    partialReasons: [],
    mode: 'credential-report',
    findings,
    suppressed: [],
    stats: { apiCalls: {}, totalApiCalls: 12, users: 3, durationMs: 1500, rulesRun: 15 },
    ...patch,
  };
}

export interface Harness {
  store: SqlStore;
  chat: RecordingChat;
  clock: { now(): Date; set(d: Date | string): void; advanceHours(h: number): void };
  deps: ReviewDeps;
  /** Ledger entries appended since the last reset. */
  audit(): Promise<AuditEntry[]>;
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function openHarness(): Promise<Harness> {
  const store = await createStore({ memory: true });
  await store.migrate();
  const chat = new RecordingChat();
  let current = NOW;
  const clock = {
    now: () => current,
    set: (d: Date | string) => {
      current = new Date(d);
    },
    advanceHours: (h: number) => {
      current = new Date(current.getTime() + h * 3_600_000);
    },
  };
  let ids = 0;
  const deps: ReviewDeps = {
    store,
    chat,
    directory,
    policy,
    clock,
    tokens: { sign: (taskId, action, recipientId) => `tok|${taskId}|${action}|${recipientId}` },
    ids: () => `id-${(ids += 1)}`,
    account: { id: '1234567890123456', alias: 'prod-main' },
  };
  let fromSeq = 1;
  const readAll = async () => {
    const entries: AuditEntry[] = [];
    for await (const e of store.readAudit(fromSeq)) entries.push(e);
    return entries;
  };
  return {
    store,
    chat,
    clock,
    deps,
    audit: readAll,
    async reset() {
      await store.rawQuery('TRUNCATE scans, findings, decisions, chat_messages, waivers, review_tasks, kv_cache');
      fromSeq = (await store.readAuditHead()).seq + 1;
      chat.clear();
      clock.set(NOW);
    },
    close: () => store.close(),
  };
}
