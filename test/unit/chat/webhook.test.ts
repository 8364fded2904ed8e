import { describe, expect, it } from 'vitest';
import { signDingTalkWebhook, signedWebhookUrl } from '../../../shared/chat/dingtalk/webhook.js';

// Vectors recorded in reference §3.5 (computed with node crypto against DingTalk's documented algorithm).
describe('DingTalk group robot signature', () => {
  it('matches the reference vectors', () => {
    expect(signDingTalkWebhook('SECtest123', 1700000000000)).toBe('w3RMHXzixTMdzr8OHJUmVLS4IoPJVdu+Ut1LE48MePE=');
    const url = signedWebhookUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', `SEC${'0'.repeat(58)}`, 1670000000000);
    expect(url).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc&timestamp=1670000000000&sign=EtAhNN22hZ2vylP5xCbFHz8RYfho11z5JuWfv4fEbtY%3D');
  });

  it('leaves the URL alone for an unsigned robot', () => {
    expect(signedWebhookUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', null, 1)).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc');
  });
});
