import { describe, expect, it } from 'vitest';
import { parseConfig, readChatSecrets } from '../../../shared/config/index.js';
import { ConfigError } from '../../../shared/errors.js';

const BUTTON = 'b'.repeat(32);
const config = (kind: 'console' | 'slack' | 'dingtalk') => parseConfig({ chat: { kind } }, { env: {}, rules: [] });

function issues(fn: () => unknown): string[] {
  try {
    fn();
  } catch (err) {
    if (err instanceof ConfigError) return err.issues;
    throw err;
  }
  return [];
}

describe('readChatSecrets', () => {
  it('needs only the button secret for the console', () => {
    expect(readChatSecrets(config('console'), { RAMPARTS_BUTTON_SECRET: BUTTON })).toEqual({ buttonSecrets: [BUTTON] });
    expect(issues(() => readChatSecrets(config('console'), {}))).toEqual([expect.stringMatching(/^RAMPARTS_BUTTON_SECRET: is required/)]);
  });

  it('names every missing Slack variable at once and splits rotation lists', () => {
    expect(issues(() => readChatSecrets(config('slack'), { RAMPARTS_BUTTON_SECRET: 'short' }))).toEqual([
      expect.stringMatching(/^RAMPARTS_BUTTON_SECRET: each secret must be at least 32/),
      expect.stringMatching(/^SLACK_BOT_TOKEN: is required when chat.kind is slack/),
      expect.stringMatching(/^SLACK_SIGNING_SECRET: is required/),
    ]);
    const s = readChatSecrets(config('slack'), { RAMPARTS_BUTTON_SECRET: BUTTON, SLACK_BOT_TOKEN: 'xoxb-fake', SLACK_SIGNING_SECRET: 'new, old' });
    expect(s.slack).toEqual({ botToken: 'xoxb-fake', signingSecrets: ['new', 'old'] });
  });

  it('requires the DingTalk app credentials, callback secret, robot code and card template', () => {
    const found = issues(() => readChatSecrets(config('dingtalk'), { RAMPARTS_BUTTON_SECRET: BUTTON }));
    expect(found.map((i) => i.split(':')[0])).toEqual([
      'DINGTALK_APP_KEY',
      'DINGTALK_APP_SECRET',
      'DINGTALK_CALLBACK_SECRET',
      'chat.dingtalk.robotCode',
      'chat.dingtalk.cardTemplateId',
    ]);
  });
});
