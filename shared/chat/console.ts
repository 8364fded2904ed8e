/**
 * ChatPort that prints to a stream, for the demo and local runs. Message keys count up; an update
 * prints the message again, marked as an update.
 */
import { renderConsoleNotice, renderConsolePrompt } from '../../templates/chat/console.js';
import type { ChatPort } from './port.js';

export interface ConsoleChatOptions {
  /** Where prompts go (default process.stdout). */
  out?: { write(chunk: string): unknown };
}

export function createConsoleChat(opts: ConsoleChatOptions = {}): ChatPort {
  const out = opts.out ?? process.stdout;
  let counter = 0;
  return {
    platform: 'console',
    async postPrompt(view) {
      const messageKey = `console-${++counter}`;
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
