import { describe, expect, it } from 'vitest';
import { activityLine, activityWarnings, renderJson, renderMarkdown, renderTable, type ScanActivity, type ScanReport } from '../../../shared/report/index.js';
import { REPORT } from './fixture.js';

const AT = '2024-12-03T10:00:00.000Z';
const FULL: ScanActivity = {
  source: 'actiontrail',
  coverage: { from: '2024-09-04T10:00:00.000Z', to: AT },
  events: 1234,
  lookbackDays: 90,
  read: {
    source: 'actiontrail',
    window: { from: '2024-12-02T10:00:00.000Z', to: AT },
    regions: ['cn-shanghai', 'cn-hangzhou'],
    pages: 2,
    added: 57,
    duplicates: 1,
    skipped: 0,
  },
};
const report = (activity: ScanActivity | undefined): ScanReport => ({ ...REPORT, partial: false, partialReasons: [], activity });
const table = (activity: ScanActivity | undefined) => renderTable(report(activity), { color: false, width: 400 }).split('\n');

describe('activity summary', () => {
  it('is one line: source, coverage window, events and what this scan added', () => {
    expect(activityLine(FULL)).toBe('activity: actiontrail · 2024-09-04 10:00 UTC → 2024-12-03 10:00 UTC · 1234 events (57 new)');
    expect(activityLine({ ...FULL, coverage: null, events: 1, read: null })).toBe('activity: actiontrail · no coverage · 1 event');
    expect(activityLine({ source: 'none', coverage: null, events: 0, lookbackDays: 90, read: null })).toBe(
      'activity: none (activity.source is none; usage-based rules report unknown)',
    );
  });

  it('warns when the read failed, coverage is short of the lookback or missing, and passes refresh warnings on', () => {
    expect(activityWarnings(FULL, AT)).toEqual([]);
    const failed = { ...FULL, read: null, error: 'actiontrail read failed: Throttling.User', coverage: { from: FULL.coverage!.from, to: '2024-11-20T10:00:00.000Z' } };
    expect(activityWarnings(failed, AT)).toEqual([
      'activity read failed, the previous usage index was used: actiontrail read failed: Throttling.User',
      'activity covers 77 days up to 2024-11-20 10:00 UTC, short of the 90-day lookback: usage-based rules may report unknown',
    ]);
    const young = { ...FULL, coverage: { from: '2024-11-03T10:00:00.000Z', to: AT } };
    expect(activityWarnings(young, AT)).toEqual([expect.stringMatching(/^activity covers 30 days up to .*short of the 90-day lookback/)]);
    expect(activityWarnings({ ...FULL, coverage: null }, AT)).toEqual(['no activity coverage: usage-based rules report unknown']);
    expect(activityWarnings({ ...FULL, warnings: ['the saved usage index is corrupt and was rebuilt from the source'] }, AT)).toEqual([
      'the saved usage index is corrupt and was rebuilt from the source',
    ]);
    expect(activityWarnings({ source: 'none', coverage: null, events: 0, lookbackDays: 90, read: null }, AT)).toEqual([]);
  });

  it('adds one line to the terminal view (and warnings only when there are some), none without activity', () => {
    const without = table(undefined);
    const withActivity = table(FULL);
    expect(withActivity.filter((l) => !without.includes(l))).toEqual([activityLine(FULL)]);
    expect(withActivity[1]).toBe(activityLine(FULL));
    const failed = table({ ...FULL, read: null, error: 'actiontrail read failed: boom' });
    expect(failed).toContain('⚠ activity read failed, the previous usage index was used: actiontrail read failed: boom');
  });

  it('adds the line and warnings to Markdown', () => {
    const md = renderMarkdown(report({ ...FULL, error: 'read failed: x|y' }));
    expect(md).toContain('\nActivity: actiontrail · 2024-09-04 10:00 UTC → 2024-12-03 10:00 UTC · 1234 events (57 new)\n');
    expect(md).toContain('> **Activity:** activity read failed, the previous usage index was used: read failed: x\\|y');
    expect(renderMarkdown(report(undefined))).not.toContain('ctivity');
  });

  it('adds an activity object to the JSON contract, after stats, keys in order', () => {
    const json = JSON.parse(renderJson(report({ ...FULL, error: 'e' }))) as Record<string, Record<string, unknown>>;
    expect(Object.keys(json)).toEqual(['account', 'scannedAt', 'partial', 'partialReasons', 'findings', 'suppressed', 'stats', 'activity']);
    expect(Object.keys(json.activity!)).toEqual(['source', 'coverage', 'events', 'lookbackDays', 'read', 'error', 'warnings']);
    expect(json.activity!.read).toEqual(FULL.read);
    expect(Object.keys(JSON.parse(renderJson(report(undefined))) as object)).not.toContain('activity');
  });
});
