/**
 * Composition root of the review workflow: store, chat, people, policy and tokens from configuration
 * and the environment, with whatever the caller (a test, the demo, an FC function) passes instead.
 */
import { systemClock, type Clock } from './clock.js';
import { createChat, createSlackInteractions, createTokenSigner, type ChatPort, type KeyValueCache, type TokenSigner } from './chat/index.js';
import { databaseUrl, readChatSecrets, type ChatSecrets, type Config } from './config/index.js';
import type { Finding } from './domain/finding.js';
import { createInteractHandler } from './interact/handler.js';
import type { Logger } from './logger.js';
import { createDirectory, resolveOwner } from './people/index.js';
import type { Directory, Ownership, Person } from './people/types.js';
import type { ScanReport } from './report/types.js';
import type { CloudClients } from './cloud/clients.js';
import { applySessionName, memberApplyClients } from './cloud/member-clients.js';
import type { ExecutorHooks } from './remediation/types.js';
import { applyRun, type ApplySummary } from './review/apply.js';
import { decide } from './review/decide.js';
import type { ReviewDeps } from './review/deps.js';
import { createReviewPolicy, type ReviewPolicy } from './review/policy.js';
import { remind, type RemindSummary } from './review/remind.js';
import { syncScan, type SyncScanSummary } from './review/sync-scan.js';
import type { DigestOptions, DigestRun } from './digest/run.js';
import type { ParsedAlertInput } from './alerts/event.js';
import type { AlertRunSummary } from './alerts/run.js';
import { waive, type WaiveInput, type WaiveOutcome } from './review/waive.js';
import type { DecideInput, DecideOutcome } from './review/types.js';
import { ALL_RULES } from './rules/registry.js';
import { checkApproval } from './sod/index.js';
import { createStore } from './store/index.js';
import type { Store } from './store/port.js';

export interface WorkflowOptions {
  config: Config;
  env: NodeJS.ProcessEnv;
  clock?: Clock;
  store?: Store;
  chat?: ChatPort;
  /** Where the console adapter prints (the demo passes stdout). */
  consoleOut?: { write(chunk: string): unknown };
  logger?: Logger;
  /** Account the tasks belong to (the last scan's; shown on prompts). */
  account?: { id: string; alias: string | null };
}

export interface ApplyOptions {
  /** Force observe mode for this run (a dry run); enforce can only come from the config. */
  observeOnly?: boolean;
  runner?: string;
  leaseMs?: number;
  /** Crash injection in tests. */
  hooks?: ExecutorHooks;
  /**
   * Clients for member account plans; default (accounts.mode list or resource-directory): the member's
   * apply role (`accounts.applyRoleName`) assumed with `clients`. A single-account deployment refuses them.
   */
  clientsFor?: (accountId: string) => Promise<CloudClients>;
}

export interface Workflow {
  store: Store;
  chat: ChatPort;
  directory: Directory;
  policy: ReviewPolicy;
  tokens: TokenSigner;
  deps: ReviewDeps;
  /** Opens, refreshes and resolves tasks from a scan, then prompts owners. */
  syncScan(report: ScanReport): Promise<SyncScanSummary>;
  decide(input: DecideInput): Promise<DecideOutcome>;
  waive(input: WaiveInput): Promise<WaiveOutcome>;
  remind(): Promise<RemindSummary>;
  /** The weekly digest: computed from the store and the ledger, posted to the security channel unless `post` is false. */
  digest(opts?: DigestOptions): Promise<DigestRun>;
  /** High-risk identity events → security notices, the ledger and any configured automated response. */
  alert(input: ParsedAlertInput): Promise<AlertRunSummary>;
  /**
   * The apply run: approved plans through the executor (remediation.mode unless `opts.mode`), tasks
   * moved after their executions, approved rollbacks undone, cards updated. `clients` may write to RAM.
   */
  apply(clients: CloudClients, opts?: ApplyOptions): Promise<ApplySummary>;
  /** The interact HTTP handler (web Request → Response) for Slack and DingTalk callbacks. */
  interact: (req: Request) => Promise<Response>;
  close(): Promise<void>;
}

/** Config people use the file's field names; the domain's Person spells out the platforms. */
export function peopleFrom(config: Config): Person[] {
  return config.people.map((p) => ({
    id: p.id,
    name: p.name,
    email: p.email,
    slackUserId: p.slack,
    dingtalkUserId: p.dingtalk,
    manager: p.manager,
    groups: p.groups,
  }));
}

const ACCOUNT_KEY = 'ramparts:account';
const GROUPS_KEY = 'ramparts:user-groups';
const HOLDERS_KEY = 'ramparts:policy-holders';
/** Subjects that can change RAM: approving their revocation needs two approvers, one from security. */
const PRIVILEGED_RULES = ['ram.policy-full-admin', 'ram.policy-privilege-management'];

async function readJson<T>(store: Store, key: string): Promise<T | null> {
  const raw = await store.tx((tx) => tx.getCache(key));
  return raw ? (JSON.parse(raw) as T) : null;
}

async function lastAccount(store: Store): Promise<{ id: string; alias: string | null } | null> {
  const saved = await readJson<{ id?: unknown; alias?: unknown }>(store, ACCOUNT_KEY);
  if (typeof saved?.id !== 'string') return null;
  return { id: saved.id, alias: typeof saved.alias === 'string' ? saved.alias : null };
}

/** Slack ids found by email survive across invocations in the store's kv cache. */
function storeCache(store: Store): KeyValueCache {
  return {
    get: (key) => store.tx((tx) => tx.getCache(key)),
    set: (key, value) => store.tx((tx) => tx.setCache(key, value)),
  };
}

function chatFor(config: Config, secrets: ChatSecrets, cache: KeyValueCache, clock: Clock, consoleOut: WorkflowOptions['consoleOut']): ChatPort {
  return createChat({
    kind: config.chat.kind,
    cache,
    clock,
    console: { out: consoleOut },
    slack: secrets.slack ? { botToken: secrets.slack.botToken, securityChannel: config.chat.slack.securityChannel } : undefined,
    dingtalk: secrets.dingtalk
      ? {
          appKey: secrets.dingtalk.appKey,
          appSecret: secrets.dingtalk.appSecret,
          robotCode: config.chat.dingtalk.robotCode ?? '',
          cardTemplateId: config.chat.dingtalk.cardTemplateId ?? '',
          webhook: secrets.dingtalk.webhook ? { url: secrets.dingtalk.webhook, secret: secrets.dingtalk.webhookSecret } : null,
        }
      : undefined,
  });
}

/**
 * Builds the workflow. Checks the secrets the chat kind needs before opening anything (bad config
 * exits before any work), opens the store (DATABASE_URL, else PGlite in store.dataDir) and migrates.
 */
export async function createWorkflow(opts: WorkflowOptions): Promise<Workflow> {
  const { config, env } = opts;
  const clock = opts.clock ?? systemClock;
  const secrets = readChatSecrets(config, env);
  const store = opts.store ?? (await createStore({ databaseUrl: databaseUrl(env), dataDir: config.store.dataDir }));
  await store.migrate();
  const cache = storeCache(store);
  const chat = opts.chat ?? chatFor(config, secrets, cache, clock, opts.consoleOut);
  const directory = createDirectory(peopleFrom(config));
  const policy = createReviewPolicy({
    ...config.review,
    approversGroup: config.remediation.approversGroup,
    rollbackWindowDays: config.remediation.rollbackWindowDays,
  });
  const tokens = createTokenSigner({ secrets: secrets.buttonSecrets, ttlSeconds: config.chat.buttonTtlDays * 86_400, now: () => clock.now().getTime() });
  // Prompts sent outside a scan (remind, interact, CLI) name the account the last scan saw.
  const account = opts.account ?? (await lastAccount(store)) ?? { id: '', alias: config.account.name };
  let userGroups: Record<string, string[]> = (await readJson(store, GROUPS_KEY)) ?? {};
  let policyHolders: NonNullable<ScanReport['policyHolders']> = (await readJson(store, HOLDERS_KEY)) ?? {};
  const ramUsers = new Map(config.people.map((p) => [p.id, p.ramUsers]));
  const approvalCheck: ReviewDeps['approvalCheck'] = (task, approver, requestedBy) =>
    checkApproval({
      task: {
        severity: task.severity,
        rule: task.finding.rule,
        subject: task.finding.subject,
        owner: task.ownership.owner,
        requestedBy,
        request: task.state === 'rollback_requested' ? 'rollback' : 'revocation',
      },
      plan: task.finding.remediation.plan,
      approver,
      priorApprovals: task.approvals ?? [],
      directory,
      groups: { security: config.review.securityGroup, approvers: config.remediation.approversGroup },
      ramUsersOf: (id) => ramUsers.get(id) ?? [],
      // From the last scan; unknown membership fails closed for plans that change a group.
      membership: { groupsOfRamUser: (user) => userGroups[user] ?? null, attachmentsOfPolicy: (name) => policyHolders[name] ?? null },
      privileged: PRIVILEGED_RULES.includes(task.finding.rule),
      protectedPrincipals: { rootAccount: true, ...config.remediation.protectedPrincipals },
    });
  const deps: ReviewDeps = { store, chat, directory, policy, clock, tokens, account, approvalCheck };
  let userEmails: Record<string, string> = {};
  const ownership = (finding: Finding): Ownership =>
    resolveOwner(finding, {
      owners: config.owners,
      directory,
      securityGroup: config.review.securityGroup,
      userEmail: (userName) => userEmails[userName] ?? null,
    });
  const slackInteractions = secrets.slack ? createSlackInteractions({ botToken: secrets.slack.botToken }) : undefined;
  const interact = createInteractHandler({
    slack: secrets.slack
      ? { signingSecrets: secrets.slack.signingSecrets, openModal: slackInteractions?.openModal, respond: slackInteractions?.respond }
      : undefined,
    dingtalk: secrets.dingtalk ? { secrets: secrets.dingtalk.callbackSecrets } : undefined,
    tokens,
    directory,
    cache,
    decide: (input) => decide(deps, input),
    now: () => clock.now().getTime(),
    logger: opts.logger,
  });
  return {
    store,
    chat,
    directory,
    policy,
    tokens,
    deps,
    syncScan: async (report) => {
      deps.account = { id: report.account.id, alias: report.account.name ?? report.account.alias };
      userEmails = report.userEmails ?? {};
      userGroups = report.userGroups ?? userGroups;
      policyHolders = report.policyHolders ?? policyHolders;
      await store.tx(async (tx) => {
        await tx.setCache(ACCOUNT_KEY, JSON.stringify(deps.account));
        if (report.userGroups) await tx.setCache(GROUPS_KEY, JSON.stringify(report.userGroups));
        if (report.policyHolders) await tx.setCache(HOLDERS_KEY, JSON.stringify(report.policyHolders));
      });
      // Only rules that ran may resolve their tasks: a disabled rule's findings are absent, not fixed.
      const rulesRun = ALL_RULES.filter((r) => config.rules[r.id]?.enabled !== false).map((r) => r.id);
      return syncScan(deps, report, ownership, { rulesRun });
    },
    decide: (input) => decide(deps, input),
    waive: (input) => waive(deps, input),
    remind: () => remind(deps),
    // Loaded on first use: the digest's model and the alerts' classifier (with the policy engine) stay
    // out of what interact, remind and apply load at a cold start.
    digest: async (o = {}) => (await import('./digest/run.js')).runDigest({ store, chat, directory, clock, logger: opts.logger }, o),
    alert: async (input) => (await import('./alerts/run.js')).handleAlerts({ ...deps, config, logger: opts.logger }, input),
    apply: (clients, o = {}) =>
      applyRun(deps, {
        clients,
        mode: o.observeOnly ? 'observe' : config.remediation.mode,
        maxPerRun: config.remediation.maxRevocationsPerRun,
        protectedPrincipals: withMemberRoles(config),
        deleteKeyAfterInactiveDays: config.remediation.deleteKeyAfterInactiveDays,
        ...(o.runner ? { runner: o.runner } : {}),
        ...(o.leaseMs ? { leaseMs: o.leaseMs } : {}),
        ...(o.hooks ? { hooks: o.hooks } : {}),
        ...(o.clientsFor
          ? { clientsFor: o.clientsFor }
          : config.accounts.mode === 'single'
            ? {}
            : { clientsFor: memberApplyClients({ config, clients, sessionName: applySessionName(clock.now()) }) }),
      }),
    interact,
    close: () => store.close(),
  };
}

/** ramparts' own roles in every member (scan and apply) are protected like the ones listed in config. */
function withMemberRoles(config: Config): Config['remediation']['protectedPrincipals'] {
  const p = config.remediation.protectedPrincipals;
  if (config.accounts.mode === 'single') return p;
  return { ...p, roleArns: [...p.roleArns, `acs:ram::*:role/${config.accounts.roleName}`, `acs:ram::*:role/${config.accounts.applyRoleName}`] };
}
