import { parse } from 'csv-parse/sync';

/**
 * One row of the IMS credential report (reference §1.9), parsed by header name. `N/A` and `-` become
 * null (steampipe does the same); `TRUE`/`FALSE` become booleans.
 */
export interface CredentialReportRow {
  /** `<root>` for the Alibaba Cloud account, otherwise the UserPrincipalName. */
  user: string;
  userCreationTime: string | null;
  userLastLogon: string | null;
  passwordExist: boolean | null;
  passwordActive: boolean | null;
  passwordLastChanged: string | null;
  mfaActive: boolean | null;
  accessKeys: ReportAccessKey[];
}

export interface ReportAccessKey {
  /** Column prefix: access_key_1, access_key_2, additional_access_key_1, ... */
  slot: string;
  active: boolean | null;
  lastRotated: string | null;
  lastUsed: string | null;
}

export const ROOT_ROW = '<root>';
const KEY_SLOTS = ['access_key_1', 'access_key_2', 'additional_access_key_1', 'additional_access_key_2', 'additional_access_key_3'];

function nullable(v: string | undefined): string | null {
  if (v === undefined) return null;
  const t = v.trim();
  return t === '' || t === 'N/A' || t === '-' ? null : t;
}

function bool(v: string | undefined): boolean | null {
  const t = nullable(v);
  if (t === null) return null;
  if (/^true$/i.test(t)) return true;
  if (/^false$/i.test(t)) return false;
  return null;
}

/** A header line: snake_case column names including `user` (a data row never has a cell "user"). */
function isHeader(record: string[]): boolean {
  return record.includes('user') && record.every((c) => /^[a-z][a-z0-9_]*$/.test(c));
}

/**
 * Parses one or more pages of report CSV. Pages may each repeat the header line (the header is
 * recognised by its first column); rows are keyed by header name so column order does not matter.
 * @throws Error when the header lacks the `user` column (not a credential report).
 */
export function parseCredentialReport(pages: string[]): CredentialReportRow[] {
  const rows: CredentialReportRow[] = [];
  let header: string[] | null = null;
  for (const page of pages) {
    const records = parse(page, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
    for (const record of records) {
      if (isHeader(record)) {
        header = record;
        continue;
      }
      if (!header) throw new Error('credential report has no header line with a "user" column');
      const get = (name: string) => {
        const i = header!.indexOf(name);
        return i >= 0 ? record[i] : undefined;
      };
      const user = nullable(get('user'));
      if (!user) continue;
      const accessKeys: ReportAccessKey[] = [];
      for (const slot of KEY_SLOTS) {
        if (bool(get(`${slot}_exist`)) !== true) continue;
        accessKeys.push({
          slot,
          active: bool(get(`${slot}_active`)),
          lastRotated: nullable(get(`${slot}_last_rotated`)),
          lastUsed: nullable(get(`${slot}_last_used`)),
        });
      }
      rows.push({
        user,
        userCreationTime: nullable(get('user_creation_time')),
        userLastLogon: nullable(get('user_last_logon')),
        passwordExist: bool(get('password_exist')),
        passwordActive: bool(get('password_active')),
        passwordLastChanged: nullable(get('password_last_changed')),
        mfaActive: bool(get('mfa_active')),
        accessKeys,
      });
    }
  }
  return rows;
}
