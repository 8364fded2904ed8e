/**
 * The alert use case: ActionTrail records in, security notices out. Per record, in order:
 *
 * 1. claimed once by its `eventId` (EventBridge delivers at least once; a retried invocation skips
 *    what was handled, and a record whose handling failed is claimable again);
 * 2. classified (classify.ts); custom policy documents seen in CreatePolicy/CreatePolicyVersion are
 *    remembered, so a later version is compared with the last one;
 * 3. a RAM user's console sign-in is checked against the networks that identity signed in from in
 *    `alerts.newLocationDays` (its first sign-in sets the baseline and does not alert);
 * 4. rate-limited per alert type and identity per hour: over the limit it is recorded, not posted;
 * 5. posted to the security channel and recorded in the ledger (`alert.raised` / `alert.suppressed`);
 * 6. when `alerts.responses` allows it, the emergency action is approved by that policy: a review task
 *    owned by the security group, in state approved, with its plan recorded for the apply function —
 *    which applies it under the usual checks (protected principals, live-state re-read) — and undone
 *    through the usual rollback (asked on the task, approved under separation of duties).
 */
import type { Config } from '../config/index.js';
import type { AlertType } from '../config/alerts-schema.js';
import { fingerprint, type Finding, type Subject } from '../domain/finding.js';
import type { RemediationPlan } from '../domain/remediation.js';
import type { Logger } from '../logger.js';
import { tryParsePolicy, type PolicyDocument } from '../policy/index.js';
import { recordExecution } from '../remediation/session.js';
import type { ReviewDeps } from '../review/deps.js';
import { notify } from '../review/machine/common.js';
import { collect, createOutbox, deliver, type DeliveryReport, type Outbox } from '../review/outbox.js';
import { newTask } from '../review/task.js';
import type { Store, StoreTx } from '../store/port.js';
import { classify, type Alert } from './classify.js';
import type { ParsedAlertInput, TrailRecord } from './event.js';

/** The review deps (store, chat, people, review policy, clock, button tokens) plus the configuration. */
export interface AlertDeps extends ReviewDeps {
  config: Config;
  logger?: Pick<Logger, 'info' | 'warn'>;
}

export interface AlertOutcome {
  eventId: string;
  eventName: string;
  outcome: 'alerted' | 'suppressed' | 'duplicate' | 'baseline' | 'known-location' | 'skipped' | 'not-risky' | 'failed';
  type?: AlertType;
  /** The review task carrying the automated response, when one was approved. */
  responseTaskId?: string;
  reason?: string;
}

export interface AlertRunSummary {
  records: number;
  alerted: number;
  suppressed: number;
  duplicates: number;
  responses: number;
  failed: number;
  outcomes: AlertOutcome[];
  /** CloudEvents that were not ActionTrail's. */
  ignored: string[];
  /** The response tasks' cards to the security group (their Rollback button undoes the response). */
  cards: Pick<DeliveryReport, 'posted' | 'failures'>;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const CAS_TRIES = 5;

/** The network a sign-in came from: IPv4 /24, IPv6 /48; the address itself otherwise. */
export function networkOf(ip: string): string {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.\d{1,3}$/.exec(ip);
  if (v4) return `${v4[1]}.${v4[2]}.${v4[3]}.0/24`;
  if (ip.includes(':')) {
    const head = ip.split('::')[0]!.split(':');
    return `${[...head, '0', '0', '0'].slice(0, 3).map((h) => h || '0').join(':')}::/48`;
  }
  return ip;
}

/** Read-modify-write of one cache key, compare-and-set, retried while others change it. */
async function updateCache<T>(store: Store, key: string, change: (current: T | null) => T): Promise<{ before: T | null; after: T }> {
  for (let i = 0; i < CAS_TRIES; i++) {
    const raw = await store.tx((tx) => tx.getCache(key));
    const before = raw ? (JSON.parse(raw) as T) : null;
    const after = change(before);
    if (await store.tx((tx) => tx.compareAndSetCache(key, raw, JSON.stringify(after)))) return { before, after };
  }
  throw new Error(`cache key ${key} kept changing under ${CAS_TRIES} attempts`);
}

type Claim = { state: 'handling' | 'done' | 'failed'; at: string };

/** Claims a record by event id: false when another invocation handles or handled it. */
async function claim(store: Store, eventId: string, now: Date): Promise<boolean> {
  const key = `alert:event:${eventId}`;
  const raw = await store.tx((tx) => tx.getCache(key));
  const current = raw ? (JSON.parse(raw) as Claim) : null;
  // A claim left "handling" for an hour belongs to a crashed invocation.
  const stale = current?.state === 'handling' && now.getTime() - Date.parse(current.at) > HOUR_MS;
  if (current && current.state !== 'failed' && !stale) return false;
  return store.tx((tx) => tx.compareAndSetCache(key, raw, JSON.stringify({ state: 'handling', at: now.toISOString() } satisfies Claim)));
}

const settle = (store: Store, eventId: string, state: Claim['state'], now: Date) =>
  store.tx((tx) => tx.setCache(`alert:event:${eventId}`, JSON.stringify({ state, at: now.toISOString() } satisfies Claim)));

const policyKey = (account: string | null, name: string) => `alert:policy:${account ?? '-'}:${name}`;

/** The policy this record is about, when its last document matters (attach of a custom policy, a new version). */
function policyNameOf(r: TrailRecord): string | null {
  const name = typeof r.requestParameters.PolicyName === 'string' ? r.requestParameters.PolicyName : null;
  return name && /^(AttachPolicyTo(User|Group|Role)|CreatePolicyVersion)$/.test(r.eventName) ? name : null;
}

/** CreatePolicy, and CreatePolicyVersion made default: the document to remember. */
function documentOf(r: TrailRecord): string | null {
  const doc = typeof r.requestParameters.PolicyDocument === 'string' ? r.requestParameters.PolicyDocument : null;
  if (r.eventName === 'CreatePolicy') return doc;
  if (r.eventName === 'CreatePolicyVersion' && String(r.requestParameters.SetAsDefault) === 'true') return doc;
  return null;
}

function subjectOf(plan: RemediationPlan, eventId: string): Subject {
  const step = plan.steps[0]!;
  const t = step.target as Record<string, string>;
  const base: Subject =
    step.action === 'deactivate-access-key'
      ? { type: 'accessKey', id: t.accessKeyId!, name: t.accessKeyId!, user: t.userName }
      : step.action === 'detach-policy'
        ? { type: t.principalType === 'role' ? 'role' : t.principalType === 'group' ? 'group' : 'user', id: t.principalName!, name: t.principalName! }
        : { type: 'user', id: t.userName!, name: t.userName! };
  // One task per alerting event: the same identity can need two responses.
  return { ...base, id: `${base.id}#${eventId}` };
}

/** Approves the configured emergency action: a security-owned task, approved by policy, with its execution. */
async function approveResponse(deps: AlertDeps, alert: Alert, plan: RemediationPlan, now: Date, outbox: Outbox): Promise<string> {
  const rule = `alert.${alert.type}`;
  const subject = subjectOf(plan, alert.record.eventId);
  const finding: Finding = {
    rule,
    status: 'fail',
    severity: alert.severity,
    title: alert.title,
    subject,
    evidence: { summary: [alert.title, ...alert.details].join('; '), eventId: alert.record.eventId },
    remediation: { summary: `automated response (alerts.responses.${alert.type}): ${plan.summary}`, plan },
    fingerprint: fingerprint(rule, subject),
    partial: false,
  };
  const at = now.toISOString();
  const id = `alert-${alert.record.eventId}`;
  const reason = `automated response to the ${alert.type} alert, approved by alerts.responses.${alert.type}`;
  const opened = newTask({
    id,
    finding,
    ownership: { owner: { kind: 'group', name: deps.policy.securityGroup }, source: 'pattern', matched: 'alerts' },
    now,
    directory: deps.directory,
    policy: deps.policy,
  });
  const task = { ...opened, state: 'approved' as const, assignees: [], approvals: ['system'], request: { kind: 'revocation' as const, by: 'system', at, reason, plan } };
  const created = await deps.store.tx(async (tx: StoreTx) => {
    // A record handled again after a failure further on: its response already exists.
    if (await tx.getTask(id)) return false;
    await tx.insertTask(task);
    await tx.appendAudit({ at, actor: 'system', action: 'task.opened', subject: id, data: { fingerprint: task.fingerprint, to: 'approved', rule, subject: task.finding.subject, severity: alert.severity, owner: task.ownership.owner, ownerSource: 'pattern', assignees: [] } });
    await tx.appendAudit({ at, actor: 'system', action: 'alert.response.approved', subject: id, data: { fingerprint: task.fingerprint, eventId: alert.record.eventId, type: alert.type, policy: `alerts.responses.${alert.type}`, plan: plan.summary } });
    await recordExecution(tx, { taskId: id, plan, actor: 'system', now });
    return true;
  });
  if (created) collect(outbox, null, task, [notify('prompt', task.ownership.owner)], deps);
  return id;
}

function noticeText(alert: Alert, response: { taskId: string; plan: RemediationPlan } | null): string {
  const lines = [`by ${alert.actor}`, ...alert.details];
  if (response) {
    lines.push(
      `automated response: ${response.plan.summary} — approved by alerts.responses.${alert.type}; the apply function carries it out (task ${response.taskId})`,
      `to undo it: the Rollback button on the task's card (security group), or ramparts rollback ${response.taskId} --as <you> --reason "…" — approved like any rollback`,
    );
  }
  return lines.join('\n');
}

/** Handles every record of one invocation; one record's failure is its own outcome, never the others'. */
export async function handleAlerts(deps: AlertDeps, input: ParsedAlertInput): Promise<AlertRunSummary> {
  const summary: AlertRunSummary = { records: input.records.length, alerted: 0, suppressed: 0, duplicates: 0, responses: 0, failed: 0, outcomes: [], ignored: input.ignored, cards: { posted: 0, failures: [] } };
  const outbox = createOutbox();
  for (const r of input.records) {
    const now = deps.clock.now();
    const base = { eventId: r.eventId, eventName: r.eventName };
    if (!(await claim(deps.store, r.eventId, now))) {
      summary.duplicates++;
      summary.outcomes.push({ ...base, outcome: 'duplicate' });
      continue;
    }
    try {
      const outcome = await handleOne(deps, r, now, outbox);
      if (outcome.outcome === 'alerted') summary.alerted++;
      if (outcome.outcome === 'suppressed') summary.suppressed++;
      if (outcome.responseTaskId) summary.responses++;
      summary.outcomes.push(outcome);
      await settle(deps.store, r.eventId, 'done', now);
    } catch (err) {
      summary.failed++;
      const reason = err instanceof Error ? err.message : String(err);
      summary.outcomes.push({ ...base, outcome: 'failed', reason });
      deps.logger?.warn({ eventId: r.eventId, eventName: r.eventName, error: reason }, 'alert handling failed; the record can be handled again');
      await settle(deps.store, r.eventId, 'failed', now).catch(() => undefined);
    }
  }
  // Each response task's card goes to the security group: it follows the task (approved → applied) and
  // carries the Rollback button once applied.
  const delivered = await deliver(deps, outbox);
  summary.cards = { posted: delivered.posted, failures: delivered.failures };
  return summary;
}

async function handleOne(deps: AlertDeps, r: TrailRecord, now: Date, outbox: Outbox): Promise<AlertOutcome> {
  const settings = deps.config.alerts;
  const base = { eventId: r.eventId, eventName: r.eventName };
  const name = policyNameOf(r);
  const remembered = name ? await deps.store.tx((tx) => tx.getCache(policyKey(r.accountId, name))) : null;
  const previous = remembered ? tryParsePolicy(remembered) : null;
  const previousPolicy = (n: string): PolicyDocument | null => (n === name && previous && 'statements' in previous ? previous : null);

  const c = classify(r, { trustedKeyCreators: settings.trustedKeyCreators, previousPolicy });
  const doc = documentOf(r);
  const policyName = typeof r.requestParameters.PolicyName === 'string' ? r.requestParameters.PolicyName : null;
  if (doc && policyName && r.errorCode === '') await deps.store.tx((tx) => tx.setCache(policyKey(r.accountId, policyName), doc));

  if (c.kind === 'none') return { ...base, outcome: 'not-risky' };
  if (c.kind === 'skip') return { ...base, outcome: 'skipped', reason: c.reason };

  let alert: Alert;
  if (c.kind === 'console-logon') {
    if (!c.sourceIp) return { ...base, outcome: 'known-location', reason: 'the sign-in has no source address' };
    const net = networkOf(c.sourceIp);
    const horizon = now.getTime() - settings.newLocationDays * DAY_MS;
    const { before } = await updateCache<{ nets: Record<string, string> }>(deps.store, `alert:signins:${r.accountId ?? '-'}:${c.identity}`, (cur) => {
      const nets = Object.fromEntries(Object.entries(cur?.nets ?? {}).filter(([, at]) => Date.parse(at) >= horizon - settings.newLocationDays * DAY_MS));
      nets[net] = [nets[net], r.eventTime].filter((x): x is string => typeof x === 'string').sort().at(-1)!;
      return { nets };
    });
    const seen = Object.entries(before?.nets ?? {}).filter(([, at]) => Date.parse(at) >= horizon);
    if (seen.length === 0) return { ...base, outcome: 'baseline', type: c.alert.type, reason: `first sign-in of ${c.userName} in ${settings.newLocationDays} days: its network ${net} is the baseline` };
    if (seen.some(([n]) => n === net)) return { ...base, outcome: 'known-location' };
    alert = { ...c.alert, details: [`network ${net}; seen in the last ${settings.newLocationDays} days: ${seen.map(([n]) => n).join(', ')}`, ...c.alert.details] };
  } else {
    alert = c.alert;
  }

  const hour = Math.floor(now.getTime() / HOUR_MS);
  const { after: count } = await updateCache<number>(deps.store, `alert:rate:${alert.type}:${r.accountId ?? '-'}:${alert.identity}:${hour}`, (n) => (n ?? 0) + 1);
  const posted = count <= settings.rateLimitPerHour;

  const mode = (settings.responses as Partial<Record<AlertType, string>>)[alert.type] ?? 'none';
  const plan = alert.plan && mode !== 'none' && alert.plan.steps.every((s) => s.action === mode) ? alert.plan : null;
  const responseTaskId = plan ? await approveResponse(deps, alert, plan, now, outbox) : undefined;

  if (posted) {
    await deps.chat.notifySecurity({ title: alert.title, severity: alert.severity, text: noticeText(alert, plan && responseTaskId ? { taskId: responseTaskId, plan } : null) });
  }
  await deps.store.tx((tx) =>
    tx.appendAudit({
      at: now.toISOString(),
      actor: 'system',
      action: posted ? 'alert.raised' : 'alert.suppressed',
      subject: `alert:${r.eventId}`,
      data: {
        type: alert.type,
        severity: alert.severity,
        title: alert.title,
        identity: alert.identity,
        actor: alert.actor,
        eventName: r.eventName,
        eventTime: r.eventTime,
        sourceIp: r.sourceIpAddress,
        account: r.accountId,
        ...(posted ? {} : { reason: `over alerts.rateLimitPerHour (${settings.rateLimitPerHour}) for ${alert.type} on ${alert.identity}` }),
        response: responseTaskId ?? null,
      },
    }),
  );
  return { ...base, outcome: posted ? 'alerted' : 'suppressed', type: alert.type, ...(responseTaskId ? { responseTaskId } : {}) };
}
