import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createDingTalkChat } from '../../../shared/chat/dingtalk/adapter.js';
import { signDingTalkWebhook } from '../../../shared/chat/dingtalk/webhook.js';
import { RampartsError } from '../../../shared/errors.js';
import { renderDingTalkCard, renderDingTalkNotice } from '../../../templates/chat/dingtalk.js';
import { alice, fixtureView } from './fixtures.js';

const API = 'https://api.dingtalk.com';
const T0 = Date.parse('2025-01-01T00:00:00Z');

function setup(opts: { webhook?: { url: string; secret: string | null } } = {}) {
  let now = T0;
  let n = 0;
  const chat = createDingTalkChat({
    appKey: 'ding-app-key',
    appSecret: 'ding-app-secret',
    robotCode: 'dingRobot',
    cardTemplateId: 'tpl-ramparts.schema',
    clock: { now: () => new Date(now) },
    newId: () => `ramparts-out-${++n}`,
    webhook: opts.webhook ?? null,
  });
  return { chat, advance: (ms: number) => (now += ms) };
}

const tokenReply = (token: string) => ({ accessToken: token, expireIn: 7200 });
const delivered = (outTrackId: string) => ({
  success: true,
  result: { outTrackId, deliverResults: [{ spaceType: 'IM_ROBOT', spaceId: 'dt-alice', success: true, carrierId: 'c1' }] },
});

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('DingTalk adapter', () => {
  it('fetches the access token once and delivers the card to the 1:1 robot chat', async () => {
    const view = fixtureView('prompt');
    const bodies: unknown[] = [];
    nock(API)
      .post('/v1.0/oauth2/accessToken', { appKey: 'ding-app-key', appSecret: 'ding-app-secret' })
      .once()
      .reply(200, tokenReply('tok-1'))
      .post('/v1.0/card/instances/createAndDeliver', (b: unknown) => (bodies.push(b), true))
      .matchHeader('x-acs-dingtalk-access-token', 'tok-1')
      .reply(200, delivered('ramparts-out-1'))
      .post('/v1.0/card/instances/createAndDeliver')
      .matchHeader('x-acs-dingtalk-access-token', 'tok-1')
      .reply(200, delivered('ramparts-out-2'));
    const { chat } = setup();

    await expect(chat.postPrompt(view)).resolves.toEqual({ channel: null, messageKey: 'ramparts-out-1' });
    await expect(chat.postPrompt(fixtureView('reminder'))).resolves.toEqual({ channel: null, messageKey: 'ramparts-out-2' });

    expect(bodies).toEqual([
      {
        cardTemplateId: 'tpl-ramparts.schema',
        outTrackId: 'ramparts-out-1',
        openSpaceId: 'dtv1.card//IM_ROBOT.dt-alice',
        callbackType: 'HTTP',
        callbackRouteKey: 'ramparts',
        cardData: { cardParamMap: renderDingTalkCard(view) },
        imRobotOpenSpaceModel: {
          supportForward: false,
          notification: {
            alertContent: 'ramparts · access review for account prod-main (123456789012) · due Tue 3 Dec — 2 findings, 2 waiting for your answer',
            notificationOff: false,
          },
        },
        imRobotOpenDeliverModel: { spaceType: 'IM_ROBOT', robotCode: 'dingRobot' },
        userIdType: 1,
      },
    ]);
  });

  it('updates the card by outTrackId', async () => {
    const view = fixtureView('prompt', 'kept');
    nock(API)
      .post('/v1.0/oauth2/accessToken')
      .reply(200, tokenReply('tok-1'))
      .put('/v1.0/card/instances', {
        outTrackId: 'ramparts-out-7',
        cardData: { cardParamMap: renderDingTalkCard(view) },
        cardUpdateOptions: { updateCardDataByKey: true },
        userIdType: 1,
      })
      .matchHeader('x-acs-dingtalk-access-token', 'tok-1')
      .reply(200, { success: true, result: true });
    await setup().chat.updatePrompt({ channel: null, messageKey: 'ramparts-out-7' }, view);
  });

  it('refreshes the token 5 minutes before it expires, not earlier', async () => {
    nock(API)
      .post('/v1.0/oauth2/accessToken')
      .reply(200, tokenReply('tok-1'))
      .post('/v1.0/oauth2/accessToken')
      .reply(200, tokenReply('tok-2'))
      .put('/v1.0/card/instances')
      .matchHeader('x-acs-dingtalk-access-token', 'tok-1')
      .reply(200, { success: true, result: true })
      .put('/v1.0/card/instances')
      .matchHeader('x-acs-dingtalk-access-token', 'tok-1')
      .reply(200, { success: true, result: true })
      .put('/v1.0/card/instances')
      .matchHeader('x-acs-dingtalk-access-token', 'tok-2')
      .reply(200, { success: true, result: true });
    const { chat, advance } = setup();
    const ref = { channel: null, messageKey: 'ramparts-out-1' };
    await chat.updatePrompt(ref, fixtureView('prompt'));
    advance((7200 - 300) * 1000 - 1);
    await chat.updatePrompt(ref, fixtureView('prompt'));
    advance(1);
    await chat.updatePrompt(ref, fixtureView('prompt'));
  });

  it('refetches the token once when DingTalk rejects it', async () => {
    nock(API)
      .post('/v1.0/oauth2/accessToken')
      .reply(200, tokenReply('tok-old'))
      .post('/v1.0/oauth2/accessToken')
      .reply(200, tokenReply('tok-new'))
      .put('/v1.0/card/instances')
      .matchHeader('x-acs-dingtalk-access-token', 'tok-old')
      .reply(401, { code: 'InvalidAuthentication', message: '不合法的access_token', requestid: 'r1' })
      .put('/v1.0/card/instances')
      .matchHeader('x-acs-dingtalk-access-token', 'tok-new')
      .reply(200, { success: true, result: true });
    await setup().chat.updatePrompt({ channel: null, messageKey: 'x' }, fixtureView('prompt'));
  });

  it('says which user did not get the card', async () => {
    nock(API)
      .post('/v1.0/oauth2/accessToken')
      .reply(200, tokenReply('tok-1'))
      .post('/v1.0/card/instances/createAndDeliver')
      .reply(200, { success: true, result: { outTrackId: 'ramparts-out-1', deliverResults: [{ spaceType: 'IM_ROBOT', spaceId: 'dt-alice', success: false, errorMsg: 'user not in range' }] } });
    await expect(setup().chat.postPrompt(fixtureView('prompt'))).rejects.toThrow('DingTalk did not deliver the card to alice.chen (user not in range)');
  });

  it('names the config field when the person has no DingTalk id', async () => {
    const err = await setup().chat.postPrompt(fixtureView('prompt', 'pending', { ...alice, dingtalkUserId: null })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RampartsError);
    expect((err as Error).message).toMatch(/set people\[\]\.dingtalk \(their userId\) for "alice\.chen"/);
  });

  it('reports a bad app secret without the secret', async () => {
    nock(API).post('/v1.0/oauth2/accessToken').reply(400, { code: 'invalidClientSecret', message: 'bad', requestid: 'r' });
    const err = (await setup().chat.postPrompt(fixtureView('prompt')).catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/check DINGTALK_APP_KEY and DINGTALK_APP_SECRET/);
    expect(err.message).not.toContain('ding-app-secret');
  });
});

describe('DingTalk security notices', () => {
  const notice = { title: 'Root account used', text: 'root signed in from 203.0.113.7', severity: 'critical' as const };

  it('posts markdown to the group robot with timestamp and sign (reference §3.5)', async () => {
    const { chat } = setup({ webhook: { url: 'https://oapi.dingtalk.com/robot/send?access_token=robot-tok', secret: 'SECtest123' } });
    nock('https://oapi.dingtalk.com')
      .post('/robot/send', renderDingTalkNotice(notice))
      .query({ access_token: 'robot-tok', timestamp: String(T0), sign: signDingTalkWebhook('SECtest123', T0) })
      .reply(200, { errcode: 0, errmsg: 'ok' });
    await chat.notifySecurity(notice);
  });

  it('fails on a non-zero errcode, without echoing the webhook URL', async () => {
    const { chat } = setup({ webhook: { url: 'https://oapi.dingtalk.com/robot/send?access_token=robot-tok', secret: null } });
    nock('https://oapi.dingtalk.com').post('/robot/send').query({ access_token: 'robot-tok' }).reply(200, { errcode: 310000, errmsg: 'sign not match' });
    const err = (await chat.notifySecurity(notice).catch((e: unknown) => e)) as Error;
    expect(err.message).toBe('DingTalk robot webhook refused the message (errcode 310000: sign not match); check DINGTALK_WEBHOOK and DINGTALK_WEBHOOK_SECRET');
    expect(err.message).not.toContain('robot-tok');
  });

  it('asks for DINGTALK_WEBHOOK when there is none', async () => {
    await expect(setup().chat.notifySecurity(notice)).rejects.toThrow(/set DINGTALK_WEBHOOK/);
  });
});
