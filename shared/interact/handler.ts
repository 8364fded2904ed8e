/**
 * The interact entry point (DESIGN "Functions": interact), transport-free: web Request in, Response out.
 * Order on every route: size → signature on the raw bytes → parse → clicker → button token → decide
 * (STYLE §6). Nothing before decide changes state, so every refusal up to there is side-effect free.
 */
import { handleDingTalk } from './dingtalk.js';
import { DEFAULT_MAX_BODY_BYTES, problem, readRawBody } from './http.js';
import { handleSlack } from './slack.js';
import type { InteractDeps } from './types.js';

export type { InteractDeps, InteractLogger } from './types.js';

/** Paths the handler answers; FC and `ramparts serve` route every path here. */
export const INTERACT_ROUTES = {
  '/slack/actions': handleSlack,
  '/dingtalk/card-callback': handleDingTalk,
} as const;

/** Builds the handler. It awaits decide (fast: one transaction) and nothing slower. */
export function createInteractHandler(deps: InteractDeps): (req: Request) => Promise<Response> {
  const maxBytes = deps.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  return async (req) => {
    const path = new URL(req.url).pathname;
    const route = INTERACT_ROUTES[path as keyof typeof INTERACT_ROUTES] as (typeof INTERACT_ROUTES)[keyof typeof INTERACT_ROUTES] | undefined;
    if (!route) return problem(404, 'not_found', `no route ${path}`);
    if (req.method !== 'POST') return problem(405, 'method_not_allowed', 'use POST', { allow: 'POST' });
    try {
      const raw = await readRawBody(req, maxBytes);
      if (raw === null) return problem(413, 'too_large', `body over ${maxBytes} bytes`);
      return await route(deps, req, raw);
    } catch (err) {
      // Only the error's message: a stack or the request could carry what must not be logged.
      deps.logger?.error({ path, err: err instanceof Error ? err.message : String(err) }, 'interact: request failed');
      return problem(500, 'internal', 'ramparts could not handle this request; try again');
    }
  };
}
