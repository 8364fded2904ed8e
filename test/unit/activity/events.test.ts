import { describe, expect, it } from 'vitest';
import { createEventParser, identitiesOf, identityKey, isDenied, parseEvent } from '../../../shared/activity/events.js';

/** The docs' example record (reference §4.2), with extra fields the parser must ignore. */
const DOCS_EXAMPLE = {
  apiVersion: '2020-07-06',
  eventType: 'ApiCall',
  eventName: 'LookupEvents',
  serviceName: 'Actiontrail',
  acsRegion: 'cn-hangzhou',
  eventSource: 'actiontrail.cn-hangzhou.aliyuncs.com',
  eventTime: '2021-01-01T00:00:00Z',
  sourceIpAddress: '192.168.XX.XX',
  userIdentity: {
    type: 'assumed-role',
    accountId: '159498693826****',
    principalId: '34359792600393****:u1',
    userName: 'custom-role-for-actiontrail:u1',
    accessKeyId: 'STS.NUQNP4PiGyckMsNiGELCs****',
    sessionContext: { attributes: { mfaAuthenticated: 'false', creationDate: '2021-01-01T00:00:00Z' } },
  },
  requestParameters: { 'LookupAttribute.1.Key': 'EventRW', 'LookupAttribute.1.Value': 'Write' },
  errorCode: '',
  errorMessage: '',
  eventVersion: '1',
  eventId: '3462D6AF-0000-0000-0000-000000000001',
  someFutureField: { anything: [1, 2] },
};

describe('event records', () => {
  it('parses the documented record, tolerating unknown fields', () => {
    const result = parseEvent(DOCS_EXAMPLE);
    expect(result).toEqual({
      ok: true,
      event: {
        id: '3462D6AF-0000-0000-0000-000000000001',
        time: Date.parse('2021-01-01T00:00:00Z'),
        action: 'actiontrail:LookupEvents',
        service: 'actiontrail',
        // The STS token is per session: the role is credited, not a key.
        identities: [{ type: 'role', name: 'custom-role-for-actiontrail' }],
        denied: false,
        // Origin fields as recorded (masked, as the docs show); absent ones are empty.
        sourceIp: '192.168.XX.XX',
        userAgent: '',
        vpcId: '',
      },
    });
  });

  it('keeps where a call came from, and never refuses a record for an odd origin field', () => {
    const parse = createEventParser();
    const ua = 'AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/2';
    expect(parse({ ...DOCS_EXAMPLE, sourceIpAddress: '10.0.3.4', userAgent: ua, vpcId: 'vpc-bp1x' })).toMatchObject({
      ok: true,
      event: { sourceIp: '10.0.3.4', userAgent: ua, vpcId: 'vpc-bp1x' },
    });
    expect(parse({ ...DOCS_EXAMPLE, sourceIpAddress: 42, userAgent: null })).toMatchObject({ ok: true, event: { sourceIp: '', userAgent: '' } });
  });

  it('skips records without an id or a valid time, saying why', () => {
    const parse = createEventParser();
    expect(parse({ ...DOCS_EXAMPLE, eventId: undefined })).toMatchObject({ ok: false, reason: expect.stringContaining('eventId') });
    expect(parse({ ...DOCS_EXAMPLE, eventTime: 'yesterday' })).toMatchObject({ ok: false, reason: expect.stringContaining('eventTime') });
    expect(parse('not an object')).toMatchObject({ ok: false });
  });

  it('refuses the same malformed records on the fast path as the schema does, naming the field', () => {
    const parse = createEventParser();
    const bad: Array<[Record<string, unknown>, string]> = [
      [{ ...DOCS_EXAMPLE, eventName: 42 }, 'eventName'],
      [{ ...DOCS_EXAMPLE, serviceName: null }, 'serviceName'],
      [{ ...DOCS_EXAMPLE, errorCode: 500 }, 'errorCode'],
      [{ ...DOCS_EXAMPLE, eventType: ['ApiCall'] }, 'eventType'],
      [{ ...DOCS_EXAMPLE, userIdentity: 'alice' }, 'userIdentity'],
      [{ ...DOCS_EXAMPLE, userIdentity: { type: 'ram-user', userName: { name: 'alice' } } }, 'userIdentity.userName'],
      [{ ...DOCS_EXAMPLE, eventId: '' }, 'eventId'],
    ];
    for (const [record, field] of bad) {
      expect(parse(record), field).toMatchObject({ ok: false, reason: expect.stringContaining(field) });
    }
    // Optional fields may be absent or null where the schema allows it.
    const { eventName: _n, serviceName: _s, errorCode: _e, userIdentity: _u, ...minimal } = DOCS_EXAMPLE;
    expect(parse({ ...minimal, errorCode: null })).toMatchObject({ ok: true, event: { action: null, identities: [], denied: false } });
  });

  it('maps no action for event types RAM does not authorize, cached or not', () => {
    const parse = createEventParser();
    const call = parse(DOCS_EXAMPLE);
    const service = parse({ ...DOCS_EXAMPLE, eventType: 'AliyunServiceEvent' });
    const again = parse(DOCS_EXAMPLE);
    expect(call).toMatchObject({ ok: true, event: { action: 'actiontrail:LookupEvents' } });
    expect(service).toMatchObject({ ok: true, event: { action: null, service: null } });
    expect(again).toEqual(call);
  });

  it('credits a RAM user by name and its access key by id', () => {
    const ids = identitiesOf({ userIdentity: { type: 'ram-user', principalId: '2087', userName: 'alice', accessKeyId: 'LTAI5tAlice' } });
    expect(ids).toEqual([
      { type: 'user', name: 'alice' },
      { type: 'accessKey', name: 'LTAI5tAlice' },
    ]);
    // A console operation has no key; a record without userName credits only the key.
    expect(identitiesOf({ userIdentity: { type: 'ram-user', userName: 'bob' } })).toEqual([{ type: 'user', name: 'bob' }]);
    expect(identitiesOf({ userIdentity: { type: 'ram-user', principalId: '2087', accessKeyId: 'LTAI5tX' } })).toEqual([{ type: 'accessKey', name: 'LTAI5tX' }]);
  });

  it('credits a role through its assumed-role session (ARN first, then userName)', () => {
    expect(identitiesOf({ userIdentity: { type: 'assumed-role', arn: 'acs:ram::1:assumed-role/ops-admin/s1', userName: 'ignored:s1' } })).toEqual([
      { type: 'role', name: 'ops-admin' },
    ]);
    expect(identitiesOf({ userIdentity: { type: 'assumed-role', userName: 'Deployer:ci-42', accessKeyId: 'STS.abc' } })).toEqual([{ type: 'role', name: 'Deployer' }]);
  });

  it('credits the account for root, with its key; system identities are nobody', () => {
    expect(identitiesOf({ userIdentity: { type: 'root-account', userName: 'root', accessKeyId: 'LTAIroot' } })).toEqual([
      { type: 'root', name: 'root' },
      { type: 'accessKey', name: 'LTAIroot' },
    ]);
    expect(identitiesOf({ userIdentity: { type: 'system' } })).toEqual([]);
    expect(identitiesOf({})).toEqual([]);
  });

  it('tells denied calls from other errors', () => {
    expect(isDenied('NoPermission')).toBe(true);
    expect(isDenied('Forbidden.RAM')).toBe(true);
    expect(isDenied('EntityNotExist.User')).toBe(false);
    expect(isDenied('')).toBe(false);
    expect(isDenied(null)).toBe(false);
  });

  it('keys identities; role names case-insensitively', () => {
    expect(identityKey({ type: 'user', name: 'alice' })).toBe('user:alice');
    expect(identityKey({ type: 'role', name: 'Ops-Admin' })).toBe('role:ops-admin');
    expect(identityKey({ type: 'accessKey', name: 'LTAI5t' })).toBe('accessKey:LTAI5t');
    expect(identityKey({ type: 'root', name: 'whatever' })).toBe('root');
  });
});
