import { describe, expect, it } from 'vitest';
import { click, dingTalkRequest, makeHandler, slackRequest, token } from './harness.js';

describe('interact routing', () => {
  it('answers 404 for an unknown path', async () => {
    const { handle } = makeHandler();
    const res = await handle(new Request('https://interact.example/nope', { method: 'POST', body: 'x' }));
    expect(res.status).toBe(404);
  });

  it('answers 405 with Allow for a known path and the wrong method', async () => {
    const { handle } = makeHandler();
    for (const path of ['/slack/actions', '/dingtalk/card-callback']) {
      const res = await handle(new Request(`https://interact.example${path}`, { method: 'GET' }));
      expect(res.status).toBe(405);
      expect(res.headers.get('allow')).toBe('POST');
    }
  });

  it('answers 404 for a platform that is not configured', async () => {
    const { handle, decide } = makeHandler({ slack: undefined, dingtalk: undefined });
    expect((await handle(slackRequest(click({})))).status).toBe(404);
    expect((await handle(dingTalkRequest({ taskId: 't', action: 'keep', token: token('t', 'keep', 'alice.chen') }))).status).toBe(404);
    expect(decide).not.toHaveBeenCalled();
  });

  it('refuses an oversized body with 413 before checking anything', async () => {
    const { handle, decide } = makeHandler({ maxBodyBytes: 100 });
    expect((await handle(slackRequest(click({})))).status).toBe(413);
    expect(decide).not.toHaveBeenCalled();
  });

  it('answers 500 when decide fails, logging only the error message', async () => {
    const { handle, logs } = makeHandler({
      decide: async () => {
        throw new Error('database is down');
      },
    });
    const res = await handle(slackRequest(click({})));
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: 'internal', message: 'ramparts could not handle this request; try again' });
    expect(logs.at(-1)).toEqual({ level: 'error', obj: { path: '/slack/actions', err: 'database is down' }, msg: 'interact: request failed' });
  });
});
