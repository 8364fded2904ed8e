import { subDays } from 'date-fns';
import { describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../../../shared/activity/events.js';
import { UsageIndex as ActivityIndex } from '../../../../shared/activity/usage-index.js';
import rule from '../../../../shared/rules/ram/workload-user-with-access-key.js';
import type { UsageIndex } from '../../../../shared/rules/types.js';
import { daysAgo, key, names, NOW, run, snapshot, user } from '../builders.js';

const SDK = 'AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/2';
const FC = 'AlibabaCloud (linux; x64) Python/3.10.13 Core/2.13 fc-runtime/python3.10';

/** One call by `keyId` (and its user) `days` ago, from `ip` with user agent `ua`, in ActionTrail's shape after parsing. */
type Call = [keyId: string, days: number, ip: string, ua?: string];

/** The real usage index holding `calls`, its read covering `coverDays` back to NOW. */
function usageOf(calls: Call[], coverDays = 60): UsageIndex {
  const events: ActivityEvent[] = calls.map(([keyId, days, ip, ua = SDK], i) => ({
    id: `ev-${i}`,
    time: Date.parse(daysAgo(days)),
    action: 'oss:PutObject',
    service: 'oss',
    identities: [{ type: 'user', name: `owner-of-${keyId}` }, { type: 'accessKey', name: keyId }],
    denied: false,
    sourceIp: ip,
    userAgent: ua,
    vpcId: '',
  }));
  return new ActivityIndex().ingest(events, { from: subDays(NOW, coverDays), to: NOW });
}

const snap = (...ids: string[]) => snapshot({ users: ids.map((id) => user(`owner-of-${id}`, { accessKeys: [key(id)] })) });

describe('ram.workload-user-with-access-key', () => {
  it('fails a key used mostly from internal addresses, recommending an instance RAM role', () => {
    const usage = usageOf([
      ['LTAIbuild', 1, '172.16.3.21'],
      ['LTAIbuild', 2, '172.16.3.21'],
      ['LTAIbuild', 3, '192.168.XX.XX'],
      ['LTAIbuild', 4, '203.0.113.10'],
    ]);
    const [result] = run(rule, snap('LTAIbuild'), {}, usage);
    expect(result).toMatchObject({ status: 'fail', subject: { type: 'accessKey', name: 'LTAIbuild', user: 'owner-of-LTAIbuild' } });
    expect(result?.evidence).toMatchObject({
      summary: '75% of 4 calls in the last 30 days came from inside Alibaba Cloud (172.16.3.21, 192.168.XX.XX)',
      internalShare: 0.75,
      uses: { internal: 3, public: 1, other: 0 },
      recommendation: expect.stringMatching(/^attach an instance RAM role to the ECS instance .*; then delete the key$/),
    });
    expect(result?.evidence.sampleIps).toContainEqual({ ip: '203.0.113.10', network: 'public', last: daysAgo(4) });
  });

  it('fails a key called by a Function Compute client even from a public address, recommending a function role', () => {
    const [result] = run(rule, snap('LTAIfn'), {}, usageOf([['LTAIfn', 2, '47.96.0.10', FC], ['LTAIfn', 3, '47.96.0.11']]));
    expect(result).toMatchObject({ status: 'fail', evidence: { summary: '0% of 2 calls in the last 30 days came from inside Alibaba Cloud; called by fc runtime clients' } });
    expect(result?.evidence.recommendation).toMatch(/^give the function a function role/);
    expect(result?.evidence.clients).toContainEqual(expect.objectContaining({ family: 'fc', runtime: true, sample: FC }));
  });

  it('passes keys used from public office addresses, below the share, unused in the window, or inactive', () => {
    const usage = usageOf([
      ['LTAIoffice', 1, '203.0.113.10'],
      ['LTAIoffice', 2, '203.0.113.11'],
      ['LTAImostlyout', 1, '10.0.0.4'],
      ['LTAImostlyout', 2, '198.51.100.7'],
      ['LTAImostlyout', 3, '198.51.100.8'],
      ['LTAIold', 45, '10.0.0.5'],
    ]);
    const s = snap('LTAIoffice', 'LTAImostlyout', 'LTAIold', 'LTAInever');
    expect(run(rule, s, {}, usage)).toEqual([]);
    // The threshold is a parameter; the window too.
    expect(names(run(rule, s, { minInternalShare: 0.3 }, usage))).toEqual(['LTAImostlyout']);
    expect(names(run(rule, s, { windowDays: 50 }, usage))).toEqual(['LTAIold']);
    const inactive = snapshot({ users: [user('u', { accessKeys: [key('LTAIold', { status: 'Inactive' })] })] });
    expect(run(rule, inactive, { windowDays: 50 }, usage)).toEqual([]);
  });

  it('is one unknown without activity data or when it does not cover the window', () => {
    const s = snap('LTAIbuild');
    expect(run(rule, s)).toMatchObject([{ status: 'unknown', subject: { type: 'account' }, evidence: { summary: expect.stringContaining('no activity data') } }]);
    const short = usageOf([['LTAIbuild', 1, '10.0.0.1']], 7);
    expect(run(rule, s, {}, short)).toMatchObject([{ status: 'unknown', subject: { type: 'account' }, evidence: { summary: expect.stringContaining('does not cover') } }]);
    // No active key to judge: no data needed.
    expect(run(rule, snapshot({ users: [user('console-only')] }))).toEqual([]);
  });

  it('is unknown for a used key whose origins were not recorded or cannot be judged', () => {
    const usage = usageOf([['LTAIsvc', 1, 'ecs.aliyuncs.com', 'ecs.aliyuncs.com'], ['LTAIsls', 1, '10.0.0.1']]);
    (usage as ActivityIndex).originsUnrecordedUntil(NOW);
    expect(run(rule, snap('LTAIsvc', 'LTAIsls'), {}, usage).map((r) => [r.status, r.subject.name, r.evidence.summary])).toEqual([
      ['unknown', 'LTAIsvc', expect.stringContaining('not recorded for the whole window')],
      ['unknown', 'LTAIsls', expect.stringContaining('not recorded for the whole window')],
    ]);
    const judgeless = usageOf([['LTAIsvc', 1, 'ecs.aliyuncs.com', 'ecs.aliyuncs.com']]);
    expect(run(rule, snap('LTAIsvc'), {}, judgeless)).toMatchObject([{ status: 'unknown', evidence: { summary: expect.stringContaining('no call had an address') } }]);
    expect(names(run(rule, snapshot({ users: [user('hidden', { accessKeys: null })] }), {}, judgeless), 'unknown')).toEqual(['hidden']);
  });
});
