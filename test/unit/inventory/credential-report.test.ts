import { describe, expect, it } from 'vitest';
import { parseCredentialReport, ROOT_ROW } from '../../../shared/inventory/credential-report.js';

const HEADER =
  'user,user_creation_time,user_last_logon,password_exist,password_active,password_last_changed,password_next_rotation,mfa_active,' +
  'access_key_1_exist,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used,' +
  'access_key_2_exist,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used,' +
  'additional_access_key_1_exist,additional_access_key_1_active,additional_access_key_1_last_rotated,additional_access_key_1_last_used';

describe('parseCredentialReport', () => {
  it('parses the root row, users, N/A and "-" as null, booleans, and key slots', () => {
    const csv = [
      HEADER,
      '<root>,2019-01-01T00:00:00Z,2026-11-20T08:00:00Z,TRUE,TRUE,N/A,N/A,FALSE,TRUE,TRUE,2020-01-01T00:00:00Z,2026-11-25T00:00:00Z,FALSE,N/A,N/A,N/A,FALSE,N/A,N/A,N/A',
      'alice@corp.onaliyun.com,2024-01-01T00:00:00Z,-,TRUE,FALSE,2024-02-01T00:00:00Z,N/A,TRUE,FALSE,N/A,N/A,N/A,FALSE,N/A,N/A,N/A,FALSE,N/A,N/A,N/A',
      'svc@corp.onaliyun.com,2023-01-01T00:00:00Z,N/A,FALSE,N/A,N/A,N/A,FALSE,TRUE,TRUE,2023-01-02T00:00:00Z,-,TRUE,FALSE,2023-05-01T00:00:00Z,2023-06-01T00:00:00Z,FALSE,N/A,N/A,N/A',
    ].join('\n');
    const rows = parseCredentialReport([csv]);
    expect(rows.map((r) => r.user)).toEqual([ROOT_ROW, 'alice@corp.onaliyun.com', 'svc@corp.onaliyun.com']);
    const [root, alice, svc] = rows;
    expect(root).toMatchObject({ userLastLogon: '2026-11-20T08:00:00Z', mfaActive: false });
    expect(root!.accessKeys).toEqual([{ slot: 'access_key_1', active: true, lastRotated: '2020-01-01T00:00:00Z', lastUsed: '2026-11-25T00:00:00Z' }]);
    expect(alice).toMatchObject({ userLastLogon: null, passwordExist: true, passwordActive: false, mfaActive: true, accessKeys: [] });
    expect(svc!.passwordExist).toBe(false);
    expect(svc!.passwordActive).toBeNull();
    expect(svc!.accessKeys).toEqual([
      { slot: 'access_key_1', active: true, lastRotated: '2023-01-02T00:00:00Z', lastUsed: null },
      { slot: 'access_key_2', active: false, lastRotated: '2023-05-01T00:00:00Z', lastUsed: '2023-06-01T00:00:00Z' },
    ]);
  });

  it('reads columns by header name, whatever their order, across pages that repeat the header', () => {
    const reordered = 'mfa_active,user,password_exist\n';
    const rows = parseCredentialReport([`${reordered}TRUE,a@x.onaliyun.com,FALSE\n`, `${reordered}FALSE,b@x.onaliyun.com,TRUE\n`]);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ user: 'a@x.onaliyun.com', mfaActive: true, passwordExist: false, userLastLogon: null });
    expect(rows[1]).toMatchObject({ user: 'b@x.onaliyun.com', mfaActive: false, passwordExist: true });
  });

  it('continues a page without a header using the previous page header', () => {
    const rows = parseCredentialReport([`user,mfa_active\na@x,TRUE\n`, `b@x,FALSE\n`]);
    expect(rows.map((r) => [r.user, r.mfaActive])).toEqual([
      ['a@x', true],
      ['b@x', false],
    ]);
  });

  it('rejects content that is not a credential report', () => {
    expect(() => parseCredentialReport(['name,age\nbob,3\n'])).toThrow(/no header line/);
  });
});
