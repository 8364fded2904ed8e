/**
 * ChatPort that prints to a stream, for the demo and local runs. Message keys count up. An update of a
 * message this process printed shows only the findings whose card text changed (a long card is not
 * reprinted for one status line); an update of a message from an earlier run prints it whole.
 */
import { renderConsoleHeader, renderConsoleItem, renderConsoleNotice, renderConsolePrompt } from '../../templates/chat/console.js';
import { randomBytes } from 'node:crypto';
import { renderDigestText } from '../../templates/digest/chat.js';
import type { ChatPort, PromptView } from './port.js';

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
  /** Message key → task id → the item's printed text, for messages printed by this process. */
  const shown = new Map<string, Map<string, string>>();
  const remember = (key: string, view: PromptView) => shown.set(key, new Map(view.items.map((i) => [i.taskId, renderConsoleItem(i).join('\n')])));
  return {
    platform: 'console',
    async postPrompt(view) {
      const messageKey = `console-${run}-${++counter}`;
      out.write(`\n── message ${messageKey} ──\n${renderConsolePrompt(view)}`);
      remember(messageKey, view);
      return { channel: null, messageKey };
    },
    async updatePrompt(ref, view) {
      const before = shown.get(ref.messageKey);
      remember(ref.messageKey, view);
      if (!before) {
        out.write(`\n── message ${ref.messageKey} (updated) ──\n${renderConsolePrompt(view)}`);
        return;
      }
      const changed = view.items.filter((i) => before.get(i.taskId) !== renderConsoleItem(i).join('\n'));
      if (changed.length === 0) {
        out.write(`\n── message ${ref.messageKey} (updated: no visible change) ──\n`);
        return;
      }
      const lines = renderConsoleHeader(view).slice(0, 2);
      for (const item of changed) lines.push('', ...renderConsoleItem(item));
      out.write(`\n── message ${ref.messageKey} (updated: ${changed.length} of ${view.items.length} findings changed) ──\n${lines.join('\n')}\n`);
    },
    async notifySecurity(notice) {
      out.write(`\n── security notice ──\n${renderConsoleNotice(notice)}`);
    },
    async postDigest(digest) {
      out.write(`\n── weekly digest (security channel) ──\n${renderDigestText(digest)}`);
    },
  };
}
