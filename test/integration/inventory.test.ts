import { afterEach, describe, expect, it } from 'vitest';
import type { Emulator } from '../../emulator/index.js';
import { isPartial } from '../../shared/domain/snapshot.js';
import { CloudError } from '../../shared/errors.js';
import { collectSnapshot } from '../../shared/inventory/collect.js';
import { clientsFor, emulatorWith, generateScenario, inventorySettings, NOW, SCANNER } from './harness.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.close();
  emulator = undefined;
});

const PER_USER_ACTIONS = ['GetUser', 'GetLoginProfile', 'GetUserMFAInfo', 'ListPoliciesForUser', 'ListGroupsForUser'];

describe('inventory through the real SDK against the emulator', () => {
  it('collects the demo account from the credential report without per-user calls', async () => {
    emulator = await emulatorWith('demo');
    const clients = clientsFor(emulator);
    const snapshot = await collectSnapshot({ clients, settings: inventorySettings(), now: NOW });

    expect(snapshot.mode).toBe('credential-report');
    expect(isPartial(snapshot)).toBe(false);
    expect(snapshot.account).toEqual({ id: '1234567890123456', alias: 'demo-corp' });
    const scenario = emulator.state;
    expect(snapshot.users).toHaveLength(scenario.users.size ?? snapshot.users.length);

    const scanner = snapshot.users.find((u) => u.name === 'ramparts-scanner')!;
    expect(scanner.principalName).toBe('ramparts-scanner@demo-corp.onaliyun.com');
    expect(scanner.console).toBeNull();
    expect(scanner.consoleKnown).toBe(true);
    expect(scanner.groups).toEqual(['ramparts-scanners']);
    expect(scanner.accessKeys).toHaveLength(1);
    expect(scanner.accessKeys![0]).toMatchObject({ id: SCANNER.accessKeyId, status: 'Active', lastUsedKnown: true });
    // The report's last-used for the key matched its slot (by creation time), not a per-key call.
    expect(scanner.accessKeys![0]!.lastUsedDate).not.toBeNull();

    const alice = snapshot.users.find((u) => u.name === 'alice.chen')!;
    expect(alice.console).not.toBeNull();
    expect(alice.mfa.active).toBe(true);
    expect(alice.mfaKnown).toBe(true);
    expect(alice.accessKeys).toEqual([]);

    expect(snapshot.root.lastLoginKnown).toBe(true);
    expect(snapshot.root.mfaActive).toBe(false);
    expect(snapshot.roles.every((r) => r.trustPolicy !== null)).toBe(true);
    expect(snapshot.passwordPolicy).not.toBeNull();

    const calls = clients.caller.stats.calls;
    for (const a of PER_USER_ACTIONS) expect(calls[a] ?? 0, a).toBe(0);
    const usersWithKeys = snapshot.users.filter((u) => (u.accessKeys ?? []).length > 0).length;
    expect(calls.ListAccessKeys).toBe(usersWithKeys);
    expect(calls.ListVirtualMFADevices).toBe(1);
    // Unattached System policies are never fetched.
    const fetched = snapshot.policies.filter((p) => p.document !== null);
    expect(fetched.every((p) => p.attachmentCount > 0 || p.type === 'Custom')).toBe(true);
    expect(calls.GetPolicy).toBe(fetched.length);
    expect(calls.ListEntitiesForPolicy).toBe(snapshot.policies.filter((p) => p.attachmentCount > 0).length);
    // The client's counts agree with what the server saw.
    expect(emulator.stats().total).toBe(clients.caller.stats.total);
  });

  it('pages through users and falls back to per-user calls above the report limit', async () => {
    emulator = await emulatorWith(generateScenario({ users: 3501, seed: 7 }));
    const clients = clientsFor(emulator, { concurrency: 16 });
    const snapshot = await collectSnapshot({ clients, settings: inventorySettings(), now: NOW });
    expect(snapshot.mode).toBe('per-user');
    expect(snapshot.users.length).toBeGreaterThan(3500);
    expect(isPartial(snapshot)).toBe(false);
    const calls = clients.caller.stats.calls;
    expect(calls.ListUsers).toBe(Math.ceil(snapshot.users.length / 1000));
    // At most the one discarded attempt started while users were still being listed.
    expect(calls.GenerateCredentialReport ?? 0).toBeLessThanOrEqual(1);
    expect(calls.ListAccessKeys).toBe(snapshot.users.length);
    expect(calls.GetLoginProfile).toBe(snapshot.users.length);
    // Root logon time is only in the report: unknown, not "never".
    expect(snapshot.root.lastLoginKnown).toBe(false);
    expect(snapshot.root.mfaActive).not.toBeNull();
    const withConsole = snapshot.users.filter((u) => u.console !== null);
    expect(withConsole.length).toBeGreaterThan(0);
    expect(snapshot.users.every((u) => u.consoleKnown && u.mfaKnown && u.accessKeys !== null)).toBe(true);
  }, 60_000);

  it('uses per-user calls when the report is disabled, with the same user facts', async () => {
    emulator = await emulatorWith('demo');
    const viaReport = await collectSnapshot({ clients: clientsFor(emulator), settings: inventorySettings(), now: NOW });
    const perUser = await collectSnapshot({ clients: clientsFor(emulator), settings: inventorySettings({ enabled: false }), now: NOW });
    expect(perUser.mode).toBe('per-user');
    const facts = (s: typeof viaReport) =>
      s.users.map((u) => ({
        name: u.name,
        console: u.console === null ? null : u.console.active,
        mfa: u.mfa.active,
        keys: (u.accessKeys ?? []).map((k) => [k.id, k.status]),
      }));
    expect(facts(perUser)).toEqual(facts(viaReport));
  });

  it('retries through per-action throttling and still collects everything', async () => {
    emulator = await emulatorWith(generateScenario({ users: 300, seed: 3 }), { qpsPerAction: 40 });
    const clients = clientsFor(emulator);
    const snapshot = await collectSnapshot({ clients, settings: inventorySettings(), now: NOW });
    expect(isPartial(snapshot)).toBe(false);
    expect(emulator.stats().throttled.ListAccessKeys ?? 0).toBeGreaterThan(0);
    expect(clients.caller.stats.retries).toBeGreaterThan(0);
  }, 60_000);

  it('retries transient ServiceUnavailable errors', async () => {
    emulator = await emulatorWith('demo', { errorRate: 0.2 });
    // Ten attempts: with one call in five failing, six can all fail for one of the ~100 calls (seeded draws).
    const clients = clientsFor(emulator, { maxAttempts: 10 });
    const snapshot = await collectSnapshot({ clients, settings: inventorySettings(), now: NOW });
    expect(isPartial(snapshot)).toBe(false);
    expect(clients.caller.stats.retries).toBeGreaterThan(0);
  });

  it('marks the scan partial, and the failed data unknown, when a part keeps failing', async () => {
    emulator = await emulatorWith('demo', {
      failActions: {
        ListEntitiesForPolicy: { code: 'ServiceUnavailable', status: 503 },
        'ram:ListUsersForGroup': { code: 'NoPermission', status: 403 },
      },
    });
    const clients = clientsFor(emulator);
    const snapshot = await collectSnapshot({ clients, settings: inventorySettings(), now: NOW });
    expect(isPartial(snapshot)).toBe(true);
    expect(snapshot.parts.policies).toMatchObject({ complete: false });
    expect(snapshot.parts.policies.error).toContain('ListEntitiesForPolicy');
    expect(snapshot.parts.groups.error).toContain('NoPermission');
    expect(snapshot.policies.filter((p) => p.attachmentCount > 0).every((p) => p.attachments === null)).toBe(true);
    expect(snapshot.users.every((u) => u.groups === null)).toBe(true);
    // The permission error was not retried; the 503s were.
    expect(clients.caller.stats.calls.ListUsersForGroup).toBe(snapshot.groups.length);
    expect(clients.caller.stats.calls.ListEntitiesForPolicy).toBeGreaterThan(snapshot.policies.filter((p) => p.attachmentCount > 0).length);
  });

  it('fails fast with an auth error for wrong credentials', async () => {
    emulator = await emulatorWith('demo');
    const clients = clientsFor(emulator, {}, { accessKeyId: SCANNER.accessKeyId, accessKeySecret: 'wrong-secret' });
    const err = await collectSnapshot({ clients, settings: inventorySettings(), now: NOW }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CloudError);
    expect((err as CloudError).code).toBe('CLOUD_AUTH_FAILED');
    expect((err as CloudError).message).toContain('SignatureDoesNotMatch');
    expect(clients.caller.stats.total).toBe(1);
  });

  it('fails fast when the endpoint does not answer', async () => {
    emulator = await emulatorWith('demo');
    const port = emulator.port;
    await emulator.close();
    emulator = undefined;
    const { createCloudClients, staticCredential } = await import('../../shared/cloud/clients.js');
    const { fastCloud } = await import('./harness.js');
    const clients = createCloudClients(fastCloud(`127.0.0.1:${port}`), { credential: staticCredential(SCANNER.accessKeyId, SCANNER.accessKeySecret) });
    const err = await collectSnapshot({ clients, settings: inventorySettings(), now: NOW }).catch((e: unknown) => e);
    expect((err as CloudError).code).toBe('CLOUD_UNREACHABLE');
    expect((err as CloudError).message).toContain(`127.0.0.1:${port}`);
  });
});
