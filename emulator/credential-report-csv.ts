import { addDays, isoSeconds } from './dates.js';
import type { KeyRecord } from './model.js';
import type { EmulatorState } from './state.js';

/**
 * Rows of the IMS credential report (reference §1.9): one line for the account itself (`<root>`), then
 * one per RAM user by UserPrincipalName. Booleans are TRUE/FALSE/N/A, times `YYYY-MM-DDThh:mm:ssZ`,
 * "never" is `-` and "does not apply" is `N/A`.
 */

const KEY_SLOTS = ['access_key_1', 'access_key_2', 'additional_access_key_1', 'additional_access_key_2', 'additional_access_key_3'];

/** The header line, columns in the documented order. */
export const CREDENTIAL_REPORT_HEADER = [
  'user',
  'user_creation_time',
  'user_last_logon',
  'password_exist',
  'password_active',
  'password_last_changed',
  'password_next_rotation',
  'mfa_active',
  ...KEY_SLOTS.flatMap((s) => [`${s}_exist`, `${s}_active`, `${s}_last_rotated`, `${s}_last_used`]),
].join(',');

const bool = (b: boolean): string => (b ? 'TRUE' : 'FALSE');
const never = (d: Date | null): string => (d ? isoSeconds(d) : '-');

function csvField(value: string): string {
  return /[",\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Key columns: access_key_1/2 then additional_access_key_1..3, keys ordered by creation date. */
function keyColumns(keys: readonly KeyRecord[]): string[] {
  const ordered = [...keys].sort((a, b) => +a.createDate - +b.createDate);
  return KEY_SLOTS.flatMap((_, i) => {
    const k = ordered[i];
    // last_rotated is the key's creation time: RAM keys are rotated by replacing them.
    return k ? ['TRUE', bool(k.status === 'Active'), isoSeconds(k.createDate), never(k.lastUsedDate)] : ['FALSE', 'N/A', 'N/A', 'N/A'];
  });
}

/** The data rows (without the header) as of `state` now: the report reflects state at generation time. */
export function credentialReportRows(state: EmulatorState): string[] {
  const { root, account, passwordPolicy } = state;
  const rows: string[][] = [
    [
      '<root>',
      isoSeconds(account.createDate),
      never(root.lastLoginDate),
      'TRUE',
      'TRUE',
      'N/A',
      'N/A',
      bool(root.mfa),
      ...keyColumns(root.keys),
    ],
  ];
  for (const u of state.userList()) {
    const lp = u.loginProfile;
    const rotation =
      lp && passwordPolicy.maxPasswordAge > 0 ? isoSeconds(addDays(lp.passwordLastChanged, passwordPolicy.maxPasswordAge)) : 'N/A';
    rows.push([
      state.upn(u),
      isoSeconds(u.createDate),
      never(u.lastLoginDate),
      bool(lp !== null),
      lp ? bool(lp.status === 'Active') : 'N/A',
      lp ? isoSeconds(lp.passwordLastChanged) : 'N/A',
      rotation,
      bool(u.mfa !== null),
      ...keyColumns(u.keys),
    ]);
  }
  return rows.map((r) => r.map(csvField).join(','));
}
