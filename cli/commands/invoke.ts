/**
 * `ramparts invoke FUNCTION --event FILE [--dist DIR]`: runs a BUILT function bundle
 * (`dist/<fn>/index.mjs`, from `npm run build`) in this process the way FC3 calls it — the event file's
 * bytes as a Buffer and a context like FC's (reference chat-and-function-compute.md §2.1–2.2) — and
 * prints the handler's result as JSON on stdout. No Docker: the bundle sees this process's
 * environment and working directory as its FC environment variables and code directory.
 */
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '../../shared/config/index.js';
import { RampartsError } from '../../shared/errors.js';
import type { FcContext } from '../../shared/fc/types.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { EXIT, type CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';

/** The deployed functions with their s.yaml memory (MB) and timeout (s). */
export const FC_FUNCTIONS = {
  scan: { memory: 1024, timeout: 900 },
  remind: { memory: 512, timeout: 300 },
  apply: { memory: 512, timeout: 600 },
  interact: { memory: 512, timeout: 10 },
  digest: { memory: 512, timeout: 120 },
  alert: { memory: 512, timeout: 120 },
} as const;
export type FcFunctionName = keyof typeof FC_FUNCTIONS;

export interface InvokeOptions {
  event: string;
  dist?: string;
}

type Handler = (event: Buffer, context: FcContext) => Promise<unknown>;
interface FunctionModule {
  handler?: Handler;
  /** FC3 lifecycle hook: the instance is about to stop (closes what a warm instance keeps open). */
  preStop?: (context: FcContext) => Promise<void>;
}

/** Placeholders when no credentials are in the environment: any cloud call with them is refused, visibly. */
const FAKE_CREDENTIALS = {
  accessKeyId: 'fake-access-key-id-set-ALIBABA_CLOUD_ACCESS_KEY_ID',
  accessKeySecret: 'fake-access-key-secret-set-ALIBABA_CLOUD_ACCESS_KEY_SECRET',
  securityToken: '',
};

export async function invokeCommand(name: string, o: InvokeOptions, g: GlobalOptions, io: CliIO): Promise<number> {
  if (!(name in FC_FUNCTIONS)) {
    throw new RampartsError('INVOKE_UNKNOWN_FUNCTION', `unknown function "${name}": use one of ${Object.keys(FC_FUNCTIONS).join(', ')}`);
  }
  const fn = name as FcFunctionName;
  const bundle = join(resolve(io.cwd, o.dist ?? 'dist'), fn, 'index.mjs');
  if (!existsSync(bundle)) throw new RampartsError('INVOKE_NOT_BUILT', `${bundle} does not exist: run npm run build first (or pass --dist DIR)`);
  const event = await readEvent(resolve(io.cwd, o.event));
  const mod = (await import(pathToFileURL(bundle).href)) as FunctionModule;
  if (typeof mod.handler !== 'function') throw new RampartsError('INVOKE_NO_HANDLER', `${bundle} exports no handler function: rebuild it with npm run build`);
  const context = await fakeContext(fn, g, io);

  // FC sends everything a function prints to its log; stdout carries only the result here.
  const restoreEnv = g.config ? setEnv('RAMPARTS_CONFIG', resolve(io.cwd, g.config)) : () => undefined;
  const write = process.stdout.write;
  process.stdout.write = ((chunk: string | Uint8Array) => io.stderr.write(chunk)) as typeof process.stdout.write;
  let result: unknown;
  try {
    result = await mod.handler(event, context);
  } catch (err) {
    // The bundle has its own copy of RampartsError, so read the code by shape, not instanceof.
    const e = err as { code?: unknown; message?: unknown; stack?: unknown };
    const code = typeof e.code === 'string' ? `[${e.code}] ` : '';
    io.stderr.write(`ramparts: invoke ${fn} failed: ${code}${typeof e.message === 'string' ? e.message : String(err)}\n`);
    if (g.debug && typeof e.stack === 'string') io.stderr.write(`${e.stack}\n`);
    return EXIT.error;
  } finally {
    process.stdout.write = write;
    restoreEnv();
    // One invocation, then the instance stops: let the function close what it keeps warm.
    await mod.preStop?.(context).catch(() => undefined);
  }
  io.stdout.write(`${JSON.stringify(Buffer.isBuffer(result) ? result.toString('utf8') : (result ?? null), null, 2)}\n`);
  return EXIT.ok;
}

/** The event file must hold JSON (a timer or an HTTP trigger event); FC passes its bytes unchanged. */
async function readEvent(path: string): Promise<Buffer> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (cause) {
    throw new RampartsError('INVOKE_BAD_EVENT', `cannot read the event file ${path}: ${(cause as Error).message} (samples in templates/events/)`, { cause });
  }
  try {
    JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new RampartsError('INVOKE_BAD_EVENT', `the event file ${path} is not JSON: ${(cause as Error).message} (samples in templates/events/)`, { cause });
  }
  return bytes;
}

/** A context shaped like FC's (§2.2): credentials from the environment, or placeholders that no cloud accepts. */
async function fakeContext(fn: FcFunctionName, g: GlobalOptions, io: CliIO): Promise<FcContext> {
  const env = io.env;
  const requestId = randomUUID();
  const line = (level: string) => (...args: unknown[]) => void io.stderr.write(`${new Date().toISOString()} ${requestId} [${level}] ${args.map(String).join(' ')}\n`);
  const id = env.ALIBABA_CLOUD_ACCESS_KEY_ID?.trim();
  const secret = env.ALIBABA_CLOUD_ACCESS_KEY_SECRET?.trim();
  return {
    requestId,
    region: await region(g, io),
    accountId: env.ALIBABA_CLOUD_ACCOUNT_ID?.trim() || '0000000000000000',
    credentials: id && secret ? { accessKeyId: id, accessKeySecret: secret, securityToken: env.ALIBABA_CLOUD_SECURITY_TOKEN?.trim() ?? '' } : FAKE_CREDENTIALS,
    function: { name: `ramparts-${fn}`, handler: 'index.handler', ...FC_FUNCTIONS[fn] },
    logger: { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error'), log: line('info') },
  };
}

/** cloud.regionId (RAMPARTS_REGION overrides it); a config that does not load is the handler's to report. */
async function region(g: GlobalOptions, io: CliIO): Promise<string> {
  try {
    return (await loadConfig({ path: g.config, env: io.env, cwd: io.cwd, rules: ALL_RULES })).cloud.regionId;
  } catch {
    return io.env.RAMPARTS_REGION?.trim() || 'cn-hangzhou';
  }
}

function setEnv(name: string, value: string): () => void {
  const before = process.env[name];
  process.env[name] = value;
  return () => {
    if (before === undefined) delete process.env[name];
    else process.env[name] = before;
  };
}
