import { describe, expect, it } from 'vitest';
import { renderJson } from '../../../shared/report/index.js';
import { REPORT } from './fixture.js';

describe('renderJson', () => {
  const text = renderJson(REPORT);
  const parsed = JSON.parse(text) as Record<string, unknown> & { findings: Array<Record<string, unknown>>; stats: Record<string, unknown> };

  it('is pretty-printed with two spaces and a trailing newline', () => {
    expect(text.startsWith('{\n  "account": {\n    "id": "1234567890123456",\n    "alias": "prod-main"\n  },\n')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('has exactly the documented keys, in order', () => {
    expect(Object.keys(parsed)).toEqual(['account', 'scannedAt', 'partial', 'partialReasons', 'findings', 'suppressed', 'stats']);
    expect(parsed.findings.map((f) => Object.keys(f))).toEqual(
      Array(4).fill(['rule', 'status', 'severity', 'title', 'subject', 'evidence', 'remediation', 'fingerprint', 'partial']),
    );
    expect(Object.keys(parsed.stats)).toEqual(['apiCalls', 'totalApiCalls', 'users', 'durationMs', 'rulesRun']);
    expect(Object.keys(parsed.stats.apiCalls as object)).toEqual(['GetCredentialReport', 'ListAccessKeys', 'ListUsers']);
  });

  it('includes subject.user only for access keys and keeps the plan', () => {
    const key = parsed.findings.find((f) => f.rule === 'ram.access-key-stale');
    expect(key?.subject).toEqual({ type: 'accessKey', id: 'LTAI5tBuildAgent7Q2', name: 'LTAI5tBuildAgent7Q2', user: 'build-agent' });
    expect(key?.remediation).toMatchObject({ plan: { steps: [{ action: 'deactivate-access-key' }] } });
    expect(parsed.findings.find((f) => f.rule === 'ram.user-mfa-missing')?.subject).toEqual({ type: 'user', id: '2001', name: 'ops-wu' });
  });

  it('never prints a value named secret', () => {
    expect(text).not.toContain('must-not-print');
    expect(text).toContain('"accessKeySecret": "[redacted]"');
  });

  it('keeps findings in report order', () => {
    expect(parsed.findings.map((f) => f.rule)).toEqual(REPORT.findings.map((f) => f.rule));
  });
});
