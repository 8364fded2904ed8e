import nock from 'nock';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { memoryCache } from '../../../shared/chat/cache.js';
import { createSlackChat } from '../../../shared/chat/slack/adapter.js';
import { createSlackInteractions } from '../../../shared/chat/slack/interactions.js';
import { RampartsError } from '../../../shared/errors.js';
import { renderSlackAnswerModal, renderSlackNotice, renderSlackPrompt } from '../../../templates/chat/slack.js';
import { alice, bob, fixtureView } from './fixtures.js';

const API = 'https://slack.com';
const fastRetry = { retries: 2, minTimeout: 1, maxTimeout: 5 };

/** A nock body matcher that records the (form-decoded) body so the test can assert it exactly. */
function capture(into: Array<Record<string, string>>) {
  return (body: Record<string, string>) => {
    into.push(body);
    return true;
  };
}

function chat(cache = memoryCache()) {
  return { cache, chat: createSlackChat({ botToken: 'xoxb-test', securityChannel: 'C0SEC', cache, retryConfig: fastRetry }) };
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => {
  const pending = nock.pendingMocks();
  nock.cleanAll();
  expect(pending).toEqual([]);
});

describe('Slack adapter', () => {
  it('looks the owner up by email, opens the DM and posts the blocks', async () => {
    const bodies: Array<Record<string, string>> = [];
    const view = fixtureView('prompt');
    nock(API, { reqheaders: { authorization: 'Bearer xoxb-test' } })
      .post('/api/users.lookupByEmail', capture(bodies))
      .reply(200, { ok: true, user: { id: 'U0ALICE' } })
      .post('/api/conversations.open', capture(bodies))
      .reply(200, { ok: true, channel: { id: 'D0ALICE' } })
      .post('/api/chat.postMessage', capture(bodies))
      .reply(200, { ok: true, channel: 'D0ALICE', ts: '1700000000.000100' });
    const { chat: slack, cache } = chat();

    await expect(slack.postPrompt(view)).resolves.toEqual({ channel: 'D0ALICE', messageKey: '1700000000.000100' });

    const { text, blocks } = renderSlackPrompt(view);
    expect(bodies).toEqual([
      { email: 'alice@example.com' },
      { users: 'U0ALICE' },
      { channel: 'D0ALICE', text, blocks: JSON.stringify(blocks), unfurl_links: 'false', unfurl_media: 'false' },
    ]);
    expect(cache.entries()).toEqual({ 'slack:email:alice@example.com': 'U0ALICE', 'slack:user:U0ALICE': 'alice.chen' });
  });

  it('caches the member id: a second post makes no lookup', async () => {
    const { chat: slack } = chat();
    nock(API)
      .post('/api/users.lookupByEmail', { email: 'alice@example.com' })
      .once()
      .reply(200, { ok: true, user: { id: 'U0ALICE' } })
      .post('/api/conversations.open', { users: 'U0ALICE' })
      .twice()
      .reply(200, { ok: true, channel: { id: 'D0ALICE' } })
      .post('/api/chat.postMessage')
      .twice()
      .reply(200, { ok: true, channel: 'D0ALICE', ts: '1.2' });
    await slack.postPrompt(fixtureView('prompt'));
    // Net connect is disabled and the lookup interceptor is used up: a second lookup would fail the post.
    await expect(slack.postPrompt(fixtureView('reminder'))).resolves.toEqual({ channel: 'D0ALICE', messageKey: '1.2' });
  });

  it('uses a configured member id without any lookup', async () => {
    const { chat: slack, cache } = chat();
    nock(API).post('/api/conversations.open', { users: 'U0BOB' }).reply(200, { ok: true, channel: { id: 'D0BOB' } }).post('/api/chat.postMessage').reply(200, { ok: true, channel: 'D0BOB', ts: '9.9' });
    await slack.postPrompt(fixtureView('escalation', 'pending', bob));
    expect(cache.entries()).toEqual({});
  });

  it('updates the message in place with chat.update', async () => {
    const bodies: Array<Record<string, string>> = [];
    const view = fixtureView('prompt', 'kept');
    nock(API).post('/api/chat.update', capture(bodies)).reply(200, { ok: true, channel: 'D0ALICE', ts: '1.2' });
    await chat().chat.updatePrompt({ channel: 'D0ALICE', messageKey: '1.2' }, view);
    const { text, blocks } = renderSlackPrompt(view);
    expect(bodies).toEqual([{ channel: 'D0ALICE', ts: '1.2', text, blocks: JSON.stringify(blocks) }]);
  });

  it('waits out a 429 and retries, boundedly', async () => {
    nock(API)
      .post('/api/chat.update')
      .reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '0' })
      .post('/api/chat.update')
      .reply(200, { ok: true });
    await expect(chat().chat.updatePrompt({ channel: 'D0ALICE', messageKey: '1.2' }, fixtureView('prompt'))).resolves.toBeUndefined();
  });

  it('gives up after the bounded retries', async () => {
    nock(API).post('/api/chat.update').times(3).reply(429, { ok: false, error: 'ratelimited' }, { 'retry-after': '0' });
    await expect(chat().chat.updatePrompt({ channel: 'D0ALICE', messageKey: '1.2' }, fixtureView('prompt'))).rejects.toThrow(/Slack chat.update failed/);
  });

  it('names the person and the config field when there is no way to reach them', async () => {
    const err = await chat().chat.postPrompt(fixtureView('prompt', 'pending', { ...alice, email: null })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RampartsError);
    expect((err as Error).message).toBe('cannot message Alice Chen (alice.chen) on Slack: set people[].slack (member id) or people[].email for "alice.chen"');
  });

  it('explains an email Slack does not know', async () => {
    nock(API).post('/api/users.lookupByEmail').reply(200, { ok: false, error: 'users_not_found' });
    await expect(chat().chat.postPrompt(fixtureView('prompt'))).rejects.toThrow('no Slack user has the email of Alice Chen (alice.chen): set people[].slack for "alice.chen" or fix people[].email');
  });

  it('posts security notices to the configured channel', async () => {
    const bodies: Array<Record<string, string>> = [];
    const notice = { title: 'Root account used', text: 'root signed in from 203.0.113.7', severity: 'critical' as const };
    nock(API).post('/api/chat.postMessage', capture(bodies)).reply(200, { ok: true, channel: 'C0SEC', ts: '3.3' });
    await chat().chat.notifySecurity(notice);
    const { text, blocks } = renderSlackNotice(notice);
    expect(bodies).toEqual([{ channel: 'C0SEC', text, blocks: JSON.stringify(blocks), unfurl_links: 'false' }]);
  });

  it('asks for chat.slack.securityChannel when none is set', async () => {
    const slack = createSlackChat({ botToken: 'xoxb-test', securityChannel: null, cache: memoryCache() });
    await expect(slack.notifySecurity({ title: 't', text: 'x', severity: 'low' })).rejects.toThrow(/chat\.slack\.securityChannel/);
  });
});

describe('Slack interactions', () => {
  it('opens the answer modal with views.open', async () => {
    const bodies: Array<Record<string, string>> = [];
    const view = renderSlackAnswerModal({ taskId: 't1', action: 'keep', token: 'tok', needs: 'reason' });
    nock(API).post('/api/views.open', capture(bodies)).reply(200, { ok: true, view: { id: 'V1' } });
    await createSlackInteractions({ botToken: 'xoxb-test' }).openModal('trig-1', view);
    expect(bodies).toEqual([{ trigger_id: 'trig-1', view: JSON.stringify(view) }]);
  });

  it('replies ephemerally through response_url, and only to Slack', async () => {
    const i = createSlackInteractions({ client: chat().chat.client });
    const message = { response_type: 'ephemeral' as const, replace_original: false as const, text: 'refused' };
    nock('https://hooks.slack.com').post('/actions/T1/1/abc', message).reply(200, 'ok');
    await i.respond('https://hooks.slack.com/actions/T1/1/abc', message);
    await expect(i.respond('https://evil.example/x', message)).rejects.toThrow(/not a Slack URL/);
  });
});
