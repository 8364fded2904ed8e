import { loadScenario, startEmulator } from '../../emulator/index.js';
import { createApp } from '../../shared/app.js';
import { staticCredential } from '../../shared/cloud/clients.js';
import { loadConfig, parseConfig } from '../../shared/config/index.js';
import { createLogger } from '../../shared/logger.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { EXIT, type CliIO } from '../io.js';
import type { Format, GlobalOptions } from '../program.js';
import { scannerCredentials } from './emulator.js';
import { demoReviewCycle } from './demo-review.js';
import { emit } from './scan.js';

/**
 * `ramparts demo`: the whole scan against the built-in demo account on an in-process emulator — no
 * cloud account, no credentials. Ignores ./ramparts.config.yaml unless --config names a file.
 */
export async function demoCommand(o: { format: Format }, g: GlobalOptions, io: CliIO): Promise<number> {
  const scenario = await loadScenario('demo');
  const emulator = await startEmulator({ scenario, port: 0 });
  try {
    const env = { RAMPARTS_CLOUD_ENDPOINT: emulator.url };
    // The demo runs on defaults so a local ramparts.config.yaml (exclusions, overrides) cannot hide findings.
    const config = g.config
      ? await loadConfig({ path: g.config, env, cwd: io.cwd, rules: ALL_RULES })
      : parseConfig({}, { env, rules: ALL_RULES });
    const creds = scannerCredentials(scenario);
    const app = createApp({
      config,
      logger: createLogger(g.debug ? 'debug' : 'warn', io.stderr),
      credential: staticCredential(creds.accessKeyId, creds.accessKeySecret),
    });
    if (o.format === 'table') {
      io.stdout.write(`ramparts demo — scanning the emulated account "${scenario.account.alias ?? scenario.account.id}" on ${emulator.url}\n\n`);
    }
    const report = await app.scan();
    await emit(report, { format: o.format }, io);
    if (o.format === 'table') {
      await demoReviewCycle(report, io, { clients: app.cloud, writes: () => Object.values(emulator.stats().writes).reduce((a, b) => a + b, 0) });
      io.stdout.write(
        '\nNext: `npx ramparts rules` lists every rule; `npx ramparts scan --format json` scans a real account\n' +
          'read-only with the standard ALIBABA_CLOUD_ACCESS_KEY_ID/SECRET (see README "Scanning a real account").\n',
      );
    }
    return EXIT.ok;
  } finally {
    await emulator.close();
  }
}
