import { isoSeconds } from './dates.js';
import { ApiError, invalidParameter } from './errors.js';
import { CREDENTIAL_REPORT_HEADER, credentialReportRows } from './credential-report-csv.js';
import type { Params } from './params.js';
import type { EmulatorState } from './state.js';

/** Above this many RAM users the cloud refuses to generate a credential report. */
export const CREDENTIAL_REPORT_MAX_USERS = 3500;
/** A completed report younger than this is reused instead of generating a new one. */
export const CREDENTIAL_REPORT_REUSE_MS = 4 * 3_600_000;

interface Report {
  generatedAt: Date;
  startedRealMs: number;
  rows: string[];
}

/**
 * The IMS credential report lifecycle: GenerateCredentialReport answers STARTED, then INPROGRESS until
 * `delayMs` of real time passed (0: the next call sees it done), then COMPLETED; GetCredentialReport
 * pages the last completed report. The delay is wall time because it emulates server processing,
 * whereas `GeneratedTime` and the 4-hour reuse window follow the emulator clock.
 */
export class CredentialReports {
  private pending: Report | null = null;
  private completed: Report | null = null;

  constructor(private readonly delayMs = 0) {}

  generate(state: EmulatorState, now: Date, realMs: number): 'STARTED' | 'INPROGRESS' | 'COMPLETED' {
    this.settle(realMs);
    if (state.users.size > CREDENTIAL_REPORT_MAX_USERS) {
      throw new ApiError(
        400,
        'LimitExceeded.CredentialReport',
        `The credential report cannot be generated for an account with more than ${CREDENTIAL_REPORT_MAX_USERS} RAM users (this one has ${state.users.size}); list users and their credentials instead.`,
      );
    }
    if (this.pending) return 'INPROGRESS';
    if (this.completed && now.getTime() - this.completed.generatedAt.getTime() < CREDENTIAL_REPORT_REUSE_MS) return 'COMPLETED';
    this.pending = { generatedAt: now, startedRealMs: realMs, rows: credentialReportRows(state) };
    return 'STARTED';
  }

  /** One page of the last completed report: `MaxItems` data rows (1–3501), each page with the header line. */
  page(params: Params, realMs: number): Record<string, unknown> {
    this.settle(realMs);
    const report = this.completed;
    if (!report) {
      const why = this.pending ? 'it is still being generated; poll GenerateCredentialReport until State is COMPLETED' : 'call GenerateCredentialReport first';
      throw new ApiError(404, 'EntityNotExist.CredentialReport', `The credential report does not exist: ${why}.`);
    }
    const maxItems = params.int('MaxItems', 1, 3501, 3501);
    const token = params.get('NextToken');
    const offset = token === undefined ? 0 : decodeToken(token, report);
    const rows = report.rows.slice(offset, offset + maxItems);
    const next = offset + rows.length;
    const truncated = next < report.rows.length;
    return {
      Content: Buffer.from([CREDENTIAL_REPORT_HEADER, ...rows].join('\n')).toString('base64'),
      GeneratedTime: isoSeconds(report.generatedAt),
      IsTruncated: truncated,
      NextToken: truncated ? Buffer.from(`${report.generatedAt.getTime()}:${next}`).toString('base64url') : '',
    };
  }

  private settle(realMs: number): void {
    if (this.pending && realMs - this.pending.startedRealMs >= this.delayMs) {
      this.completed = this.pending;
      this.pending = null;
    }
  }
}

function decodeToken(token: string, report: Report): number {
  const [stamp, offset] = Buffer.from(token, 'base64url').toString('utf8').split(':');
  const n = Number(offset);
  if (stamp !== String(report.generatedAt.getTime()) || !Number.isInteger(n) || n < 0 || n > report.rows.length) {
    throw invalidParameter('NextToken', 'it does not belong to the current report; start again without NextToken.');
  }
  return n;
}
