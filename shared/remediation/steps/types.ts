import type { CloudClients } from '../../cloud/clients.js';
import type { Product } from '../../cloud/caller.js';
import type { PlanStep, RemediationAction } from '../../domain/remediation.js';

/** The live state of what a step changes, as read from RAM/IMS (JSON, stored in the step record). */
export type Observation = Record<string, unknown>;

/** What a step needs to talk to the cloud. */
export interface StepContext {
  clients: CloudClients;
  now: Date;
  /** delete-access-key: the key must have been Inactive at least this long, unused since. */
  deleteKeyAfterInactiveDays: number;
  /** When the execution was created (the approver's view of `expect` dates from then). */
  approvedAt: Date;
}

/** The principal a step writes to, for the protected-principal check. */
export interface StepPrincipal {
  type: 'user' | 'group' | 'role';
  name: string;
}

/**
 * One kind of RAM change. `read` returns the live state; `differences` compares it with what the
 * approver saw (`expect`), `applied` / `rolledBack` recognise the target and the original state so a
 * rerun never writes twice; `apply` and `rollback` are the write calls (one request, no retries).
 */
export interface StepHandler<S extends PlanStep = PlanStep> {
  action: S['action'];
  principal(step: S): StepPrincipal;
  read(ctx: StepContext, step: S): Promise<Observation>;
  /** Human-readable differences between `expect` and the live state; empty = as approved. */
  differences(step: S, live: Observation, ctx: StepContext): string[];
  applied(step: S, live: Observation): boolean;
  rolledBack(step: S, live: Observation): boolean;
  /** The write call, e.g. "RAM UpdateAccessKey Status=Inactive". */
  describe(step: S): string;
  apply(ctx: StepContext, step: S): Promise<void>;
  describeRollback(step: S): string;
  rollback(ctx: StepContext, step: S): Promise<void>;
  /** A step the executor must refuse outright (e.g. not supported yet). */
  refuse?(step: S): string | null;
}

/** Write calls run exactly once: a retried write after a 5xx may apply twice, so the executor re-reads instead. */
export const WRITE_ATTEMPTS = 1;

/** Reads go through the caller with its retries. */
export function read<T>(ctx: StepContext, product: Product, action: string, fn: () => Promise<T>): Promise<T> {
  return ctx.clients.caller.call(product, action, fn);
}

/** One write request, never retried. */
export function write<T>(ctx: StepContext, product: Product, action: string, fn: () => Promise<T>): Promise<T> {
  return ctx.clients.caller.call(product, action, fn, WRITE_ATTEMPTS);
}

/** The cloud error code of a failed call (`EntityNotExist.User.LoginProfile`), if any. */
export function cloudCode(err: unknown): string | undefined {
  const e = err as { cloudCode?: unknown; code?: unknown; cause?: { code?: unknown } } | null;
  const c = e?.cloudCode ?? e?.cause?.code ?? e?.code;
  return typeof c === 'string' ? c : undefined;
}

/** `EntityAlreadyExists.*`: the inverse is already in place (rollback counts it as done). */
export function alreadyExists(err: unknown): boolean {
  return cloudCode(err)?.startsWith('EntityAlreadyExists') ?? false;
}

/** `EntityNotExist.*`. */
export function notExist(err: unknown): boolean {
  return cloudCode(err)?.startsWith('EntityNotExist') ?? false;
}

/** Lists "field: expected X, live Y" for every field of `expect` the live state does not match. */
export function diff(expect: Record<string, unknown>, live: Observation): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(expect)) {
    if (live[k] !== v) out.push(`${k}: approved ${JSON.stringify(v)}, live ${JSON.stringify(live[k] ?? null)}`);
  }
  return out;
}

export type HandlerFor<A extends RemediationAction> = StepHandler<Extract<PlanStep, { action: A }>>;
