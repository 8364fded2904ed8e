import { loadScenario, startEmulator } from '../../emulator/index.js';
import type { Scenario } from '../../emulator/scenario.js';
import { RampartsError } from '../../shared/errors.js';
import { EXIT, type CliIO } from '../io.js';

export interface EmulatorOptions {
  scenario: string;
  port: string;
  latency: string;
  qps?: string;
  errorRate: string;
}

/** The access key a scan of this scenario should sign with: ramparts-scanner's, else the first usable. */
export function scannerCredentials(scenario: Scenario): { accessKeyId: string; accessKeySecret: string } {
  const users = [...scenario.users].sort((a, b) => Number(b.name === 'ramparts-scanner') - Number(a.name === 'ramparts-scanner'));
  for (const u of users) {
    for (const k of u.accessKeys) if (k.secret && k.status === 'Active') return { accessKeyId: k.id, accessKeySecret: k.secret };
  }
  throw new RampartsError('SCENARIO_NO_KEY', 'the scenario has no Active access key with a secret; add one to a user (accessKeys[].secret)');
}

function number(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max) throw new RampartsError('BAD_OPTION', `--${name} must be a number from ${min} to ${max}, got "${value}"`);
  return n;
}

/** `ramparts emulator`: serves a scenario on 127.0.0.1 until interrupted. */
export async function emulatorCommand(o: EmulatorOptions, io: CliIO, signal?: AbortSignal): Promise<number> {
  const port = number('port', o.port, 0, 65535) ?? 8790;
  const faults = {
    latencyMs: number('latency', o.latency, 0, 60_000),
    qpsPerAction: number('qps', o.qps, 1, 100_000),
    errorRate: number('error-rate', o.errorRate, 0, 1),
  };
  const scenario = await loadScenario(o.scenario);
  const emulator = await startEmulator({ scenario, port, faults });
  const creds = scannerCredentials(scenario);
  io.stdout.write(
    [
      `ramparts emulator: scenario "${o.scenario}" (account ${scenario.account.id}) on ${emulator.url}`,
      'Scan it from another terminal with:',
      `  export RAMPARTS_CLOUD_ENDPOINT=${emulator.url}`,
      `  export ALIBABA_CLOUD_ACCESS_KEY_ID=${creds.accessKeyId}`,
      '  export ALIBABA_CLOUD_ACCESS_KEY_SECRET=<the secret of that key in the scenario file>',
      '  npx ramparts scan',
      `Call counts: ${emulator.url}/__emulator/stats   (Ctrl-C stops)`,
      '',
    ].join('\n'),
  );
  await new Promise<void>((resolve) => {
    if (signal?.aborted) resolve();
    signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await emulator.close();
  return EXIT.ok;
}
