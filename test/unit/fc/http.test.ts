/**
 * FC3 HTTP events ↔ web Request/Response (shared/fc/http.ts), on the event shapes of the reference
 * (chat-and-function-compute.md §2.3–2.4) and the samples in templates/events/.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fromResponse, toRequest } from '../../../shared/fc/http.js';
import { isTimerEvent, parseEvent, type FcHttpEvent } from '../../../shared/fc/types.js';

const sample = (name: string) => readFileSync(new URL(`../../../templates/events/${name}`, import.meta.url));

function event(over: Partial<FcHttpEvent> = {}): FcHttpEvent {
  return {
    version: 'v1',
    rawPath: '/slack/actions',
    body: 'payload=%7B%7D',
    isBase64Encoded: false,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Signature': 'v0=abc', 'X-Slack-Request-Timestamp': '1700000000' },
    queryParameters: {},
    requestContext: {
      accountId: '1234567890123456',
      domainName: 'trigger-id.cn-hangzhou.fcapp.run',
      domainPrefix: 'trigger-id',
      requestId: '1-64f6cd87-0000',
      time: '2023-09-05T06:41:11Z',
      timeEpoch: '1693896071895',
      http: { method: 'POST', path: '/slack/actions', protocol: 'HTTP/1.1', sourceIp: '11.11.11.1', userAgent: 'Slackbot 1.0' },
    },
    ...over,
  };
}

describe('toRequest', () => {
  it('decodes a Base64 body to the exact bytes (signatures are over them)', async () => {
    const bytes = Buffer.from([0x70, 0x3d, 0xe4, 0xbd, 0xa0, 0x00, 0xff, 0x25, 0x32]); // "p=你\0\xff%2"
    const req = toRequest(event({ body: bytes.toString('base64'), isBase64Encoded: true }));
    expect(Buffer.from(await req.arrayBuffer())).toEqual(bytes);
  });

  it('passes a text body through unchanged, including characters form encoding would change', async () => {
    const body = 'payload=%7B%22a%22%3A%22b+c%22%7D&x=1';
    expect(await toRequest(event({ body })).text()).toBe(body);
  });

  it('looks headers up case-insensitively (FC sends canonical MIME case)', () => {
    const req = toRequest(event());
    expect(req.headers.get('x-slack-signature')).toBe('v0=abc');
    expect(req.headers.get('X-SLACK-REQUEST-TIMESTAMP')).toBe('1700000000');
    expect(req.headers.get('content-type')).toBe('application/x-www-form-urlencoded');
  });

  it('builds the URL from the trigger domain, the raw (encoded) path and the query parameters', () => {
    const req = toRequest(event({ rawPath: '/dingtalk/card%20callback', queryParameters: { a: '1', multi: 'v1,v2' } }));
    const url = new URL(req.url);
    expect(url.host).toBe('trigger-id.cn-hangzhou.fcapp.run');
    expect(url.pathname).toBe('/dingtalk/card%20callback');
    expect(url.searchParams.get('a')).toBe('1');
    expect(url.searchParams.get('multi')).toBe('v1,v2');
    expect(req.method).toBe('POST');
  });

  it('takes a GET without a body, and tolerates missing body and query parameters', async () => {
    const get = toRequest(event({ body: 'ignored', requestContext: { ...event().requestContext, http: { ...event().requestContext.http, method: 'get' } } }));
    expect(get.method).toBe('GET');
    expect(get.body).toBeNull();
    const { body: _b, queryParameters: _q, ...bare } = event();
    expect(await toRequest(bare as FcHttpEvent).text()).toBe('');
  });

  it('refuses an event that is not an HTTP trigger event, saying so', () => {
    expect(() => toRequest(parseEvent<FcHttpEvent>(sample('timer-scan.json')))).toThrow(/not an FC3 HTTP trigger event/);
  });

  it('reads the sample events: Slack with a Base64 form body, DingTalk with a JSON body', async () => {
    const slack = toRequest(parseEvent<FcHttpEvent>(sample('http-slack-action.json')));
    expect(new URL(slack.url).pathname).toBe('/slack/actions');
    const form = new URLSearchParams(await slack.text());
    expect(JSON.parse(form.get('payload') ?? '{}')).toMatchObject({ type: 'block_actions', actions: [{ type: 'button' }] });
    const dingtalk = toRequest(parseEvent<FcHttpEvent>(sample('http-dingtalk-callback.json')));
    expect(new URL(dingtalk.url).pathname).toBe('/dingtalk/card-callback');
    expect(dingtalk.headers.get('x-ddpaas-signature-timestamp')).toMatch(/^\d{13}$/);
    expect(await dingtalk.json()).toMatchObject({ type: 'actionCallback', content: expect.any(String) });
  });
});

describe('fromResponse', () => {
  it('maps a JSON response to the full FC3 struct with a text body', async () => {
    const res = await fromResponse(Response.json({ ok: true }, { status: 409, headers: { 'X-Extra': 'y' } }));
    expect(res).toEqual({ statusCode: 409, headers: { 'content-type': 'application/json', 'x-extra': 'y' }, isBase64Encoded: false, body: '{"ok":true}' });
  });

  it('keeps UTF-8 text intact', async () => {
    const res = await fromResponse(new Response('已记录：撤销', { headers: { 'content-type': 'text/plain; charset=utf-8' } }));
    expect(res).toMatchObject({ isBase64Encoded: false, body: '已记录：撤销' });
  });

  it('returns binary bodies Base64-encoded, byte for byte', async () => {
    const bytes = new Uint8Array([0, 1, 2, 0xfe, 0xff, 0x80]);
    const res = await fromResponse(new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }));
    expect(res.isBase64Encoded).toBe(true);
    expect(Buffer.from(res.body, 'base64')).toEqual(Buffer.from(bytes));
  });

  it('maps an empty response (e.g. 200 with no body) to an empty text body', async () => {
    expect(await fromResponse(new Response(null, { status: 200 }))).toEqual({ statusCode: 200, headers: {}, isBase64Encoded: false, body: '' });
  });
});

describe('parseEvent and isTimerEvent', () => {
  it('parses the Buffer FC passes, and tells the sample timer events from HTTP ones', () => {
    for (const name of ['timer-scan.json', 'timer-remind.json', 'timer-apply.json']) expect(isTimerEvent(parseEvent(sample(name)))).toBe(true);
    for (const name of ['http-slack-action.json', 'http-dingtalk-callback.json']) expect(isTimerEvent(parseEvent(sample(name)))).toBe(false);
  });

  it('refuses an event that is not JSON with BAD_EVENT', () => {
    expect(() => parseEvent(Buffer.from('not json'))).toThrow(expect.objectContaining({ code: 'BAD_EVENT' }));
  });
});
