import { randomBytes } from 'node:crypto';
import { buildState } from './build-state.js';
import { CredentialReports } from './credential-report.js';
import { resolveDate } from './dates.js';
import { stableAlnum } from './ids.js';
import type { KeyRecord, RoleRecord } from './model.js';
import type { MemberScenario, Scenario } from './scenario.js';
import type { EmulatorState } from './state.js';

/** A member's entry in the management account's Resource Directory (ResourceManager ListAccounts). */
export interface DirectoryMember {
  accountId: string;
  displayName: string;
  status: MemberScenario['directory']['status'];
  type: MemberScenario['directory']['type'];
  joinMethod: MemberScenario['directory']['joinMethod'];
  folderId: string;
  joinTime: Date;
}

/** Temporary credentials STS AssumeRole issued: they act as `role` in `accountId` until `expiration`. */
export interface StsSession {
  key: KeyRecord;
  securityToken: string;
  accountId: string;
  role: RoleRecord;
  sessionName: string;
  expiration: Date;
}

/** Where an access key id belongs: a scenario key of some account, or a live STS session. */
export interface KeyOwner {
  state: EmulatorState;
  key: KeyRecord;
  session?: StsSession;
}

const STS_ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomAlnum(length: number): string {
  return Array.from(randomBytes(length), (b) => STS_ALNUM[b % STS_ALNUM.length]).join('');
}

/**
 * Every account the emulator serves: the management account (the scenario's top level) and its
 * members, each with its own state and credential reports, plus the STS sessions issued so far.
 */
export class Accounts {
  readonly byId = new Map<string, EmulatorState>();
  private readonly reports = new Map<string, CredentialReports>();
  private readonly sessions = new Map<string, StsSession>();

  constructor(
    readonly management: EmulatorState,
    members: readonly EmulatorState[],
    /** The Resource Directory's members, in listing order; empty when the scenario has none. */
    readonly directory: readonly DirectoryMember[],
    readonly directoryId: string,
    reportDelayMs: number,
  ) {
    for (const state of [management, ...members]) {
      this.byId.set(state.account.id, state);
      this.reports.set(state.account.id, new CredentialReports(reportDelayMs));
    }
  }

  /** The account's credential reports (IMS keeps one report per account). */
  reportsOf(state: EmulatorState): CredentialReports {
    return this.reports.get(state.account.id)!;
  }

  /** Finds the owner of an access key id: STS sessions first (`STS.` ids), then each account's keys. */
  findKey(accessKeyId: string): KeyOwner | undefined {
    const session = this.sessions.get(accessKeyId);
    if (session) return { state: this.byId.get(session.accountId)!, key: session.key, session };
    for (const state of this.byId.values()) {
      const key = state.keys.get(accessKeyId);
      if (key) return { state, key };
    }
    return undefined;
  }

  /** Issues temporary credentials for `role` in `state`'s account, valid `durationSeconds` from `now`. */
  issueSession(state: EmulatorState, role: RoleRecord, sessionName: string, durationSeconds: number, now: Date): StsSession {
    const id = `STS.${randomAlnum(25)}`;
    const session: StsSession = {
      key: {
        id,
        secret: randomAlnum(30),
        status: 'Active',
        createDate: now,
        updateDate: now,
        lastUsedDate: null,
        lastUsedService: null,
        owner: null,
      },
      securityToken: `CAIS${randomBytes(96).toString('base64')}`,
      accountId: state.account.id,
      role,
      sessionName,
      // STS reports Expiration to the second.
      expiration: new Date(Math.floor(now.getTime() / 1000) * 1000 + durationSeconds * 1000),
    };
    this.sessions.set(id, session);
    return session;
  }
}

/** Builds every account of a scenario; member dates resolve against the same `now`. */
export function buildAccounts(scenario: Scenario, now: Date, reportDelayMs = 0): Accounts {
  const management = buildState(scenario, now);
  const members = scenario.members.map((m) => buildState(m, now));
  const directoryId = `rd-${stableAlnum('rd', scenario.account.id, 6)}`;
  const rootFolder = `r-${stableAlnum('folder', scenario.account.id, 6)}`;
  const directory = scenario.members.map(
    (m): DirectoryMember => ({
      accountId: m.account.id,
      displayName: m.directory.displayName ?? m.account.alias ?? m.account.id,
      status: m.directory.status,
      type: m.directory.type,
      joinMethod: m.directory.joinMethod,
      folderId: m.directory.folderId ?? rootFolder,
      joinTime: resolveDate(m.directory.joinDate, now),
    }),
  );
  return new Accounts(management, members, directory, directoryId, reportDelayMs);
}
