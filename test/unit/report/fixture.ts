/** A small fixed scan report covering every status, a partial finding and hostile cell text. */
import { fingerprint, type Finding, type Subject } from '../../../shared/domain/finding.js';
import { plans } from '../../../shared/domain/remediation.js';
import type { ScanReport } from '../../../shared/report/index.js';

const key: Subject = { type: 'accessKey', id: 'LTAI5tBuildAgent7Q2', name: 'LTAI5tBuildAgent7Q2', user: 'build-agent' };
const opsWu: Subject = { type: 'user', id: '2001', name: 'ops-wu' };
const root: Subject = { type: 'account', id: '1234567890123456', name: 'root' };
const legacy: Subject = { type: 'user', id: '2002', name: 'svc-legacy-etl' };

export const staleKey: Finding = {
  rule: 'ram.access-key-stale',
  status: 'fail',
  severity: 'high',
  title: 'Access key older than 90 days',
  subject: key,
  evidence: { summary: 'active, 412 days old, last used yesterday', ageDays: 412, accessKeySecret: 'must-not-print' },
  remediation: { summary: 'set access key LTAI5tBuildAgent7Q2 of build-agent Inactive (reversible)', plan: plans.deactivateAccessKey('build-agent', 'LTAI5tBuildAgent7Q2') },
  fingerprint: fingerprint('ram.access-key-stale', key),
  partial: false,
};

export const noMfa: Finding = {
  rule: 'ram.user-mfa-missing',
  status: 'fail',
  severity: 'medium',
  title: 'Console user without MFA, "high risk", review',
  subject: opsWu,
  evidence: { summary: 'console | no MFA\nlast logon 2 days ago', path: ['user:ops-wu', 'group:ops|admins'] },
  remediation: { summary: 'require ops-wu to bind MFA', plan: plans.requireMfa('ops-wu') },
  fingerprint: fingerprint('ram.user-mfa-missing', opsWu),
  partial: false,
};

export const rootKey: Finding = {
  rule: 'ram.root-access-key',
  status: 'unknown',
  severity: 'critical',
  title: 'Root account has access keys',
  subject: root,
  evidence: { summary: 'root access keys could not be listed' },
  remediation: { summary: 'delete the root access keys', plan: null },
  fingerprint: fingerprint('ram.root-access-key', root),
  partial: true,
};

export const formula: Finding = {
  rule: 'ram.user-console-inactive',
  status: 'error',
  severity: 'low',
  title: 'Rule failed',
  subject: legacy,
  evidence: { summary: '=HYPERLINK("http://evil","x")' },
  remediation: { summary: '-review manually', plan: null },
  fingerprint: fingerprint('ram.user-console-inactive', legacy),
  partial: false,
};

export const REPORT: ScanReport = {
  account: { id: '1234567890123456', alias: 'prod-main' },
  scannedAt: '2024-12-03T10:00:00.000Z',
  partial: true,
  partialReasons: ['accessKeys: ListAccessKeys failed for 2 users (Throttling.User)'],
  mode: 'credential-report',
  findings: [formula, noMfa, staleKey, rootKey],
  suppressed: [{ rule: 'ram.access-key-stale', subject: legacy, reason: 'legacy ETL, SEC-1234', fingerprint: fingerprint('ram.access-key-stale', legacy) }],
  stats: { apiCalls: { ListUsers: 2, GetCredentialReport: 1, ListAccessKeys: 40 }, totalApiCalls: 43, users: 120, durationMs: 4210, rulesRun: 12 },
};
