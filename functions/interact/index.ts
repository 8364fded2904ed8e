/**
 * FC entry point for Slack and DingTalk callbacks (HTTP trigger, anonymous: the handler checks the
 * platforms' own signatures on the raw body). No RAM access: it only records decisions.
 */
import { loadConfig } from '../../shared/config/index.js';
import { fromResponse, toRequest } from '../../shared/fc/http.js';
import { parseEvent, type FcContext, type FcHttpEvent, type FcHttpResponse } from '../../shared/fc/types.js';
import { createLogger } from '../../shared/logger.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createWorkflow, type Workflow } from '../../shared/workflow.js';

// One request per instance (FC3 built-in runtimes), so the store connection is reused across
// invocations of a warm instance.
let workflow: Promise<Workflow> | undefined;

async function getWorkflow(): Promise<Workflow> {
  workflow ??= (async () => {
    const config = await loadConfig({ env: process.env, cwd: process.cwd(), rules: ALL_RULES });
    return createWorkflow({ config, env: process.env, logger: createLogger(config.logLevel) });
  })().catch((err: unknown) => {
    workflow = undefined;
    throw err;
  });
  return workflow;
}

export async function handler(event: Buffer, _context: FcContext): Promise<FcHttpResponse> {
  const request = toRequest(parseEvent<FcHttpEvent>(event));
  const wf = await getWorkflow();
  return fromResponse(await wf.interact(request));
}

/** FC3 PreStop lifecycle hook: the instance is stopping, so close the store connections it kept warm. */
export async function preStop(_context: FcContext): Promise<void> {
  const current = workflow;
  workflow = undefined;
  await (await current?.catch(() => undefined))?.close();
}
