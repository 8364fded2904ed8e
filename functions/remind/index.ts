/**
 * FC entry point of the hourly reminder job: reminders, escalation to managers, deadline actions
 * (which can request a revocation, never apply one).
 */
import { loadConfig } from '../../shared/config/index.js';
import { isTimerEvent, parseEvent, type FcContext } from '../../shared/fc/types.js';
import { createLogger } from '../../shared/logger.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { createWorkflow } from '../../shared/workflow.js';

export async function handler(event: Buffer, _context: FcContext): Promise<object> {
  const parsed = parseEvent<unknown>(event);
  const now = isTimerEvent(parsed) ? new Date(parsed.triggerTime) : new Date();
  const config = await loadConfig({ env: process.env, cwd: process.cwd(), rules: ALL_RULES });
  const logger = createLogger(config.logLevel);
  const wf = await createWorkflow({ config, env: process.env, logger, clock: { now: () => now } });
  try {
    const summary = await wf.remind();
    logger.info({ summary }, 'remind finished');
    return summary;
  } finally {
    await wf.close();
  }
}
