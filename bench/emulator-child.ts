/**
 * Runs the emulator in its own process for benchmarks, so the scanner's peak RSS is measured alone.
 * Protocol (IPC): parent sends {users, seed, latencyMs, qps, keyRatio}; child replies {url, scanner}.
 */
import { generateScenario, startEmulator } from '../emulator/index.js';

interface Start {
  users: number;
  seed: number;
  latencyMs: number;
  qps: number;
  keyRatio: number;
}

process.once('message', async (msg: Start) => {
  const scenario = generateScenario({ users: msg.users, seed: msg.seed, keyRatio: msg.keyRatio });
  const emulator = await startEmulator({ scenario, port: 0, seed: msg.seed, faults: { latencyMs: msg.latencyMs, qpsPerAction: msg.qps } });
  const scanner = scenario.users.find((u) => u.name === 'ramparts-scanner')?.accessKeys.find((k) => k.secret);
  const counts = {
    users: scenario.users.length,
    usersWithKeys: scenario.users.filter((u) => u.accessKeys.length > 0).length,
    groups: scenario.groups.length,
    roles: scenario.roles.length,
    trails: scenario.trails.length,
    secrets: scenario.secrets.length,
    attachedPolicies: new Set(
      [...scenario.users, ...scenario.groups, ...scenario.roles].flatMap((p) => p.policies.map((r) => `${r.type}:${r.name}`)),
    ).size,
  };
  process.send?.({ url: emulator.url, scanner: { id: scanner?.id, secret: scanner?.secret }, counts });
  process.on('disconnect', () => void emulator.close().then(() => process.exit(0)));
});
