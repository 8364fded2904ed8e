import { Command, CommanderError, Option } from 'commander';
import { RampartsError } from '../shared/errors.js';
import { SEVERITIES } from '../shared/domain/finding.js';
import { EXIT, type CliIO } from './io.js';
import { demoCommand } from './commands/demo.js';
import { emulatorCommand } from './commands/emulator.js';
import { rulesCommand } from './commands/rules.js';
import { scanCommand } from './commands/scan.js';
import { auditVerifyCli } from './commands/audit-cli.js';
import { applyCommand, executionsCommand, rollbackCommand } from './commands/apply.js';
import { decideCommand } from './commands/decide.js';
import { evidenceCommand } from './commands/evidence.js';
import { FC_FUNCTIONS, invokeCommand } from './commands/invoke.js';
import { remindCommand } from './commands/remind.js';
import { digestCommand } from './commands/digest.js';
import { serveCommand } from './commands/serve.js';
import { tasksCommand } from './commands/tasks.js';
import { waiveCommand } from './commands/waive.js';

export const FORMATS = ['table', 'json', 'markdown', 'csv'] as const;
export type Format = (typeof FORMATS)[number];

/** Options every command understands. */
export interface GlobalOptions {
  config?: string;
  debug?: boolean;
}

/**
 * Runs the `ramparts` CLI and resolves to the exit status. Errors end as one line on stderr naming the
 * cause; the stack only with --debug.
 */
export async function runCli(argv: string[], io: CliIO, opts: { signal?: AbortSignal } = {}): Promise<number> {
  let status: number = EXIT.ok;
  const program = new Command('ramparts')
    .description('Access reviews for Alibaba Cloud RAM: find stale keys, missing MFA, root use, over-broad permissions and risky role trust.')
    .option('-c, --config <file>', 'configuration file (default: $RAMPARTS_CONFIG or ./ramparts.config.yaml)')
    .option('--debug', 'log cloud calls and print stacks on errors')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run ramparts --help for usage)');

  const format = () => new Option('-f, --format <format>', 'output format').choices(FORMATS);
  program
    .command('scan')
    .description('scan the RAM account the credentials belong to (read-only)')
    .addOption(format())
    .option('-o, --output <file>', 'write the report to a file (format from its extension unless --format)')
    .addOption(new Option('--fail-on <severity>', 'exit 1 when a finding is at or above this severity').choices(SEVERITIES).default('low'))
    .option('--no-progress', 'no progress lines on stderr')
    .action(async (o) => {
      status = await scanCommand(o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('rules')
    .description('list the rule catalog')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json', 'markdown']).default('table'))
    .action(async (o) => {
      status = await rulesCommand(o, io);
    });
  program
    .command('emulator')
    .description('run the local Alibaba Cloud RAM/IMS/STS emulator')
    .option('-s, --scenario <name|file>', 'scenario name (demo, clean) or YAML/JSON file', 'demo')
    .option('-p, --port <port>', 'port on 127.0.0.1 (0 = any free port)', '8790')
    .option('--latency <ms>', 'added latency per request', '0')
    .option('--qps <n>', 'per-action request limit per second (answers Throttling.User)')
    .option('--error-rate <r>', 'fraction of requests answered ServiceUnavailable', '0')
    .action(async (o) => {
      status = await emulatorCommand(o, io, opts.signal);
    });
  program
    .command('tasks')
    .description('list review tasks')
    .option('--state <state...>', 'only tasks in these states (e.g. awaiting_owner escalated)')
    .option('--assignee <person>', 'only tasks this person may answer')
    .option('--rule <id>', 'only tasks of this rule')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (o) => {
      status = await tasksCommand(o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('decide')
    .description('answer a review task as a person (same rules as a chat button)')
    .argument('<task>', 'task id or unique prefix (see ramparts tasks)')
    .argument('<answer>', 'keep | revoke | snooze | not-mine | attest | decline | approve | reject | rollback')
    .requiredOption('--as <person>', 'person id from config people[] who answers')
    .option('--reason <text>', 'why (required for keep, decline, reject and rollback)')
    .option('--until <date>', 'fix-by date for snooze (YYYY-MM-DD)')
    .option('--step <n>', 'rollback: only this plan step (1-based)')
    .action(async (task, answer, o) => {
      status = await decideCommand(task, answer, o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('apply')
    .description('apply approved revocations and rollbacks once (remediation.mode; observe writes nothing)')
    .option('--dry-run', 'observe only for this run, whatever remediation.mode says')
    .action(async (o) => {
      status = await applyCommand(o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('rollback')
    .description('request a rollback of an applied plan as its owner; approved like a revocation, then applied by the apply run')
    .argument('<plan>', 'plan execution id or task id (or a unique prefix; see ramparts executions)')
    .requiredOption('--as <person>', 'person id of the owner asking')
    .option('--reason <text>', 'why access must come back (required)')
    .option('--step <n>', 'only this plan step (1-based)')
    .action(async (plan, o) => {
      status = await rollbackCommand(plan, o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('executions')
    .description('list approved plans and where their execution stands')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['table', 'json']).default('table'))
    .action(async (o) => {
      status = await executionsCommand(o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('evidence')
    .description('export audit evidence of the access reviews in a period (CSV or JSON), with the audit ledger head')
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD, UTC) or ISO time with zone')
    .requiredOption('--to <date>', 'last day, inclusive (YYYY-MM-DD, UTC) or ISO time with zone')
    .addOption(new Option('-f, --format <format>', 'output format (default: from --output extension, else csv)').choices(['csv', 'json']))
    .option('-o, --output <file>', 'write the evidence to a file')
    .action(async (o) => {
      status = await evidenceCommand(o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('waive')
    .description('accept a finding for a while (security group only): reason required, optional expiry')
    .argument('<task>', 'task id or unique prefix')
    .requiredOption('--as <person>', 'person id (a member of review.securityGroup)')
    .requiredOption('--reason <text>', 'why the finding is accepted (a ticket, a decision)')
    .option('--until <date>', 'last day the waiver applies (YYYY-MM-DD); the task reopens after it')
    .action(async (task, o) => {
      status = await waiveCommand(task, o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('remind')
    .description('send due reminders, escalate to managers, apply deadline actions (never a RAM change)')
    .action(async () => {
      status = await remindCommand(program.opts<GlobalOptions>(), io);
    });
  program
    .command('digest')
    .description('the weekly digest: post it to the security channel and record it (as the digest function does); --html writes the report with charts')
    .option('--html <file>', 'write the self-contained HTML report (SVG charts) to this file')
    .option('--no-post', 'only compute and print it: nothing is sent or recorded')
    .addOption(new Option('-f, --format <format>', 'what to print').choices(['text', 'json']).default('text'))
    .action(async (o) => {
      status = await digestCommand(o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('serve')
    .description('serve the Slack/DingTalk callback handler locally (for a tunnel)')
    .option('-p, --port <port>', 'port', '8791')
    .option('--host <host>', 'interface to listen on', '127.0.0.1')
    .action(async (o) => {
      status = await serveCommand(o, program.opts<GlobalOptions>(), io, opts.signal);
    });
  program
    .command('invoke')
    .description('run a built FC function bundle (dist/<fn>/index.mjs) on an event file, as FC would; prints its result as JSON')
    .argument('<function>', Object.keys(FC_FUNCTIONS).join(' | '))
    .requiredOption('-e, --event <file>', 'FC event (JSON): a timer or HTTP trigger event, e.g. templates/events/timer-scan.json')
    .option('--dist <dir>', 'where npm run build put the bundles', 'dist')
    .action(async (fn, o) => {
      status = await invokeCommand(fn, o, program.opts<GlobalOptions>(), io);
    });
  program
    .command('audit')
    .description('audit ledger tools')
    .command('verify')
    .description('check the hash chain; reports the first edited, deleted or reordered entry (exit 1)')
    .action(async () => {
      status = await auditVerifyCli(program.opts<GlobalOptions>(), io);
    });
  program
    .command('demo')
    .description('scan a built-in demo account on the local emulator (no cloud account needed)')
    .addOption(format().default('table'))
    .action(async (o) => {
      status = await demoCommand(o, program.opts<GlobalOptions>(), io);
    });

  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, successfully.
      return err.exitCode === 0 ? EXIT.ok : EXIT.error;
    }
    const debug = Boolean(program.opts<GlobalOptions>().debug);
    io.stderr.write(`ramparts: ${errorLine(err)}\n`);
    if (debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    else if (!(err instanceof RampartsError)) io.stderr.write('(run with --debug for details)\n');
    return err instanceof RampartsError ? err.exitCode : EXIT.error;
  }
}

function errorLine(err: unknown): string {
  if (err instanceof RampartsError) return err.message;
  if (err instanceof Error) return `unexpected error: ${err.message.split('\n')[0]}`;
  return `unexpected error: ${String(err)}`;
}
