import { describe, expect, it } from 'vitest';
import { memoryCache } from '../../../shared/chat/cache.js';
import { BUTTON_SECRET, NOW, OUTCOMES, SLACK_OLD_SECRET, click, makeHandler, signer, slackRequest, slackSignature, submission, token } from './harness.js';

// Slack's published example (reference §4.1): a slash-command body, so it passes the signature check
// and is then refused as "not an interaction payload" — 400, not 401.
const EXAMPLE = {
  secret: '8f742231b10e8888abcd99yyyzzz85a5',
  ts: 1531420618,
  body: 'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c',
  signature: 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503',
};

describe('POST /slack/actions: signature', () => {
  it("verifies Slack's published example", async () => {
    const { handle, decide } = makeHandler({ slack: { signingSecrets: [EXAMPLE.secret] }, now: () => EXAMPLE.ts * 1000 });
    const req = new Request('https://interact.example/slack/actions', {
      method: 'POST',
      headers: { 'X-Slack-Request-Timestamp': String(EXAMPLE.ts), 'X-Slack-Signature': EXAMPLE.signature, 'content-type': 'application/x-www-form-urlencoded' },
      body: EXAMPLE.body,
    });
    const res = await handle(req);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'malformed' });
    expect(decide).not.toHaveBeenCalled();
  });

  it('refuses the published example with one byte changed', async () => {
    const { handle } = makeHandler({ slack: { signingSecrets: [EXAMPLE.secret] }, now: () => EXAMPLE.ts * 1000 });
    const req = new Request('https://interact.example/slack/actions', {
      method: 'POST',
      headers: { 'X-Slack-Request-Timestamp': String(EXAMPLE.ts), 'X-Slack-Signature': EXAMPLE.signature },
      body: EXAMPLE.body.replace('roadrunner', 'roadrunnex'),
    });
    expect((await handle(req)).status).toBe(401);
  });

  it.each([
    ['a forged signature', () => slackRequest(click({}), { secret: 'not-the-secret' }), 'bad-signature'],
    ['a replayed (stale) timestamp', () => slackRequest(click({}), { ts: NOW - 6 * 60_000 }), 'stale'],
    ['a timestamp from the future', () => slackRequest(click({}), { ts: NOW + 6 * 60_000 }), 'stale'],
    ['missing signature headers', () => slackRequest(click({}), { omitHeaders: true }), 'missing-headers'],
    [
      'a tampered body',
      () => {
        const signed = new URLSearchParams({ payload: JSON.stringify(click({})) }).toString();
        const ts = String(NOW / 1000);
        return new Request('https://interact.example/slack/actions', {
          method: 'POST',
          headers: { 'X-Slack-Request-Timestamp': ts, 'X-Slack-Signature': slackSignature('slack-signing-secret-current', ts, signed) },
          body: signed.replace('t-key1', 't-key9'),
        });
      },
      'bad-signature',
    ],
  ])('refuses %s with 401 and never decides', async (_name, build, reason) => {
    const { handle, decide } = makeHandler();
    const res = await handle(build());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: reason, message: 'request signature check failed' });
    expect(decide).not.toHaveBeenCalled();
  });

  it('accepts the previous signing secret during rotation', async () => {
    const { handle, decide } = makeHandler();
    expect((await handle(slackRequest(click({}), { secret: SLACK_OLD_SECRET }))).status).toBe(200);
    expect(decide).toHaveBeenCalledOnce();
  });
});

describe('POST /slack/actions: clicks', () => {
  it('records a click: decide gets the task, action and clicker; Slack gets an empty 200', async () => {
    const { handle, decide, respond } = makeHandler();
    const res = await handle(slackRequest(click({})));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(decide).toHaveBeenCalledExactlyOnceWith({ taskId: 't-key1', action: 'revoke', actor: 'alice.chen', reason: null, until: null, via: 'slack' });
    expect(respond).not.toHaveBeenCalled();
  });

  it('answers a duplicate click like the first', async () => {
    const { handle } = makeHandler({}, OUTCOMES.duplicate);
    expect((await handle(slackRequest(click({})))).status).toBe(200);
  });

  it.each([
    ['not JSON', 'payload={nope'],
    ['no payload field', 'foo=bar'],
    ['an unknown payload type', new URLSearchParams({ payload: JSON.stringify({ type: 'shortcut', user: { id: 'U0ALICE' } }) }).toString()],
    ['a button that is not ramparts’', new URLSearchParams({ payload: JSON.stringify({ ...click({}), actions: [{ action_id: 'other', value: 'x' }] }) }).toString()],
    ['an action_id that does not match the value', new URLSearchParams({ payload: JSON.stringify({ ...click({}), actions: [{ ...click({}).actions[0], action_id: 'ramparts:keep:t-key1' }] }) }).toString()],
    ['an unknown action', new URLSearchParams({ payload: JSON.stringify(click({ action: 'delete' as never })) }).toString()],
  ])('refuses a signed but malformed payload (%s) with 400', async (_name, body) => {
    const { handle, decide } = makeHandler();
    const res = await handle(slackRequest(null, { body }));
    expect(res.status).toBe(400);
    expect(decide).not.toHaveBeenCalled();
  });

  it('refuses a clicker ramparts does not know with 403', async () => {
    const { handle, decide } = makeHandler();
    const res = await handle(slackRequest(click({ user: 'U0STRANGER' })));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'unknown_user' });
    expect(decide).not.toHaveBeenCalled();
  });

  it('refuses a token made for another recipient (the right person clicking)', async () => {
    const { handle, decide } = makeHandler();
    const res = await handle(slackRequest(click({ token: token('t-key1', 'revoke', 'bob.li') })));
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: 'bad_token' });
    expect(decide).not.toHaveBeenCalled();
  });

  it("refuses the wrong person clicking someone else's button (a forwarded message)", async () => {
    const { handle, decide } = makeHandler();
    expect((await handle(slackRequest(click({ user: 'U0BOB' })))).status).toBe(403);
    expect(decide).not.toHaveBeenCalled();
  });

  it('refuses a token for another task or action, and an expired one', async () => {
    const { handle, decide } = makeHandler({ now: () => NOW });
    expect((await handle(slackRequest(click({ token: token('t-other', 'revoke', 'alice.chen') })))).status).toBe(403);
    expect((await handle(slackRequest(click({ token: token('t-key1', 'keep', 'alice.chen') })))).status).toBe(403);
    const later = makeHandler({ now: () => NOW + 31 * 24 * 3600_000 });
    expect((await later.handle(slackRequest(click({}), { ts: NOW + 31 * 24 * 3600_000 }))).status).toBe(403);
    expect(decide).not.toHaveBeenCalled();
    expect(later.decide).not.toHaveBeenCalled();
  });

  it('recognises a clicker by a configured Slack id too', async () => {
    const { handle, decide } = makeHandler({ cache: memoryCache() });
    expect((await handle(slackRequest(click({ user: 'U0BOB', token: token('t-key1', 'revoke', 'bob.li') })))).status).toBe(200);
    expect(decide).toHaveBeenCalledWith(expect.objectContaining({ actor: 'bob.li' }));
  });

  it('answers a refusal with 409 and tells the clicker why through response_url', async () => {
    const { handle, respond } = makeHandler({}, OUTCOMES.refused);
    const res = await handle(slackRequest(click({})));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({ error: 'reason_required', response_type: 'ephemeral', replace_original: false, text: 'A keep needs a reason.' });
    expect(respond).toHaveBeenCalledExactlyOnceWith('https://hooks.slack.com/actions/T1/1/abc', { response_type: 'ephemeral', replace_original: false, text: 'A keep needs a reason.' });
  });

  it('answers an unknown task with 404', async () => {
    const { handle, decide, respond } = makeHandler({}, OUTCOMES.not_found);
    const res = await handle(slackRequest(click({ taskId: 't-gone', token: token('t-gone', 'revoke', 'alice.chen') })));
    expect(res.status).toBe(404);
    expect(decide).toHaveBeenCalledOnce();
    expect(respond).toHaveBeenCalledOnce();
  });

  it('still answers when the response_url reply fails', async () => {
    const { handle } = makeHandler({ slack: { signingSecrets: ['slack-signing-secret-current'], respond: async () => Promise.reject(new Error('down')) } }, OUTCOMES.refused);
    expect((await handle(slackRequest(click({})))).status).toBe(409);
  });
});

describe('POST /slack/actions: keep and snooze through the modal', () => {
  it('opens the reason modal for keep, without deciding yet', async () => {
    const { handle, decide, openModal } = makeHandler();
    const t = token('t-key1', 'keep', 'alice.chen');
    const res = await handle(slackRequest(click({ action: 'keep', token: t, needs: 'reason' })));
    expect(res.status).toBe(200);
    expect(decide).not.toHaveBeenCalled();
    expect(openModal).toHaveBeenCalledOnce();
    const [triggerId, view] = openModal.mock.calls[0] as unknown as [string, { private_metadata: string; blocks: Array<{ type: string; block_id?: string }> }];
    expect(triggerId).toBe('trig-123');
    expect(JSON.parse(view.private_metadata)).toEqual({ taskId: 't-key1', action: 'keep', token: t });
    expect(view.blocks.map((b) => b.block_id ?? b.type)).toEqual(['section', 'ramparts_reason']);
  });

  it('answers 502 when Slack does not open the modal', async () => {
    const { handle, decide } = makeHandler({ slack: { signingSecrets: ['slack-signing-secret-current'], openModal: async () => Promise.reject(new Error('expired_trigger_id')) } });
    const res = await handle(slackRequest(click({ action: 'snooze', token: token('t-key1', 'snooze', 'alice.chen'), needs: 'date' })));
    expect(res.status).toBe(502);
    expect(decide).not.toHaveBeenCalled();
  });

  it('does not open a modal for a button that is not the clicker’s', async () => {
    const { handle, openModal } = makeHandler();
    expect((await handle(slackRequest(click({ action: 'keep', token: token('t-key1', 'keep', 'bob.li'), needs: 'reason' })))).status).toBe(403);
    expect(openModal).not.toHaveBeenCalled();
  });

  it('without a modal opener, sends the answer to decide as it is (which refuses a keep without reason)', async () => {
    const { handle, decide } = makeHandler({ slack: { signingSecrets: ['slack-signing-secret-current'] } }, OUTCOMES.refused);
    const res = await handle(slackRequest(click({ action: 'keep', token: token('t-key1', 'keep', 'alice.chen'), needs: 'reason' })));
    expect(res.status).toBe(409);
    expect(decide).toHaveBeenCalledWith(expect.objectContaining({ action: 'keep', reason: null }));
  });

  it('records the submitted reason', async () => {
    const { handle, decide } = makeHandler();
    const res = await handle(slackRequest(submission({ reason: '  still used by CI  ' })));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(decide).toHaveBeenCalledExactlyOnceWith({ taskId: 't-key1', action: 'keep', actor: 'alice.chen', reason: 'still used by CI', until: null, via: 'slack' });
  });

  it('records the submitted date for snooze', async () => {
    const { handle, decide } = makeHandler();
    await handle(slackRequest(submission({ action: 'snooze', until: '2025-02-01' })));
    expect(decide).toHaveBeenCalledWith(expect.objectContaining({ action: 'snooze', until: '2025-02-01', reason: null }));
  });

  it('shows a refusal inside the modal (Slack only displays errors from a 200)', async () => {
    const { handle } = makeHandler({}, OUTCOMES.refused);
    const res = await handle(slackRequest(submission({ reason: 'x' })));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ response_action: 'errors', errors: { ramparts_reason: 'A keep needs a reason.' } });
  });

  it('checks the token again on submit', async () => {
    const { handle, decide } = makeHandler();
    expect((await handle(slackRequest(submission({ token: token('t-key1', 'keep', 'bob.li'), reason: 'x' })))).status).toBe(403);
    expect((await handle(slackRequest(submission({ user: 'U0BOB', reason: 'x' })))).status).toBe(403);
    expect(decide).not.toHaveBeenCalled();
  });

  it('refuses a submission from another modal', async () => {
    const { handle, decide } = makeHandler();
    const other = { ...submission({ reason: 'x' }), view: { ...submission({ reason: 'x' }).view, callback_id: 'someone-else' } };
    expect((await handle(slackRequest(other))).status).toBe(400);
    expect(decide).not.toHaveBeenCalled();
  });

  it('acknowledges a closed modal without doing anything', async () => {
    const { handle, decide } = makeHandler();
    expect((await handle(slackRequest({ type: 'view_closed', user: { id: 'U0ALICE' }, view: {} }))).status).toBe(200);
    expect(decide).not.toHaveBeenCalled();
  });
});

describe('logging', () => {
  it('never logs secrets, tokens or bodies', async () => {
    const t = signer.sign('t-key1', 'revoke', 'bob.li');
    const { handle, logs } = makeHandler();
    await handle(slackRequest(click({ token: t })));
    await handle(slackRequest(click({}), { secret: 'wrong' }));
    await handle(slackRequest(click({})));
    const all = JSON.stringify(logs);
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [t, token('t-key1', 'revoke', 'alice.chen'), BUTTON_SECRET, 'slack-signing-secret-current', 'hooks.slack.com', 'trig-123']) expect(all).not.toContain(secret);
  });

  it('works without a logger', async () => {
    const { handle } = makeHandler({ logger: undefined });
    expect((await handle(slackRequest(click({})))).status).toBe(200);
  });
});
