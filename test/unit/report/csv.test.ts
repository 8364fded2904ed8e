import { describe, expect, it } from 'vitest';
import { csvCell, renderCsv } from '../../../shared/report/index.js';
import { REPORT } from './fixture.js';

describe('csvCell', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=SUM(A1)', "'=SUM(A1)"],
    ['+1', "'+1"],
    ['-1', "'-1"],
    ['@cmd', "'@cmd"],
    ['=HYPERLINK("x",1)', `"'=HYPERLINK(""x"",1)"`],
  ])('%j → %s', (input, output) => {
    expect(csvCell(input)).toBe(output);
  });
});

describe('renderCsv', () => {
  const lines = renderCsv(REPORT).split('\r\n');

  it('starts with the documented header and ends with CRLF', () => {
    expect(lines[0]).toBe('severity,status,rule,title,subject_type,subject_id,subject_name,subject_user,evidence,remediation,fingerprint,partial');
    expect(lines.at(-1)).toBe('');
  });

  it('writes one row per finding, highest severity first, quoting and guarding cells', () => {
    expect(lines[1]).toMatch(/^critical,unknown,ram\.root-access-key,Root account has access keys,account,1234567890123456,root,,/);
    expect(lines[1]).toMatch(/,true$/);
    expect(lines[2]).toMatch(/^high,fail,ram\.access-key-stale,.*,accessKey,LTAI5tBuildAgent7Q2,LTAI5tBuildAgent7Q2,build-agent,/);
    expect(lines[3]).toContain('"Console user without MFA, ""high risk"", review"');
    expect(lines[3]).toContain('"console | no MFA\nlast logon 2 days ago"');
    expect(lines[4]).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",'-review manually,`);
    expect(lines).toHaveLength(6);
  });
});
