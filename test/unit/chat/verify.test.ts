import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { verifyDingTalkRequest, verifySlackRequest } from '../../../shared/chat/verify.js';

// Slack's published example (api.slack.com/authentication/verifying-requests-from-slack; reference §4.1).
const SLACK_SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const SLACK_TS = '1531420618';
const SLACK_BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const SLACK_SIG = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const slackNow = Number(SLACK_TS) * 1000;
const slackHeaders = { 'X-Slack-Request-Timestamp': SLACK_TS, 'X-Slack-Signature': SLACK_SIG };

describe('verifySlackRequest', () => {
  const base = { rawBody: SLACK_BODY, headers: slackHeaders, signingSecrets: [SLACK_SECRET], nowMs: slackNow };

  it("accepts Slack's published example, as a string or as bytes", () => {
    expect(verifySlackRequest(base)).toEqual({ ok: true });
    expect(verifySlackRequest({ ...base, rawBody: Buffer.from(SLACK_BODY) })).toEqual({ ok: true });
  });

  it('looks headers up case-insensitively, in a record or a Headers object', () => {
    expect(verifySlackRequest({ ...base, headers: { 'x-slack-request-timestamp': SLACK_TS, 'x-slack-signature': SLACK_SIG } })).toEqual({ ok: true });
    expect(verifySlackRequest({ ...base, headers: new Headers(slackHeaders) })).toEqual({ ok: true });
  });

  it('accepts the old secret during rotation', () => {
    expect(verifySlackRequest({ ...base, signingSecrets: ['new-secret', SLACK_SECRET] })).toEqual({ ok: true });
  });

  it('refuses a tampered body, a forged signature, another secret', () => {
    expect(verifySlackRequest({ ...base, rawBody: SLACK_BODY.replace('roadrunner', 'coyote') })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifySlackRequest({ ...base, headers: { ...slackHeaders, 'X-Slack-Signature': SLACK_SIG.replace(/.$/, '0') } })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifySlackRequest({ ...base, headers: { ...slackHeaders, 'X-Slack-Signature': 'v0=short' } })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifySlackRequest({ ...base, signingSecrets: ['other'] })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifySlackRequest({ ...base, signingSecrets: [] })).toEqual({ ok: false, reason: 'bad-signature' });
  });

  it('refuses timestamps more than 5 minutes away, either way', () => {
    expect(verifySlackRequest({ ...base, nowMs: slackNow + 300_000 })).toEqual({ ok: true });
    expect(verifySlackRequest({ ...base, nowMs: slackNow + 301_000 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifySlackRequest({ ...base, nowMs: slackNow - 301_000 })).toEqual({ ok: false, reason: 'stale' });
  });

  it('reports missing headers', () => {
    expect(verifySlackRequest({ ...base, headers: { 'X-Slack-Signature': SLACK_SIG } })).toEqual({ ok: false, reason: 'missing-headers' });
    expect(verifySlackRequest({ ...base, headers: {} })).toEqual({ ok: false, reason: 'missing-headers' });
  });
});

describe('verifyDingTalkRequest', () => {
  const secret = 'dt-callback-secret';
  const ts = '1735689600000';
  const sig = createHmac('sha256', secret).update(ts).digest('base64');
  const base = { headers: { 'x-ddpaas-signature-timestamp': ts, 'x-ddpaas-signature': sig }, secrets: [secret], nowMs: Number(ts) };

  it('accepts base64 HMAC-SHA256 of the timestamp (reference §3.4), any header case, any rotation secret', () => {
    expect(verifyDingTalkRequest(base)).toEqual({ ok: true });
    expect(verifyDingTalkRequest({ ...base, headers: { 'X-Ddpaas-Signature-Timestamp': ts, 'X-Ddpaas-Signature': sig } })).toEqual({ ok: true });
    expect(verifyDingTalkRequest({ ...base, secrets: ['new', secret] })).toEqual({ ok: true });
  });

  it('refuses a wrong signature, a stale timestamp, missing headers', () => {
    expect(verifyDingTalkRequest({ ...base, secrets: ['other'] })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyDingTalkRequest({ ...base, headers: { ...base.headers, 'x-ddpaas-signature-timestamp': String(Number(ts) + 1) } })).toEqual({ ok: false, reason: 'bad-signature' });
    expect(verifyDingTalkRequest({ ...base, nowMs: Number(ts) + 300_001 })).toEqual({ ok: false, reason: 'stale' });
    expect(verifyDingTalkRequest({ ...base, nowMs: Number(ts) + 3_000_000, windowMs: 3_600_000 })).toEqual({ ok: true });
    expect(verifyDingTalkRequest({ ...base, headers: { 'x-ddpaas-signature': sig } })).toEqual({ ok: false, reason: 'missing-headers' });
  });
});
