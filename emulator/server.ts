import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Accounts, KeyOwner } from './accounts.js';
import { ACTIONS, HOST_IDS, VERSIONS, WRITE_ACTIONS, type ActionContext, type Caller } from './actions/index.js';
import { ApiError, errorBody, missingParameter } from './errors.js';
import type { FaultInjector } from './faults.js';
import { requestId } from './ids.js';
import { Params, parseForm } from './params.js';
import { claimOf, verifySignature, type SignedRequest } from './signature.js';
import type { EmulatorState } from './state.js';
import type { Product, StatsCollector } from './stats.js';

/** What the request handler works with; built once by `startEmulator`. */
export interface ServerDeps {
  /** Every account served; a request acts in the account of the credential that signed it. */
  accounts: Accounts;
  clock: () => Date;
  faults: FaultInjector;
  stats: StatsCollector;
  verifySignatures: boolean;
}

const MAX_BODY_BYTES = 1 << 20;
const PRODUCT_NAMES: Record<Product, string> = {
  ram: 'Ram',
  ims: 'Ims',
  sts: 'Sts',
  actiontrail: 'Actiontrail',
  resourcemanager: 'ResourceManager',
  kms: 'Kms',
};

interface Reply {
  status: number;
  body: Record<string, unknown>;
  headers?: Record<string, string>;
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new ApiError(413, 'RequestEntityTooLarge', 'The request body exceeds 1 MiB.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: Reply, id: string): void {
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    'content-type': 'application/json;charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'x-acs-request-id': id,
    ...reply.headers,
  });
  res.end(text);
}

/** Emulator-only endpoints under `/__emulator/`, unsigned: call statistics for tests and benchmarks. */
function internal(deps: ServerDeps, method: string, path: string): Reply {
  if (path === '/__emulator/stats' && method === 'GET') return { status: 200, body: { ...deps.stats.snapshot() } };
  if (path === '/__emulator/reset-stats' && method === 'POST') {
    deps.stats.reset();
    return { status: 200, body: { ok: true } };
  }
  return { status: 404, body: { Code: 'NotFound', Message: `No emulator endpoint ${method} ${path}.` } };
}

function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/**
 * Identifies the caller and its account: the key is verified against the scenario's secrets (or, with
 * verification off, taken on trust). STS session keys also need their security token, unexpired.
 */
function authenticate(deps: ServerDeps, signed: SignedRequest, params: Params, now: Date): { state: EmulatorState; caller: Caller } {
  const { accounts } = deps;
  let owner: KeyOwner | undefined;
  if (deps.verifySignatures) {
    verifySignature(signed, (id) => {
      owner = accounts.findKey(id);
      return owner?.key;
    });
  } else {
    try {
      owner = accounts.findKey(claimOf(signed).accessKeyId);
    } catch {
      owner = undefined;
    }
  }
  if (!owner) return { state: accounts.management, caller: { kind: 'root', key: null } };
  const { state, key, session } = owner;
  if (session) {
    // Reference §6.1/§6.2: V3 sends x-acs-security-token, V1 the SecurityToken parameter.
    const token = header(signed.headers, 'x-acs-security-token') ?? params.get('SecurityToken');
    if (token === undefined) throw new ApiError(400, 'MissingSecurityToken', 'SecurityToken is mandatory for this action.');
    if (token !== session.securityToken) {
      throw new ApiError(400, 'InvalidSecurityToken.MismatchWithAccessKey', 'Specified SecurityToken mismatch with the AccessKey.');
    }
    if (now.getTime() >= session.expiration.getTime()) throw new ApiError(400, 'InvalidSecurityToken.Expired', 'Specified SecurityToken is expired.');
    return { state, caller: { kind: 'role', role: session.role, sessionName: session.sessionName, key } };
  }
  const user = key.owner ? state.users.get(key.owner) : undefined;
  return { state, caller: user ? { kind: 'user', user, key } : { kind: 'root', key } };
}

/**
 * Answers one Alibaba Cloud RPC request: routes by version (product) and action, verifies the
 * signature, applies injected faults, runs the handler and writes the JSON reply.
 */
export function createRequestHandler(deps: ServerDeps): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  return async (req, res) => {
    const id = requestId();
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const q = url.indexOf('?');
    const path = q < 0 ? url : url.slice(0, q);
    if (path.startsWith('/__emulator/')) return send(res, internal(deps, method, path), id);

    let product: Product | undefined;
    let action: string | undefined;
    let reply: Reply;
    try {
      const body = await readBody(req);
      const query = parseForm(q < 0 ? '' : url.slice(q + 1));
      const isForm = (header(req.headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded');
      const form = isForm ? parseForm(body.toString('utf8')) : new Map<string, string>();
      const params = new Params(new Map([...query, ...form]));
      action = header(req.headers, 'x-acs-action') ?? params.get('Action');
      const version = header(req.headers, 'x-acs-version') ?? params.get('Version');
      if (path !== '/') throw new ApiError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');
      if (action === undefined) throw missingParameter('Action');
      if (version === undefined) throw missingParameter('Version');
      product = VERSIONS[version];
      if (!product) throw new ApiError(400, 'InvalidVersion', `Specified parameter Version is not valid: ${version}.`);
      const handler = ACTIONS[product][action];
      if (!handler) throw new ApiError(404, 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.');

      const now = deps.clock();
      const { state, caller } = authenticate(deps, { method, path, query, form, headers: req.headers, body }, params, now);
      const realMs = performance.now();
      const fault = deps.faults.check(product, action, realMs);
      if (fault) throw fault;
      const { accounts } = deps;
      const ctx: ActionContext = { params, state, accounts, now, caller, reports: accounts.reportsOf(state), realMs };
      const result = handler(ctx);
      // The cloud records a key's last use on every successful call it signs.
      if (caller.key) {
        caller.key.lastUsedDate = now;
        caller.key.lastUsedService = PRODUCT_NAMES[product];
      }
      // The change stays applied; only the response is lost (faults.failAfterApply).
      const lost = deps.faults.afterApply(product, action);
      if (lost) throw lost;
      reply = { status: 200, body: { RequestId: id, ...result } };
    } catch (e) {
      const error = e instanceof ApiError ? e : new ApiError(500, 'InternalError', `The emulator failed: ${(e as Error).message}`);
      const hostId = HOST_IDS[product ?? 'ram'];
      reply = { status: error.status, body: errorBody(error, id, hostId, PRODUCT_NAMES[product ?? 'ram']), headers: error.headers };
    }
    if (product && action !== undefined) {
      const outcome = reply.status < 400 ? 'ok' : String(reply.body.Code).includes('Throttling') ? 'throttled' : 'error';
      deps.stats.record(product, action, outcome, WRITE_ACTIONS[product].has(action));
    }
    if (deps.faults.latencyMs > 0) await sleep(deps.faults.latencyMs);
    send(res, reply, id);
  };
}
