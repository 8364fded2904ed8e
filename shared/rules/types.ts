import type { z } from 'zod';
import type { Evidence, Severity, Subject, SubjectType } from '../domain/finding.js';
import type { RemediationAction, RemediationPlan } from '../domain/remediation.js';
import type { AccountSnapshot, SnapshotPart } from '../domain/snapshot.js';

/** Where a rule comes from in the CIS Alibaba Cloud Foundations Benchmark v2.0, and further reading. */
export interface RuleReferences {
  /** CIS Alibaba Cloud Foundations Benchmark v2.0 section ids, e.g. ["1.5"]. */
  cis: string[];
  /** Alibaba Cloud documentation or other links. */
  docs: string[];
}

/** An identity as the usage index keys it: a RAM user or role by name, an access key by id. */
export interface UsageIdentity {
  type: 'user' | 'role' | 'accessKey';
  name: string;
}

/**
 * Where an access key was used from since a date (`shared/activity/key-origins.ts` computes it). Counts
 * are per use; `internal` means inside Alibaba Cloud (private or shared address space, a VPC endpoint).
 */
export interface KeyOrigins {
  internal: number;
  public: number;
  /** Uses with no address to judge (a service host name, none, masked too far). */
  other: number;
  /** A few distinct source addresses per network, most recent first, as ActionTrail recorded them. */
  samples: { ip: string; network: 'internal' | 'public'; last: string }[];
  /** Client families (`fc`, `ecs`, `ack`, `sdk`, `cli`, `browser`…), most recent first; `runtime`: runs only inside Alibaba Cloud. */
  agents: { family: string; runtime: boolean; last: string; sample: string }[];
  /** Last use with a recorded origin (ISO), null when none. */
  last: string | null;
}

/**
 * Activity per identity from ActionTrail (`shared/activity/usage-index.ts` implements it). Rules must
 * treat an absent index, or one that does not {@link UsageIndex.covers} the window they judge, as "no
 * activity data", never as "unused".
 */
export interface UsageIndex {
  /** Last activity of the identity (ISO), or with `action` its last allowed use of it; undefined = none in the index. */
  lastUsed(identity: UsageIdentity, action?: string): string | null | undefined;
  /** Whether the index holds every event from `from` to `to`. */
  covers(from: Date, to: Date): boolean;
  /** Actions (`ecs:DescribeInstances`) the identity was allowed to call at or after `since`, sorted. */
  usedActions(identity: UsageIdentity, since: Date): string[];
  /** Services (RAM codes, `ecs`) the identity used at or after `since`, sorted. */
  usedServices(identity: UsageIdentity, since: Date): string[];
  /**
   * Where access key `accessKeyId` was used from at or after `since` (zero counts when it was not);
   * undefined when the index did not record origins for all of that time (an older index, a source
   * without per-call addresses): "unknown", never "not used from inside".
   */
  origins(accessKeyId: string, since: Date): KeyOrigins | undefined;
}

/** What a rule receives. Rules never read the clock and never call the cloud. */
export interface RuleContext<P> {
  snapshot: AccountSnapshot;
  usage: UsageIndex | undefined;
  now: Date;
  params: P;
}

/** One non-passing outcome for one subject. Passing subjects produce nothing. */
export interface RuleResult {
  status: 'fail' | 'unknown';
  subject: Subject;
  evidence: Evidence;
  /** A concrete reversible change; dropped by the engine on partial scans. */
  plan?: RemediationPlan;
  /** Overrides the rule's severity for this subject (e.g. a privileged role). */
  severity?: Severity;
}

export interface Rule<S extends z.ZodType = z.ZodType> {
  /** `<service>.<name>`, equal to the file path `shared/rules/<service>/<name>.ts`. */
  id: string;
  title: string;
  severity: Severity;
  subjectType: SubjectType;
  /** Why it matters, one or two sentences for the owner's prompt. */
  rationale: string;
  /** What to do about it. */
  remediation: string;
  /** The kind of plan this rule proposes on a full scan, if any (shown in the rule catalog). */
  plan?: RemediationAction;
  references: RuleReferences;
  /** Snapshot parts whose absence makes this rule's verdicts unknown/partial. */
  requires: SnapshotPart[];
  /** zod schema of the rule's params, every field with a default (`schema.parse({})` gives the defaults). */
  params: S;
  evaluate(ctx: RuleContext<z.output<S>>): RuleResult[];
}

/** Helper that keeps each rule file's params typed without repeating the schema type. */
export function defineRule<S extends z.ZodType>(rule: Rule<S>): Rule<S> {
  return rule;
}
