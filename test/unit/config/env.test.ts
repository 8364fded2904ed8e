import { describe, expect, it } from 'vitest';
import { readEnv } from '../../../shared/config/env.js';

describe('readEnv', () => {
  it.each([
    ['http://127.0.0.1:8080', { protocol: 'http', host: '127.0.0.1:8080' }],
    ['HTTPS://ram.example.com/', { protocol: 'https', host: 'ram.example.com' }],
    ['http://[::1]:9000', { protocol: 'http', host: '[::1]:9000' }],
  ])('accepts RAMPARTS_CLOUD_ENDPOINT=%s', (value, endpoint) => {
    expect(readEnv({ RAMPARTS_CLOUD_ENDPOINT: value })).toEqual({ overrides: { endpoint }, issues: [] });
  });

  it.each(['127.0.0.1:8080', 'ftp://host', 'http://host/path', 'http://host?x=1', 'http://user:pw@host', 'http://', 'http://host:0'])(
    'rejects RAMPARTS_CLOUD_ENDPOINT=%s naming the variable and the expected form',
    (value) => {
      const { overrides, issues } = readEnv({ RAMPARTS_CLOUD_ENDPOINT: value });
      expect(overrides).toEqual({});
      expect(issues).toEqual([
        `RAMPARTS_CLOUD_ENDPOINT: got ${JSON.stringify(value)}; set it to http://host[:port] or https://host[:port] with no path or query, e.g. http://127.0.0.1:8080`,
      ]);
    },
  );

  it('ignores empty variables and reports every bad one', () => {
    expect(readEnv({ RAMPARTS_CLOUD_ENDPOINT: '', RAMPARTS_REGION: ' ' })).toEqual({ overrides: {}, issues: [] });
    const { issues } = readEnv({ RAMPARTS_REGION: 'Hangzhou', RAMPARTS_LOG_LEVEL: 'loud' });
    expect(issues).toEqual([
      'RAMPARTS_REGION: got "Hangzhou"; must be a region id such as cn-hangzhou',
      'RAMPARTS_LOG_LEVEL: got "loud"; must be one of fatal, error, warn, info, debug, trace, silent',
    ]);
  });
});
