/**
 * ChatPort contract (STYLE §9): every adapter renders every prompt kind and state, returns a ref, and
 * updates by that ref. Slack and DingTalk run against nock with generic replies; their exact request
 * bodies are asserted in test/unit/chat.
 */
import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../../shared/chat/cache.js';
import { createChat } from '../../../shared/chat/index.js';
import type { ChatPort } from '../../../shared/chat/port.js';
import { KINDS, fixtureView, type FixtureState } from '../../unit/chat/fixtures.js';

interface Harness {
  chat: ChatPort;
  /** Message keys the fake platform saw updated. */
  updated: string[];
}

function slackHarness(): Harness {
  const updated: string[] = [];
  let ts = 0;
  nock('https://slack.com')
    .persist()
    .post('/api/users.lookupByEmail')
    .reply(200, { ok: true, user: { id: 'U0ALICE' } })
    .post('/api/conversations.open')
    .reply(200, (_uri, body) => ({ ok: true, channel: { id: `D-${new URLSearchParams(body as string).get('users')}` } }))
    .post('/api/chat.postMessage')
    .reply(200, (_uri, body) => ({ ok: true, channel: new URLSearchParams(body as string).get('channel'), ts: `1700000000.${String(++ts).padStart(6, '0')}` }))
    .post('/api/chat.update')
    .reply(200, (_uri, body) => {
      const form = new URLSearchParams(body as string);
      updated.push(`${form.get('channel')}/${form.get('ts')}`);
      return { ok: true };
    });
  return { chat: createChat({ kind: 'slack', slack: { botToken: 'xoxb-test', securityChannel: 'C0SEC' }, cache: memoryCache(), clock: { now: () => new Date(0) } }), updated };
}

function dingTalkHarness(): Harness {
  const updated: string[] = [];
  nock('https://api.dingtalk.com')
    .persist()
    .post('/v1.0/oauth2/accessToken')
    .reply(200, { accessToken: 'tok', expireIn: 7200 })
    .post('/v1.0/card/instances/createAndDeliver')
    .reply(200, (_uri, body) => ({ success: true, result: { outTrackId: (body as { outTrackId: string }).outTrackId, deliverResults: [{ spaceType: 'IM_ROBOT', spaceId: 'x', success: true }] } }))
    .put('/v1.0/card/instances')
    .reply(200, (_uri, body) => {
      updated.push((body as { outTrackId: string }).outTrackId);
      return { success: true, result: true };
    });
  nock('https://oapi.dingtalk.com').persist().post('/robot/send').query(true).reply(200, { errcode: 0, errmsg: 'ok' });
  const chat = createChat({
    kind: 'dingtalk',
    dingtalk: { appKey: 'k', appSecret: 's', robotCode: 'r', cardTemplateId: 't', webhook: { url: 'https://oapi.dingtalk.com/robot/send?access_token=x', secret: 'SECx' } },
    cache: memoryCache(),
    clock: { now: () => new Date(0) },
  });
  return { chat, updated };
}

function consoleHarness(): Harness {
  const updated: string[] = [];
  const out = { write: (c: string) => void (/\(updated/.test(c) && updated.push(/message (\S+) \(updated/.exec(c)?.[1] ?? '')) };
  return { chat: createChat({ kind: 'console', console: { out }, cache: memoryCache(), clock: { now: () => new Date(0) } }), updated };
}

const keyOf = (platform: ChatPort['platform'], ref: { channel: string | null; messageKey: string }) =>
  platform === 'slack' ? `${ref.channel}/${ref.messageKey}` : ref.messageKey;

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => void nock.cleanAll());

describe.each([
  ['console', consoleHarness],
  ['slack', slackHarness],
  ['dingtalk', dingTalkHarness],
] as const)('ChatPort contract: %s', (_name, make) => {
  const states: FixtureState[] = ['pending', 'kept', 'resolved'];

  it.each(KINDS)('posts a %s and updates it by the returned ref in every state', async (kind) => {
    const h = make();
    const ref = await h.chat.postPrompt(fixtureView(kind));
    expect(typeof ref.messageKey).toBe('string');
    expect(ref.messageKey.length).toBeGreaterThan(0);
    for (const state of states) await h.chat.updatePrompt(ref, fixtureView(kind, state));
    expect(h.updated).toEqual(states.map(() => keyOf(h.chat.platform, ref)));
  });

  it('posts a security notice', async () => {
    await expect(make().chat.notifySecurity({ title: 'Root account used', text: 'root signed in', severity: 'critical' })).resolves.toBeUndefined();
  });

  it('gives every message its own ref', async () => {
    const h = make();
    const a = await h.chat.postPrompt(fixtureView('prompt'));
    const b = await h.chat.postPrompt(fixtureView('prompt'));
    expect(keyOf(h.chat.platform, a)).not.toBe(keyOf(h.chat.platform, b));
  });
});
