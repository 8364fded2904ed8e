/** An inventory context over real cloud clients with fake credentials, for nock-mocked collector tests. */
import nock from 'nock';
import { createCloudClients, staticCredential, type CloudSettings } from '../../../shared/cloud/clients.js';
import type { InventoryContext } from '../../../shared/inventory/context.js';
import { PartTracker } from '../../../shared/inventory/tracker.js';

/** Public endpoints (nock intercepts them), fast retries. */
export function nockContext(concurrency = 8): InventoryContext {
  const settings: CloudSettings = {
    regionId: 'cn-hangzhou',
    protocol: 'https',
    endpoints: {},
    concurrency,
    maxAttempts: 3,
    retryBaseDelayMs: 1,
    retryMaxDelayMs: 5,
    connectTimeoutMs: 100,
    readTimeoutMs: 1000,
  };
  return {
    clients: createCloudClients(settings, { credential: staticCredential('LTAIfakeTestKey', 'fake-secret') }),
    tracker: new PartTracker(),
    settings: { credentialReport: { enabled: true, maxUsers: 3500, pollIntervalMs: 10, timeoutMs: 1000 } },
    progress: () => {},
    sleep: async () => {},
  };
}

/** One request nock saw: the action (from `x-acs-action`, V3 signature) and its query. */
export interface Seen {
  action: string;
  query: URLSearchParams;
}

/** Answers every RPC call to `host` with `handler(action, query)`, recording what was asked. */
export function serveRpc(host: string, handler: (action: string, query: URLSearchParams) => [number, Record<string, unknown>]): Seen[] {
  const seen: Seen[] = [];
  nock(host)
    .post('/')
    .query(true)
    .reply(function (uri) {
      const action = String(this.req.headers['x-acs-action']);
      const query = new URL(uri, host).searchParams;
      seen.push({ action, query });
      return handler(action, query);
    })
    .persist();
  return seen;
}
