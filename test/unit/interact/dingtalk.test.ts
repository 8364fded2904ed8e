import { describe, expect, it } from 'vitest';
import { NOW, OUTCOMES, dingTalkRequest, makeHandler, token } from './harness.js';

const params = (over: Record<string, unknown> = {}) => ({ taskId: 't-key1', action: 'revoke', token: token('t-key1', 'revoke', 'alice.chen'), ...over });

describe('POST /dingtalk/card-callback', () => {
  it('records the click and answers with the card update (reference §3.4)', async () => {
    const { handle, decide } = makeHandler();
    const res = await handle(dingTalkRequest(params()));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({
      cardData: { cardParamMap: { status: 'Recorded: revoke request by Alice Chen' } },
      userPrivateData: { cardParamMap: { toast: '' } },
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
    });
    expect(decide).toHaveBeenCalledExactlyOnceWith({ taskId: 't-key1', action: 'revoke', actor: 'alice.chen', reason: null, until: null, via: 'dingtalk' });
  });

  it('passes the reason and date the card collected', async () => {
    const { handle, decide } = makeHandler();
    await handle(dingTalkRequest(params({ action: 'keep', token: token('t-key1', 'keep', 'alice.chen'), reason: 'still used by CI', until: '' })));
    expect(decide).toHaveBeenCalledWith(expect.objectContaining({ action: 'keep', reason: 'still used by CI', until: null }));
    const res = await handle(dingTalkRequest(params({ action: 'snooze', token: token('t-key1', 'snooze', 'alice.chen'), until: '2025-02-01' })));
    expect(((await res.json()) as { cardData: { cardParamMap: { status: string } } }).cardData.cardParamMap.status).toBe('Recorded: fix-by date by Alice Chen (until 2025-02-01)');
  });

  it('says "already recorded" for a duplicate', async () => {
    const { handle } = makeHandler({}, OUTCOMES.duplicate);
    const res = await handle(dingTalkRequest(params()));
    expect(res.status).toBe(200);
    expect(JSON.stringify(await res.json())).toContain('Already recorded: revoke request by Alice Chen');
  });

  it.each([
    ['a forged signature', () => dingTalkRequest(params(), { secret: 'not-it' }), 'bad-signature'],
    ['a stale timestamp', () => dingTalkRequest(params(), { ts: NOW - 301_000 }), 'stale'],
    ['missing signature headers', () => dingTalkRequest(params(), { omitHeaders: true }), 'missing-headers'],
  ])('refuses %s with 401 and never decides', async (_n, build, reason) => {
    const { handle, decide } = makeHandler();
    const res = await handle(build());
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: reason });
    expect(decide).not.toHaveBeenCalled();
  });

  it('accepts a second secret during rotation', async () => {
    const { handle } = makeHandler({ dingtalk: { secrets: ['new-secret', 'old-secret'] } });
    expect((await handle(dingTalkRequest(params(), { secret: 'old-secret' }))).status).toBe(200);
  });

  it.each([
    ['not JSON', '{nope'],
    ['content not JSON', JSON.stringify({ userId: 'dt-alice', content: '{nope' })],
    ['no params', JSON.stringify({ userId: 'dt-alice', content: JSON.stringify({ cardPrivateData: { actionIds: [] } }) })],
    ['no token', JSON.stringify({ userId: 'dt-alice', content: JSON.stringify({ cardPrivateData: { params: { taskId: 't', action: 'keep' } } }) })],
    ['an unknown action', JSON.stringify({ userId: 'dt-alice', content: JSON.stringify({ cardPrivateData: { params: { taskId: 't', action: 'nuke', token: 'x' } } }) })],
    ['no user', JSON.stringify({ content: JSON.stringify({ cardPrivateData: { params: params() } }) })],
  ])('refuses a signed but malformed callback (%s) with 400', async (_n, body) => {
    const { handle, decide } = makeHandler();
    expect((await handle(dingTalkRequest(null, { body }))).status).toBe(400);
    expect(decide).not.toHaveBeenCalled();
  });

  it('refuses an unknown clicker with 403', async () => {
    const { handle, decide } = makeHandler();
    expect((await handle(dingTalkRequest(params(), { userId: 'dt-stranger' }))).status).toBe(403);
    expect(decide).not.toHaveBeenCalled();
  });

  it('refuses a token made for another recipient, and the wrong person using a forwarded card', async () => {
    const { handle, decide } = makeHandler();
    expect((await handle(dingTalkRequest(params({ token: token('t-key1', 'revoke', 'bob.li') })))).status).toBe(403);
    expect((await handle(dingTalkRequest(params(), { userId: 'dt-bob' }))).status).toBe(403);
    expect((await handle(dingTalkRequest(params({ taskId: 't-other' })))).status).toBe(403);
    expect(decide).not.toHaveBeenCalled();
  });

  it('answers a refusal with 409 and the reason in the clicker’s toast', async () => {
    const { handle } = makeHandler({}, OUTCOMES.refused);
    const res = await handle(dingTalkRequest(params()));
    expect(res.status).toBe(409);
    expect(await res.json()).toEqual({
      cardData: { cardParamMap: {} },
      userPrivateData: { cardParamMap: { toast: 'A keep needs a reason.' } },
      cardUpdateOptions: { updateCardDataByKey: true, updatePrivateDataByKey: true },
    });
  });

  it('answers an unknown task with 404', async () => {
    const { handle, decide } = makeHandler({}, OUTCOMES.not_found);
    const res = await handle(dingTalkRequest(params({ taskId: 't-gone', token: token('t-gone', 'revoke', 'alice.chen') })));
    expect(res.status).toBe(404);
    expect(JSON.stringify(await res.json())).toContain('This review task no longer exists.');
    expect(decide).toHaveBeenCalledOnce();
  });
});
