import type { CloudClients } from '../cloud/clients.js';
import type { Config } from '../config/index.js';
import { activeExclusions } from '../config/index.js';
import { isPartial } from '../domain/snapshot.js';
import type { ProgressEvent } from '../inventory/context.js';
import { collectSnapshot } from '../inventory/collect.js';
import type { ScanReport } from '../report/types.js';
import { runRules } from '../rules/engine.js';
import { ALL_RULES } from '../rules/registry.js';
import type { Rule, UsageIndex } from '../rules/types.js';

export interface ScanDeps {
  clients: CloudClients;
  config: Config;
  /** The scan's reference time: rules measure ages against it. */
  now: Date;
  rules?: readonly Rule[];
  usage?: UsageIndex;
  progress?: (event: ProgressEvent) => void;
  /** Monotonic milliseconds, for the duration figure. */
  elapsed?: () => number;
}

/** The scan use case: inventory → rules → report. Calls no write API. */
export async function scanAccount(deps: ScanDeps): Promise<ScanReport> {
  const started = deps.elapsed?.() ?? performance.now();
  const snapshot = await collectSnapshot({
    clients: deps.clients,
    settings: deps.config.scan,
    now: deps.now,
    progress: deps.progress,
  });
  deps.progress?.({ phase: 'rules' });
  const result = runRules({
    snapshot,
    usage: deps.usage,
    now: deps.now,
    rules: deps.rules ? [...deps.rules] : ALL_RULES,
    ruleConfig: deps.config.rules,
    exclusions: activeExclusions(deps.config.exclusions, deps.now),
  });
  const partialReasons = Object.entries(snapshot.parts)
    .filter(([, p]) => !p.complete)
    .map(([part, p]) => `${part}: ${p.error ?? 'incomplete'}`);
  const stats = deps.clients.caller.stats;
  return {
    account: { ...snapshot.account, name: deps.config.account.name },
    scannedAt: deps.now.toISOString(),
    userEmails: Object.fromEntries(snapshot.users.filter((u) => u.email).map((u) => [u.name, u.email as string])),
    userGroups: Object.fromEntries(snapshot.users.filter((u) => u.groups !== null).map((u) => [u.name, u.groups as string[]])),
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
  };
}
