import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../shared/errors.js';
import { buildConfigSchema, parseConfig, ruleSettings } from '../../../shared/config/index.js';
import { accessKeyStale, FAKE_RULES, userConsoleInactive } from './fake-rules.js';

function issuesFor(raw: unknown, env: NodeJS.ProcessEnv = {}): string[] {
  try {
    parseConfig(raw, { env, rules: FAKE_RULES });
  } catch (error) {
    if (error instanceof ConfigError) return error.issues;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('config schema', () => {
  it('accepts rule overrides and fills the rule params defaults', () => {
    const config = parseConfig(
      { rules: { 'ram.access-key-stale': { severity: 'high', params: {} }, 'ram.user-console-inactive': { enabled: false } } },
      { env: {}, rules: FAKE_RULES },
    );
    expect(config.rules['ram.access-key-stale']).toEqual({ enabled: true, severity: 'high', params: { maxAgeDays: 90 } });
    expect(config.rules['ram.user-console-inactive']).toEqual({ enabled: false });
  });

  it('rejects a misspelt rule param as an unknown key under params', () => {
    expect(issuesFor({ rules: { 'ram.access-key-stale': { params: { maxAgeDay: 30 } } } })).toEqual([
      'rules."ram.access-key-stale".params.maxAgeDay: unknown key; did you mean "maxAgeDays"? expected one of maxAgeDays',
    ]);
  });

  it('rejects unknown keys inside a rule entry and bad severities', () => {
    expect(issuesFor({ rules: { 'ram.access-key-stale': { enable: false, severity: 'urgent' } } })).toEqual([
      'rules."ram.access-key-stale".enable: unknown key; did you mean "enabled"? expected one of enabled, severity, params',
      'rules."ram.access-key-stale".severity: must be one of info, low, medium, high, critical',
    ]);
  });

  it('validates exclusions: reason, types, rule ids and dates', () => {
    const issues = issuesFor({
      exclusions: [
        { pattern: 'svc-*', reason: '   ', types: ['robot'], rules: ['ram.nope'], expires: '2025-02-30' },
        { pattern: 'ok', reason: 'fine', expires: '2020-01-01' },
      ],
    });
    expect(issues).toEqual([
      'exclusions[0].expires: must be a date written YYYY-MM-DD, e.g. 2025-06-30',
      'exclusions[0].reason: must not be empty: say why these findings are accepted, e.g. a ticket or decision',
      expect.stringMatching(/^exclusions\[0\]\.rules\[0\]: unknown rule id "ram\.nope"; valid ids include /),
      'exclusions[0].types[0]: must be one of account, user, accessKey, group, role, policy, trail, secret',
    ]);
  });

  it('accepts rule-id globs in exclusions only when they match a registered rule', () => {
    const ok = parseConfig({ exclusions: [{ pattern: 'ci-*', rules: ['ram.user-*'], reason: 'r' }] }, { env: {}, rules: FAKE_RULES });
    expect(ok.exclusions[0]?.rules).toEqual(['ram.user-*']);
    expect(issuesFor({ exclusions: [{ pattern: 'ci-*', rules: ['sts.*'], reason: 'r' }] })).toEqual([
      expect.stringMatching(/^exclusions\[0\]\.rules\[0\]: rule pattern "sts\.\*" matches no rule id; valid ids include ram\.access-key-stale/),
    ]);
  });

  it('keeps an expired exclusion as valid config', () => {
    const config = parseConfig({ exclusions: [{ pattern: 'a', reason: 'r', expires: '2020-01-01' }] }, { env: {}, rules: FAKE_RULES });
    expect(config.exclusions).toEqual([{ pattern: 'a', reason: 'r', expires: '2020-01-01' }]);
  });

  it.each([
    ['ram.aliyuncs.com', true],
    ['127.0.0.1:8080', true],
    ['[::1]:8080', true],
    ['https://ram.aliyuncs.com', false],
    ['host:99999', false],
    ['host/path', false],
    ['', false],
  ])('endpoint %j valid: %s', (endpoint, valid) => {
    const result = buildConfigSchema(FAKE_RULES).safeParse({ cloud: { endpoints: { ims: endpoint } } });
    expect(result.success).toBe(valid);
  });

  it('checks ranges and that the max retry delay is not below the base delay', () => {
    expect(issuesFor({ cloud: { concurrency: 65, maxAttempts: 21, retryBaseDelayMs: 5000, retryMaxDelayMs: 1000 } })).toEqual([
      'cloud.concurrency: must be a whole number from 1 to 64',
      'cloud.maxAttempts: must be a whole number from 1 to 20',
      'cloud.retryMaxDelayMs: must be at least cloud.retryBaseDelayMs (5000)',
    ]);
  });

  it('says what type was expected', () => {
    expect(issuesFor({ cloud: 'cn-hangzhou', scan: { credentialReport: { enabled: 'yes' } } })).toEqual([
      'cloud: must be a mapping of keys, not text "cn-hangzhou"',
      'scan.credentialReport.enabled: must be true or false',
    ]);
  });
});

describe('ruleSettings', () => {
  it('merges the override over the rule metadata and params defaults', () => {
    const config = parseConfig(
      { rules: { 'ram.access-key-stale': { severity: 'critical', params: { maxAgeDays: 30 } } } },
      { env: {}, rules: FAKE_RULES },
    );
    expect(ruleSettings(config, accessKeyStale)).toEqual({ enabled: true, severity: 'critical', params: { maxAgeDays: 30 } });
    expect(ruleSettings(config, userConsoleInactive)).toEqual({ enabled: true, severity: 'low', params: { inactiveDays: 90 } });
  });
});

describe('people, owners and review config', () => {
  it('checks cross-references: unknown manager, unknown owner person and group, missing security group', async () => {
    const { parseConfig } = await import('../../../shared/config/index.js');
    const raw = {
      people: [
        { id: 'alice', name: 'Alice', manager: 'nobody', groups: ['platform'] },
        { id: 'alice', name: 'Alice again' },
      ],
      owners: [
        { pattern: 'build-*', owner: 'carol' },
        { pattern: '*', types: ['role'], owner: 'group:ops' },
      ],
    };
    let issues: string[] = [];
    try {
      parseConfig(raw, { env: {}, rules: [] });
    } catch (err) {
      issues = (err as { issues: string[] }).issues;
    }
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^people\[1\]\.id: duplicate person id "alice"/),
        expect.stringMatching(/^people\[0\]\.manager: no person with id "nobody"/),
        expect.stringMatching(/^owners\[0\]\.owner: no person with id "carol"/),
        expect.stringMatching(/^owners\[1\]\.owner: no person is in group "ops"/),
        expect.stringMatching(/^review\.securityGroup: no person is in group "security"/),
      ]),
    );
  });

  it('accepts a consistent directory', async () => {
    const { parseConfig } = await import('../../../shared/config/index.js');
    const config = parseConfig(
      {
        people: [
          { id: 'alice', name: 'Alice', email: 'alice@example.com', manager: 'bob' },
          { id: 'bob', name: 'Bob', groups: ['security'] },
        ],
        owners: [{ pattern: 'build-*', owner: 'alice' }],
        review: { deadlineActions: { 'ram.access-key-unused': 'request-revocation' } },
        chat: { kind: 'slack', slack: { securityChannel: 'C024BE91L' } },
      },
      { env: {}, rules: [] },
    );
    expect(config.people[0]).toMatchObject({ id: 'alice', slack: null, groups: [] });
    expect(config.review.dueDays).toBe(7);
    expect(config.chat.kind).toBe('slack');
  });
});

describe('config activity section', () => {
  it('defaults every field', () => {
    expect(parseConfig({}, { env: {}, rules: FAKE_RULES }).activity).toEqual({
      source: 'actiontrail',
      lookbackDays: 90,
      retentionDays: 90,
      globalEvents: true,
      sls: null,
      oss: null,
    });
  });

  it('names each field a source needs when it is missing', () => {
    expect(issuesFor({ activity: { source: 'sls' } })).toEqual([
      // Sorted by path, as every issue list is.
      'activity.sls.logstore: is required when activity.source is sls: the trail’s Logstore, e.g. actiontrail_<trailName>',
      'activity.sls.project: is required when activity.source is sls: the SLS project the trail delivers to',
    ]);
    expect(issuesFor({ activity: { source: 'oss' } })).toEqual([
      'activity.oss.bucket: is required when activity.source is oss: the OSS bucket the trail delivers to',
      'activity.oss.region: is required when activity.source is oss: the bucket’s region, e.g. cn-hangzhou',
    ]);
    expect(issuesFor({ activity: { source: 'sls', sls: { logstore: 'actiontrail_t' } } })).toEqual([
      'activity.sls.project: is required: the SLS project the trail delivers to',
    ]);
  });

  it('rejects bad values, naming the field', () => {
    expect(
      issuesFor({
        activity: {
          source: 'cloudtrail',
          lookbackDays: 400,
          retentionDays: 0,
          globalEvents: 'yes',
          sls: { project: 'p', logstore: 'l', endpoint: 'https://cn-hangzhou.log.aliyuncs.com' },
          oss: { bucket: 'b', region: 'Hangzhou', regions: ['cn-hangzhou', 'nowhere'] },
        },
      }),
    ).toEqual([
      'activity.globalEvents: must be true or false',
      'activity.lookbackDays: must be a whole number from 1 to 365',
      'activity.oss.region: must be a region id such as cn-hangzhou',
      'activity.oss.regions[1]: must be a region id such as cn-hangzhou',
      'activity.retentionDays: must be a whole number from 1 to 365',
      expect.stringMatching(/^activity\.sls\.endpoint: drop the scheme: write "cn-hangzhou\.log\.aliyuncs\.com"/),
      'activity.source: must be one of actiontrail, sls, oss, none',
    ]);
    expect(issuesFor({ activity: { sourc: 'none' } })).toEqual([expect.stringMatching(/^activity\.sourc: unknown key; did you mean "source"\?/)]);
  });

  it('accepts a complete SLS or OSS source', () => {
    const sls = parseConfig({ activity: { source: 'sls', sls: { project: 'audit', logstore: 'actiontrail_main' } } }, { env: {}, rules: FAKE_RULES });
    expect(sls.activity.sls).toEqual({ project: 'audit', logstore: 'actiontrail_main' });
    const oss = parseConfig({ activity: { source: 'oss', oss: { bucket: 'trail', region: 'cn-hangzhou' } } }, { env: {}, rules: FAKE_RULES });
    expect(oss.activity.oss).toEqual({ bucket: 'trail', region: 'cn-hangzhou', regions: [] });
  });
});
