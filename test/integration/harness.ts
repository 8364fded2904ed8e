/**
 * Integration harness: an emulator on 127.0.0.1 and the real cloud clients pointed at it, with fast
 * retries so fault tests stay quick.
 */
import { generateScenario, loadScenario, startEmulator, type Emulator, type Faults } from '../../emulator/index.js';
import type { Scenario } from '../../emulator/scenario.js';
import { PRODUCTS } from '../../shared/cloud/caller.js';
import { createCloudClients, staticCredential, type CloudClients, type CloudSettings } from '../../shared/cloud/clients.js';
import type { InventorySettings } from '../../shared/inventory/context.js';

export const SCANNER = { accessKeyId: 'LTAI5tDemoScannerKey0001', accessKeySecret: 'demo-secret-not-real-0001' };
/** Scenario dates are relative; pin the emulator's clock and the scan's `now` to the same instant. */
export const NOW = new Date('2026-06-01T12:00:00Z');

export const fastCloud = (endpoint: string, over: Partial<CloudSettings> = {}): CloudSettings => ({
  regionId: 'cn-hangzhou',
  protocol: 'http',
  // Every product, so no call can leave for a public endpoint (the emulator answers them all).
  endpoints: Object.fromEntries(PRODUCTS.map((p) => [p, endpoint])),
  concurrency: 8,
  maxAttempts: 6,
  retryBaseDelayMs: 5,
  retryMaxDelayMs: 50,
  connectTimeoutMs: 1000,
  readTimeoutMs: 5000,
  ...over,
});

export const inventorySettings = (over: Partial<InventorySettings['credentialReport']> = {}): InventorySettings => ({
  credentialReport: { enabled: true, maxUsers: 3500, pollIntervalMs: 10, timeoutMs: 5000, ...over },
});

export async function emulatorWith(scenario: Scenario | string, faults?: Faults): Promise<Emulator> {
  const s = typeof scenario === 'string' ? await loadScenario(scenario) : scenario;
  return startEmulator({ scenario: s, port: 0, clock: () => new Date(NOW), faults });
}

export function clientsFor(emulator: Emulator, over: Partial<CloudSettings> = {}, creds = SCANNER): CloudClients {
  return createCloudClients(fastCloud(emulator.endpoint, over), { credential: staticCredential(creds.accessKeyId, creds.accessKeySecret) });
}

export { generateScenario };
