import { describe, expect, it } from 'vitest';
import { createConsoleChat } from '../../../shared/chat/console.js';
import { createChat } from '../../../shared/chat/index.js';
import { memoryCache } from '../../../shared/chat/cache.js';
import { renderConsoleItem, renderConsolePrompt } from '../../../templates/chat/console.js';
import { fixtureView } from './fixtures.js';

function sink() {
  const chunks: string[] = [];
  return { out: { write: (c: string) => chunks.push(c) }, text: () => chunks.join('') };
}

describe('console chat', () => {
  it('prints prompts with a counting message key, and updates under the same key showing only what changed', async () => {
    const s = sink();
    const chat = createConsoleChat({ out: s.out, run: 't' });
    const view = fixtureView('prompt');
    const ref = await chat.postPrompt(view);
    expect(ref).toEqual({ channel: null, messageKey: 'console-t-1' });
    expect(await chat.postPrompt(view)).toEqual({ channel: null, messageKey: 'console-t-2' });
    expect(s.text()).toContain(`── message console-t-1 ──\n${renderConsolePrompt(view)}`);

    const kept = fixtureView('prompt', 'kept');
    const changed = kept.items.filter((item, i) => renderConsoleItem(item).join('\n') !== renderConsoleItem(view.items[i]!).join('\n'));
    expect(changed.length).toBeGreaterThan(0);
    await chat.updatePrompt(ref, kept);
    const update = s.text().split('\n── ').at(-1) ?? '';
    expect(update.startsWith(`message console-t-1 (updated: ${changed.length} of ${kept.items.length} findings changed) ──\n`)).toBe(true);
    for (const item of changed) expect(update).toContain(renderConsoleItem(item).join('\n'));
    for (const item of kept.items.filter((i) => !changed.includes(i))) expect(update).not.toContain(`[task ${item.taskId}]`);

    // The same view again: said in one line, not reprinted.
    await chat.updatePrompt(ref, kept);
    expect(s.text().endsWith('\n── message console-t-1 (updated: no visible change) ──\n')).toBe(true);
  });

  it('prints an update of a message from an earlier run whole (this process never printed it)', async () => {
    const s = sink();
    const chat = createConsoleChat({ out: s.out, run: 't' });
    await chat.updatePrompt({ channel: null, messageKey: 'console-old-3' }, fixtureView('prompt', 'kept'));
    expect(s.text()).toBe(`\n── message console-old-3 (updated) ──\n${renderConsolePrompt(fixtureView('prompt', 'kept'))}`);
  });

  it('prints security notices', async () => {
    const s = sink();
    await createConsoleChat({ out: s.out }).notifySecurity({ title: 'Root account used', text: 'from 203.0.113.7', severity: 'critical' });
    expect(s.text()).toBe('\n── security notice ──\n🔴 CRITICAL · Root account used\nfrom 203.0.113.7\n');
  });
});

describe('createChat', () => {
  const base = { cache: memoryCache(), clock: { now: () => new Date(0) } };
  it('builds the configured adapter', () => {
    expect(createChat({ ...base, kind: 'console', console: { out: sink().out } }).platform).toBe('console');
    expect(createChat({ ...base, kind: 'slack', slack: { botToken: 'xoxb-x', securityChannel: null } }).platform).toBe('slack');
    expect(createChat({ ...base, kind: 'dingtalk', dingtalk: { appKey: 'k', appSecret: 's', robotCode: 'r', cardTemplateId: 't' } }).platform).toBe('dingtalk');
  });
  it('names what is missing', () => {
    expect(() => createChat({ ...base, kind: 'slack' })).toThrow(/SLACK_BOT_TOKEN/);
    expect(() => createChat({ ...base, kind: 'dingtalk' })).toThrow(/DINGTALK_APP_KEY/);
  });
});

describe('console message keys', () => {
  it('do not repeat across runs (each CLI command is a new process)', async () => {
    const { createConsoleChat: make } = await import('../../../shared/chat/console.js');
    const out = { write: () => true };
    const view = fixtureView('prompt', 'pending');
    const a = await make({ out }).postPrompt(view);
    const b = await make({ out }).postPrompt(view);
    expect(a.messageKey).not.toBe(b.messageKey);
  });
});
