import { refreshUsage } from '../activity/refresh.js';
import { UsageIndex as ActivityIndex } from '../activity/usage-index.js';
import { memoryUsageStore, type UsageStore } from '../activity/usage-store.js';
import type { CloudClients } from '../cloud/clients.js';
import type { Config } from '../config/index.js';
import { activeExclusions } from '../config/index.js';
import { isPartial, type OrganizationInfo } from '../domain/snapshot.js';
import type { FindingAccount } from '../domain/finding.js';
import type { ProgressEvent } from '../inventory/context.js';
import { collectSnapshot } from '../inventory/collect.js';
import type { Logger } from '../logger.js';
import type { ScanActivity, ScanReport } from '../report/types.js';
import { runRules } from '../rules/engine.js';
import { ALL_RULES } from '../rules/registry.js';
import { classifyIdentities } from '../rules/lib/classify.js';
import identityUnclassified from '../rules/ram/identity-unclassified.js';
import type { Rule, UsageIndex } from '../rules/types.js';

export interface ScanDeps {
  clients: CloudClients;
  config: Config;
  /** The scan's reference time: rules measure ages against it. */
  now: Date;
  rules?: readonly Rule[];
  /** A usage index to use as is (no activity read); otherwise it is refreshed from `config.activity`. */
  usage?: UsageIndex;
  /** Where the usage index is kept between scans; default: memory (nothing kept). */
  usageStore?: UsageStore;
  /** Waits between activity pages; default: a real timer (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger;
  progress?: (event: ProgressEvent) => void;
  /** Monotonic milliseconds, for the duration figure. */
  elapsed?: () => number;
  /** The member account of a multi-account scan: findings carry it and their fingerprints include its id. */
  account?: FindingAccount;
  /** The Resource Directory of a resource-directory scan: it becomes `snapshot.organization`. */
  organization?: OrganizationInfo;
}

/** The activity the rules get: none, the caller's index, or the stored index brought up to date. */
async function activityFor(deps: ScanDeps, accountId: string): Promise<{ usage: UsageIndex | undefined; activity: ScanActivity }> {
  const { source, lookbackDays } = deps.config.activity;
  if (deps.usage) {
    const given = deps.usage instanceof ActivityIndex ? deps.usage : null;
    return { usage: deps.usage, activity: { source, coverage: given?.coverage ?? null, events: given?.events ?? 0, lookbackDays, read: null } };
  }
  if (source === 'none') return { usage: undefined, activity: { source, coverage: null, events: 0, lookbackDays, read: null } };
  deps.progress?.({ phase: 'activity' });
  const result = await refreshUsage({
    clients: deps.clients,
    config: deps.config,
    accountId,
    now: deps.now,
    sleep: deps.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))),
    store: deps.usageStore ?? memoryUsageStore(),
    logger: deps.logger,
  });
  const activity: ScanActivity = {
    source,
    coverage: result.index.coverage,
    events: result.index.events,
    lookbackDays,
    read: result.read,
    ...(result.error === undefined ? {} : { error: result.error }),
    ...(result.warnings.length > 0 ? { warnings: result.warnings } : {}),
  };
  return { usage: result.index, activity };
}

/** The scan use case: inventory → activity → rules → report. Calls no write API. */
export async function scanAccount(deps: ScanDeps): Promise<ScanReport> {
  const started = deps.elapsed?.() ?? performance.now();
  const snapshot = await collectSnapshot({
    clients: deps.clients,
    settings: deps.config.scan,
    now: deps.now,
    progress: deps.progress,
    ...(deps.organization ? { organization: deps.organization } : {}),
  });
  const { usage, activity } = await activityFor(deps, snapshot.account.id);
  deps.progress?.({ phase: 'rules' });
  const result = runRules({
    snapshot,
    usage,
    now: deps.now,
    rules: deps.rules ? [...deps.rules] : ALL_RULES,
    ruleConfig: deps.config.rules,
    exclusions: activeExclusions(deps.config.exclusions, deps.now),
    ...(deps.account ? { account: deps.account } : {}),
  });
  const partialReasons = Object.entries(snapshot.parts)
    .filter(([, p]) => !p.complete)
    .map(([part, p]) => `${part}: ${p.error ?? 'incomplete'}`);
  const stats = deps.clients.caller.stats;
  return {
    account: { ...snapshot.account, name: deps.config.account.name, ...(deps.account ? { member: true } : {}) },
    scannedAt: deps.now.toISOString(),
    userEmails: Object.fromEntries(snapshot.users.filter((u) => u.email).map((u) => [u.name, u.email as string])),
    userGroups: Object.fromEntries(snapshot.users.filter((u) => u.groups !== null).map((u) => [u.name, u.groups as string[]])),
    policyHolders: Object.fromEntries(
      snapshot.policies
        .filter((p) => p.type === 'Custom' && p.attachments !== null)
        .map((p) => [p.name, (p.attachments ?? []).map((a) => ({ principalType: a.principalType, principalName: a.principalName }))]),
    ),
    partial: isPartial(snapshot),
    partialReasons,
    mode: snapshot.mode,
    findings: result.findings,
    suppressed: result.suppressed.map((s) => ({ rule: s.finding.rule, subject: s.finding.subject, reason: s.reason, fingerprint: s.finding.fingerprint })),
    stats: {
      apiCalls: { ...stats.calls },
      totalApiCalls: stats.total,
      users: snapshot.users.length,
      durationMs: Math.round((deps.elapsed?.() ?? performance.now()) - started),
      rulesRun: result.stats.rulesRun,
    },
    identities: classifyIdentities(snapshot, identityUnclassified.params.parse(deps.config.rules?.[identityUnclassified.id]?.params ?? {}).classes),
    activity,
  };
}
