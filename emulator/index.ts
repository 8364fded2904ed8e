/**
 * A local Alibaba Cloud RAM / IMS / STS / ActionTrail API emulator. Point the real SDK clients at it with
 * `new $OpenApiUtil.Config({ endpoint: emulator.endpoint, protocol: 'http', accessKeyId, accessKeySecret })`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { buildAccounts, type Accounts } from './accounts.js';
import { FaultInjector, type Faults } from './faults.js';
import type { Scenario } from './scenario.js';
import { createRequestHandler } from './server.js';
import type { EmulatorState } from './state.js';
import { StatsCollector, type EmulatorStats } from './stats.js';

export interface EmulatorOptions {
  /**
   * The account to emulate, validated by `ScenarioSchema` (see `loadScenario`, `generateScenario`); its
   * `members` are further accounts, reached with STS AssumeRole and listed by ResourceManager ListAccounts.
   */
  scenario: Scenario;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Default 127.0.0.1; the emulator is a local test double. */
  host?: string;
  /** Resolves relative scenario dates at start, and "now" on each call. Default: the real clock. */
  clock?: () => Date;
  faults?: Faults;
  /** Seed of the fault PRNG (errorRate), so runs are reproducible. Default 1. */
  seed?: number;
  /** Check request signatures against the scenario's key secrets. Default true. */
  verifySignatures?: boolean;
  /** Real milliseconds a credential report takes to generate; 0 (default): ready on the next call. */
  reportDelayMs?: number;
}

/** A running emulator. */
export interface Emulator {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** `127.0.0.1:PORT`, the form SDK `Config.endpoint` wants (no scheme). */
  endpoint: string;
  host: string;
  port: number;
  /** The live, mutable account model: write actions change it; tests may read (or arrange) it directly. */
  state: EmulatorState;
  /** Every account served (the scenario's own and its `members`) and the STS sessions issued. */
  accounts: Accounts;
  /** One account's live model by id; throws for an id the scenario does not define. */
  account(id: string): EmulatorState;
  stats(): EmulatorStats;
  resetStats(): void;
  /** Replaces the injected faults (counters of `failActions.times` and `failAfterApply.times` start over). */
  setFaults(faults: Faults): void;
  close(): Promise<void>;
}

/** Starts the emulator; resolves once it listens. */
export async function startEmulator(opts: EmulatorOptions): Promise<Emulator> {
  const clock = opts.clock ?? (() => new Date());
  const accounts = buildAccounts(opts.scenario, clock(), opts.reportDelayMs ?? 0);
  const state = accounts.management;
  const stats = new StatsCollector();
  const faults = new FaultInjector(opts.faults, opts.seed ?? 1);
  const handler = createRequestHandler({ accounts, clock, faults, stats, verifySignatures: opts.verifySignatures ?? true });
  const server = createServer({ keepAlive: true }, (req, res) => {
    handler(req, res).catch(() => res.destroy());
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolveListen());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host}:${port}`,
    endpoint: `${host}:${port}`,
    host,
    port,
    state,
    accounts,
    account: (id) => {
      const found = accounts.byId.get(id);
      if (!found) throw new Error(`the scenario has no account ${id}`);
      return found;
    },
    stats: () => stats.snapshot(),
    resetStats: () => stats.reset(),
    setFaults: (f) => faults.set(f),
    close: () =>
      new Promise<void>((resolveClose, reject) => {
        server.close((e) => (e ? reject(e) : resolveClose()));
        server.closeAllConnections();
      }),
  };
}

export { loadScenario, parseScenario, SCENARIOS_DIR } from './load.js';
export { generateScenario, type GenerateOptions } from './generate.js';
export { ScenarioError, type ScenarioIssue } from './references.js';
export { AccountScenarioSchema, ScenarioSchema, type AccountScenario, type Scenario, type ScenarioInput } from './scenario.js';
export type { Accounts, DirectoryMember, StsSession } from './accounts.js';
export { CREDENTIAL_REPORT_HEADER } from './credential-report-csv.js';
export { CREDENTIAL_REPORT_MAX_USERS } from './credential-report.js';
export { SYSTEM_POLICIES, type SystemPolicy } from './system-policies.js';
export type { Faults, ActionFailure } from './faults.js';
export type { EmulatorStats, ActionCounters, Product } from './stats.js';
export type { EmulatorState } from './state.js';
export { RECYCLE_BIN_DAYS, RECYCLE_BIN_MAX_KEYS } from './state.js';
export { POLICY_VERSIONS_MAX } from './actions/ram-write.js';
