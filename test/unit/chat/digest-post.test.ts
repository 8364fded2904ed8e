/** Posting the weekly digest: Slack (blocks, then the chart uploaded as a file), DingTalk (robot markdown), console. */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../../shared/chat/cache.js';
import { createConsoleChat } from '../../../shared/chat/console.js';
import { createDingTalkChat } from '../../../shared/chat/dingtalk/adapter.js';
import { signDingTalkWebhook } from '../../../shared/chat/dingtalk/webhook.js';
import { createSlackChat } from '../../../shared/chat/slack/adapter.js';
import { renderDigestDingTalk, renderDigestSlack, renderDigestText } from '../../../templates/digest/chat.js';
import { sampleDigest } from '../../fixtures/digest-model.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4]);
const T0 = Date.parse('2026-11-23T00:00:00Z');

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('Slack digest', () => {
  const slack = (securityChannel: string | null = 'C0SEC') =>
    createSlackChat({ botToken: 'xoxb-test', securityChannel, cache: memoryCache(), retryConfig: { retries: 0 } });

  it('posts the blocks to the security channel, then uploads the trend PNG there', async () => {
    const posted: Array<Record<string, string>> = [];
    let uploaded: Buffer | null = null;
    let completed: Record<string, string> | null = null;
    nock('https://slack.com', { reqheaders: { authorization: 'Bearer xoxb-test' } })
      .post('/api/chat.postMessage', (b: Record<string, string>) => (posted.push(b), true))
      .reply(200, { ok: true, channel: 'C0SEC', ts: '1.1' })
      .post('/api/files.getUploadURLExternal', (b: Record<string, string>) => b.filename === 'ramparts-trend.png' && Number(b.length) === PNG.length)
      .reply(200, { ok: true, upload_url: 'https://files.slack.com/upload/v1/abc', file_id: 'F0CHART' })
      .post('/api/files.completeUploadExternal', (b: Record<string, string>) => ((completed = b), true))
      .reply(200, { ok: true, files: [{ id: 'F0CHART' }] });
    nock('https://files.slack.com')
      .post('/upload/v1/abc', (body: unknown) => ((uploaded = Buffer.isBuffer(body) ? body : Buffer.from(String(body), 'binary')), true))
      .reply(200, 'OK');

    await slack().postDigest(sampleDigest(), { png: PNG });
    const { text, blocks } = renderDigestSlack(sampleDigest());
    expect(posted).toEqual([{ channel: 'C0SEC', text, blocks: JSON.stringify(blocks), unfurl_links: 'false' }]);
    expect(uploaded).not.toBeNull();
    expect(completed!.channel_id).toBe('C0SEC');
    expect(JSON.parse(completed!.files!)).toEqual([{ id: 'F0CHART', title: 'Open findings by severity, week by week' }]);
  });

  it('posts no file without a chart, and asks for the channel when there is none', async () => {
    nock('https://slack.com').post('/api/chat.postMessage').reply(200, { ok: true, channel: 'C0SEC', ts: '1.2' });
    await slack().postDigest(sampleDigest(), null);
    await expect(slack(null).postDigest(sampleDigest(), null)).rejects.toThrow(/set chat.slack.securityChannel/);
  });
});

describe('DingTalk digest', () => {
  it('posts the markdown to the signed group robot', async () => {
    const chat = createDingTalkChat({
      appKey: 'k',
      appSecret: 's',
      robotCode: 'r',
      cardTemplateId: 't',
      clock: { now: () => new Date(T0) },
      webhook: { url: 'https://oapi.dingtalk.com/robot/send?access_token=robot-tok', secret: 'SECtest123' },
    });
    nock('https://oapi.dingtalk.com')
      .post('/robot/send', renderDigestDingTalk(sampleDigest()))
      .query({ access_token: 'robot-tok', timestamp: String(T0), sign: signDingTalkWebhook('SECtest123', T0) })
      .reply(200, { errcode: 0, errmsg: 'ok' });
    await chat.postDigest(sampleDigest(), { png: PNG });
  });
});

describe('console digest', () => {
  it('prints the text digest', async () => {
    let out = '';
    const chat = createConsoleChat({ out: { write: (s: string) => (out += s) } });
    await chat.postDigest(sampleDigest(), null);
    expect(out).toContain(renderDigestText(sampleDigest()));
  });
});
