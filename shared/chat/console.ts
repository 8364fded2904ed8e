/**
 * ChatPort that prints to a stream, for the demo and local runs. Message keys count up; an update
 * prints the message again, marked as an update.
 */
import { renderConsoleNotice, renderConsolePrompt } from '../../templates/chat/console.js';
import { randomBytes } from 'node:crypto';
import type { ChatPort } from './port.js';

export interface ConsoleChatOptions {
  /** Where prompts go (default process.stdout). */
  out?: { write(chunk: string): unknown };
  /**
   * Prefix of message keys. Keys are stored with their tasks and must not repeat across runs (each
   * CLI command is a new process), so the default is a random run id.
   */
  run?: string;
}

export function createConsoleChat(opts: ConsoleChatOptions = {}): ChatPort {
  const out = opts.out ?? process.stdout;
  let counter = 0;
  const run = opts.run ?? randomBytes(3).toString('hex');
  return {
    platform: 'console',
    async postPrompt(view) {
      const messageKey = `console-${run}-${++counter}`;
      out.write(`\n── message ${messageKey} ──\n${renderConsolePrompt(view)}`);
      return { channel: null, messageKey };
    },
    async updatePrompt(ref, view) {
      out.write(`\n── message ${ref.messageKey} (updated) ──\n${renderConsolePrompt(view)}`);
    },
    async notifySecurity(notice) {
      out.write(`\n── security notice ──\n${renderConsoleNotice(notice)}`);
    },
  };
}
