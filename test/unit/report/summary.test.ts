import { describe, expect, it } from 'vitest';
import { severityAtLeast, sortFindings } from '../../../shared/report/index.js';
import { formula, noMfa, REPORT, rootKey, staleKey } from './fixture.js';

describe('severityAtLeast', () => {
  it('counts fail and error findings at or above the threshold, never unknown', () => {
    // rootKey is critical but unknown; formula is low with status error.
    expect(severityAtLeast(REPORT.findings, 'critical')).toBe(0);
    expect(severityAtLeast(REPORT.findings, 'high')).toBe(1);
    expect(severityAtLeast(REPORT.findings, 'medium')).toBe(2);
    expect(severityAtLeast(REPORT.findings, 'low')).toBe(3);
    expect(severityAtLeast(REPORT.findings, 'info')).toBe(3);
    expect(severityAtLeast([{ ...rootKey, status: 'fail' }], 'critical')).toBe(1);
  });
});

describe('sortFindings', () => {
  it('orders by severity, highest first, without changing the input', () => {
    const input = [...REPORT.findings];
    expect(sortFindings(input)).toEqual([rootKey, staleKey, noMfa, formula]);
    expect(input).toEqual(REPORT.findings);
  });
});

describe('accountLabel', () => {
  it('prefers the configured display name, then the alias, then the bare id', async () => {
    const { accountLabel } = await import('../../../shared/report/summary.js');
    expect(accountLabel({ id: '1', alias: 'corp', name: 'Production' })).toBe('Production (1)');
    expect(accountLabel({ id: '1', alias: 'corp', name: null })).toBe('corp (1)');
    expect(accountLabel({ id: '1', alias: null })).toBe('1');
  });
});
