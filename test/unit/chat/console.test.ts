import { describe, expect, it } from 'vitest';
import { createConsoleChat } from '../../../shared/chat/console.js';
import { createChat } from '../../../shared/chat/index.js';
import { memoryCache } from '../../../shared/chat/cache.js';
import { renderConsolePrompt } from '../../../templates/chat/console.js';
import { fixtureView } from './fixtures.js';

function sink() {
  const chunks: string[] = [];
  return { out: { write: (c: string) => chunks.push(c) }, text: () => chunks.join('') };
}

describe('console chat', () => {
  it('prints prompts with a counting message key, and updates under the same key', async () => {
    const s = sink();
    const chat = createConsoleChat({ out: s.out, run: 't' });
    const view = fixtureView('prompt');
    const ref = await chat.postPrompt(view);
    expect(ref).toEqual({ channel: null, messageKey: 'console-t-1' });
    expect(await chat.postPrompt(view)).toEqual({ channel: null, messageKey: 'console-t-2' });
    await chat.updatePrompt(ref, fixtureView('prompt', 'kept'));
    expect(s.text()).toContain(`── message console-t-1 ──\n${renderConsolePrompt(view)}`);
    expect(s.text()).toContain(`── message console-t-1 (updated) ──\n${renderConsolePrompt(fixtureView('prompt', 'kept'))}`);
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
