import { EXIT, type CliIO } from '../io.js';
import type { GlobalOptions } from '../program.js';
import { withWorkflow } from './workflow.js';

/** `ramparts remind`: one pass of reminders, escalations and deadline actions (what the hourly function runs). */
export async function remindCommand(g: GlobalOptions, io: CliIO): Promise<number> {
  return withWorkflow(g, io, async (wf) => {
    const s = await wf.remind();
    io.stdout.write(
      `remind: ${s.checked} tasks checked, ${s.reminded} reminded, ${s.escalated} escalated, ${s.deadlines} deadline actions, ${s.snoozesExpired} snoozes expired, ${s.messages} messages\n`,
    );
    for (const f of s.failures) io.stderr.write(`ramparts: ${typeof f === 'string' ? f : JSON.stringify(f)}\n`);
    return s.failures.length > 0 ? EXIT.error : EXIT.ok;
  });
}
