import { describe, expect, it } from 'vitest';
import { escapeCell, renderMarkdown } from '../../../shared/report/index.js';
import { REPORT } from './fixture.js';

describe('escapeCell', () => {
  it('escapes pipes, links and HTML and keeps a cell on one line', () => {
    expect(escapeCell('a | b')).toBe('a \\| b');
    expect(escapeCell('x\ny\r\nz')).toBe('x<br>y<br>z');
    expect(escapeCell('[click](http://evil) <b>')).toBe('\\[click\\](http://evil) \\<b\\>');
  });
});

describe('renderMarkdown', () => {
  const text = renderMarkdown(REPORT);
  const lines = text.split('\n');

  it('has a heading with alias and id, and a summary line', () => {
    expect(lines[0]).toBe('# ramparts access review: prod-main (1234567890123456)');
    expect(text).toContain('Scanned 2024-12-03 10:00 UTC · mode credential-report · 120 users · 12 rules · 43 API calls · 4.2 s');
    expect(text).toContain('**4 findings: 1 critical, 1 high, 1 medium, 1 low** · 1 suppressed');
  });

  it('warns about a partial scan with its reasons', () => {
    expect(text).toContain('> **Partial scan.**');
    expect(text).toContain('> - accessKeys: ListAccessKeys failed for 2 users (Throttling.User)');
  });

  it('groups findings by severity, highest first', () => {
    const headings = lines.filter((line) => line.startsWith('## '));
    expect(headings).toEqual(['## Critical (1)', '## High (1)', '## Medium (1)', '## Low (1)', '## Suppressed (1)']);
  });

  it('writes one escaped table row per finding', () => {
    expect(lines).toContain(
      '| high | fail | ram.access-key-stale | accessKey LTAI5tBuildAgent7Q2 (build-agent) | active, 412 days old, last used yesterday | set access key LTAI5tBuildAgent7Q2 of build-agent Inactive (reversible) |',
    );
    expect(lines).toContain(
      '| medium | fail | ram.user-mfa-missing | user ops-wu | console \\| no MFA<br>last logon 2 days ago<br>via user:ops-wu → group:ops\\|admins | require ops-wu to bind MFA |',
    );
    expect(lines).toContain('| critical | unknown (partial) | ram.root-access-key | account root | root access keys could not be listed | delete the root access keys |');
    const rows = lines.filter((line) => line.startsWith('| ') && !line.startsWith('| Severity') && !line.startsWith('| Rule'));
    for (const row of rows) expect(row.split(/(?<!\\)\|/).length, row).toBeGreaterThanOrEqual(4);
  });

  it('says so when there are no findings', () => {
    const empty = renderMarkdown({ ...REPORT, findings: [], suppressed: [], partial: false, partialReasons: [] });
    expect(empty).toContain('**No findings** · 0 suppressed');
    expect(empty).not.toContain('## ');
    expect(empty).not.toContain('Partial scan');
  });
});
