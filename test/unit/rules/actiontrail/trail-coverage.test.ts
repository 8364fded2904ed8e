import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/actiontrail/trail-coverage.js';
import { daysAgo, incomplete, run, snapshot, trail } from '../builders.js';

const ORG = { managementAccountId: '9999999999999999' };

describe('actiontrail.trail-coverage', () => {
  it('passes when one trail records everything to OSS or SLS, whatever the other trails lack', () => {
    const weak = trail('dev', { eventRW: 'Write', trailRegion: 'cn-shanghai' });
    expect(run(rule, snapshot({ trails: [weak, trail('audit')] }))).toEqual([]);
    expect(run(rule, snapshot({ trails: [trail('sls-only', { ossBucketName: null })] }))).toEqual([]);
    expect(run(rule, snapshot({ trails: [trail('oss-only', { slsProjectArn: null, latestDeliveryTime: null })] }))).toEqual([]);
  });

  it('fails the account with "no trail" when there is none', () => {
    const results = run(rule, snapshot());
    expect(results).toMatchObject([{ status: 'fail', subject: { type: 'account', name: 'prod-main' } }]);
    expect(results[0]!.evidence.summary).toBe('no trail qualifies: no trail');
  });

  it('fails listing what each trail lacks', () => {
    const trails = [
      trail('audit', { isLogging: false, eventRW: 'Write' }),
      trail('fresh', { status: 'Fresh', isLogging: false }),
      trail('regional', { trailRegion: 'cn-hangzhou' }),
      trail('mc', { ossBucketName: null, slsProjectArn: null, maxComputeProjectArn: 'acs:odps:cn-hangzhou:1:project/at' }),
      trail('broken', { latestDeliveryError: 'NoPermission: AliyunServiceRoleForActionTrail cannot write' }),
      trail('stale', { latestDeliveryTime: daysAgo(3) }),
    ];
    const [result] = run(rule, snapshot({ trails }));
    expect(result).toMatchObject({ status: 'fail', subject: { type: 'account' } });
    const gaps = Object.fromEntries((result!.evidence.trails as Array<{ name: string; gaps: string[] }>).map((t) => [t.name, t.gaps]));
    expect(gaps).toEqual({
      audit: ['not logging', 'records Write only'],
      fresh: ['not logging (status Fresh)'],
      regional: ['covers cn-hangzhou only'],
      mc: ['delivers to MaxCompute only'],
      broken: ['delivery error: NoPermission: AliyunServiceRoleForActionTrail cannot write'],
      stale: [`last delivery ${daysAgo(3).slice(0, 10)}, over 24 h ago`],
    });
    expect(result!.evidence.summary).toMatch(/^no trail qualifies: trail audit: not logging; records Write only \| trail fresh: /);
  });

  it('takes the delivery age from params', () => {
    const snap = snapshot({ trails: [trail('stale', { latestDeliveryTime: daysAgo(3) })] });
    expect(run(rule, snap, { maxDeliveryAgeHours: 96 })).toEqual([]);
  });

  it('requires a multi-account trail in a Resource Directory (auto), or as configured', () => {
    const own = snapshot({ organization: ORG, trails: [trail('own')] });
    const [result] = run(rule, own);
    expect(result).toMatchObject({ status: 'fail', evidence: { requireOrganizationTrail: true, managementAccountId: ORG.managementAccountId } });
    expect(result!.evidence.summary).toContain('trail own: single-account trail');
    expect(run(rule, snapshot({ organization: ORG, trails: [trail('own'), trail('rd', { isOrganizationTrail: true })] }))).toEqual([]);
    // A multi-account trail that itself lacks something does not satisfy the requirement.
    expect(run(rule, snapshot({ organization: ORG, trails: [trail('own'), trail('rd', { isOrganizationTrail: true, eventRW: 'Write' })] }))).toHaveLength(1);
    expect(run(rule, own, { requireOrganizationTrail: false })).toEqual([]);
    expect(run(rule, snapshot({ trails: [trail('own')] }), { requireOrganizationTrail: true })).toHaveLength(1);
  });

  it('is unknown when the best trail\'s logging status could not be read, or trails were not all listed', () => {
    const results = run(rule, snapshot({ trails: [trail('audit', { isLogging: null }), trail('dev', { eventRW: 'Read' })] }));
    expect(results).toMatchObject([{ status: 'unknown', subject: { type: 'account' } }]);
    expect(results[0]!.evidence.summary).toContain('trail audit would qualify, but whether it is logging could not be read');
    // A trail with an unknown status that lacks something else still fails.
    expect(run(rule, snapshot({ trails: [trail('audit', { isLogging: null, eventRW: 'Write' })] }))[0]!.status).toBe('fail');

    const unlisted = run(rule, incomplete(snapshot(), 'trails'));
    expect(unlisted).toMatchObject([{ status: 'unknown' }]);
    expect(unlisted[0]!.evidence.summary).toBe('trails were not collected completely (trails throttled); of those seen: no trail');
    // A qualifying trail is proof enough even when the listing was partial.
    expect(run(rule, incomplete(snapshot({ trails: [trail('audit')] }), 'trails'))).toEqual([]);
  });
});
