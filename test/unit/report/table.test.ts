import { describe, expect, it } from 'vitest';
import { renderTable } from '../../../shared/report/index.js';
import { REPORT, staleKey } from './fixture.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/;

describe('renderTable', () => {
  it('renders header, a block per finding and a footer', () => {
    expect(renderTable(REPORT, { color: false, width: 200 })).toMatchInlineSnapshot(`
      "ramparts · prod-main (1234567890123456) · 2024-12-03 10:00 UTC · credential-report
      ⚠ partial scan: some data could not be collected; affected findings propose no changes
        - accessKeys: ListAccessKeys failed for 2 users (Throttling.User)

      CRITICAL  ram.root-access-key  account root [unknown] [partial]
                root access keys could not be listed
                → delete the root access keys

      HIGH      ram.access-key-stale  accessKey LTAI5tBuildAgent7Q2 (build-agent)
                active, 412 days old, last used yesterday
                → set access key LTAI5tBuildAgent7Q2 of build-agent Inactive (reversible)

      MEDIUM    ram.user-mfa-missing  user ops-wu
                console | no MFA last logon 2 days ago
                → require ops-wu to bind MFA

      LOW       ram.user-console-inactive  user svc-legacy-etl [error]
                =HYPERLINK("http://evil","x")
                → -review manually

      4 findings: 1 critical, 1 high, 1 medium, 1 low · 1 suppressed · 43 API calls · 120 users · 12 rules · 4.2 s
      "
    `);
  });

  it('has no ANSI codes without color, and colors severities with it', () => {
    expect(renderTable(REPORT, { color: false, width: 100 })).not.toMatch(ANSI);
    const colored = renderTable(REPORT, { color: true, width: 100 });
    expect(colored).toContain('\u001b[1;31mCRITICAL  \u001b[0m');
    expect(colored).toContain('\u001b[31mHIGH      \u001b[0m');
    expect(colored).toContain('\u001b[33mMEDIUM    \u001b[0m');
    expect(colored).toContain('\u001b[36mLOW       \u001b[0m');
  });

  it('cuts lines to the width, counting visible characters only', () => {
    for (const color of [false, true]) {
      const lines = renderTable(REPORT, { color, width: 40 }).split('\n');
      // eslint-disable-next-line no-control-regex
      const visible = lines.map((line) => Array.from(line.replace(/\u001b\[[0-9;]*m/g, '')).length);
      expect(Math.max(...visible)).toBe(40);
      expect(lines).toContain(color ? '\u001b[1mramparts\u001b[0m · prod-main (1234567890123456)…' : 'ramparts · prod-main (1234567890123456)…');
    }
  });

  it('never prints evidence fields named secret, and neutralises control characters', () => {
    const hostile = { ...staleKey, subject: { ...staleKey.subject, user: 'evil\u001b]0;owned\u0007' } };
    const text = renderTable({ ...REPORT, findings: [hostile] }, { color: false, width: 200 });
    expect(text).not.toContain('must-not-print');
    expect(text).toContain('(evil?]0;owned?)');
  });
});
