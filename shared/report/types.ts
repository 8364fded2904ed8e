/**
 * The result of one scan, as every reporter receives it. Plain JSON-safe data: reporters are pure
 * functions of it, so the same report renders the same text every time.
 */
import type { Finding, Subject } from '../domain/finding.js';
import type { CollectionMode, PrincipalType } from '../domain/snapshot.js';

/** A finding an active exclusion matched: kept out of the findings but shown, so waivers stay visible. */
export interface SuppressedFinding {
  rule: string;
  subject: Subject;
  /** The exclusion's reason. */
  reason: string;
  fingerprint: string;
}

export interface ScanStats {
  /** Calls per API action, e.g. `{ "ListUsers": 4 }`. */
  apiCalls: Record<string, number>;
  totalApiCalls: number;
  users: number;
  durationMs: number;
  rulesRun: number;
}

/** What the scan knew about identity activity: where it came from, what it covers, what went wrong. */
export interface ScanActivity {
  /** `activity.source`; `none` means no activity was read (usage-based rules report unknown). */
  source: 'actiontrail' | 'sls' | 'oss' | 'none';
  /** The window the usage index holds every event of (ISO), or null before the first complete read. */
  coverage: { from: string; to: string } | null;
  /** Events in the index. */
  events: number;
  /** The days usage-based rules look back (`activity.lookbackDays`); coverage shorter than this is warned about. */
  lookbackDays: number;
  /** This scan's read, or null when it failed or nothing was read. */
  read: {
    source: 'actiontrail' | 'sls' | 'oss';
    window: { from: string; to: string };
    regions: string[];
    pages: number;
    added: number;
    duplicates: number;
    skipped: number;
  } | null;
  /** Why the read failed: the index is the previous one, possibly short of the lookback. */
  error?: string;
  /** Problems that did not stop the read (a corrupt saved index rebuilt, an index not saved). */
  warnings?: string[];
}

/** One identity's class (shared/rules/lib/classify.ts): what kind it is, and why ramparts thinks so. */
export interface IdentityRow {
  type: 'user' | 'role';
  name: string;
  /** `human-administrator`, `workload-user`, …; null = fits none (`ram.identity-unclassified`). */
  class: string | null;
  /** "console logon, full admin", "trusted by fc.aliyuncs.com", or why it fits none. */
  basis: string;
}

export interface ScanReport {
  /**
   * `name` is the configured display name (`account.name`); it is not part of the JSON contract. `member`
   * is true for one member of a multi-account scan: its findings carry `account`, and review sync judges
   * only that account's tasks.
   */
  account: { id: string; alias: string | null; name?: string | null; member?: boolean };
  /** ISO 8601 time the scan started. */
  scannedAt: string;
  /** RAM user name → email, for owner resolution (not part of the JSON contract). */
  userEmails?: Record<string, string>;
  /** RAM user name → the groups it belongs to, for separation-of-duties checks (not in the JSON). */
  userGroups?: Record<string, string[]>;
  /** Custom policy name → its holders, for separation of duties on narrowed policies (not in the JSON). */
  policyHolders?: Record<string, Array<{ principalType: PrincipalType; principalName: string }>>;
  /**
   * True when some identity data could not be collected: no revocation is proposed and no task is
   * closed. Trails and secrets not collected only make their own rules unknown (`partialReasons`).
   */
  partial: boolean;
  /** One line per part not collected (identity or context), e.g. "accessKeys: ListAccessKeys failed for 2 users (Throttling.User)". */
  partialReasons: string[];
  /** `credential-report` | `per-user`. */
  mode: CollectionMode;
  findings: Finding[];
  suppressed: SuppressedFinding[];
  stats: ScanStats;
  /** Every user and role with its class; absent in reports made before classification. */
  identities?: IdentityRow[];
  /** Activity behind the usage-based rules; absent in reports made before activity was read. */
  activity?: ScanActivity;
}
