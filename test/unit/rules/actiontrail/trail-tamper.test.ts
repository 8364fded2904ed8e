import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/actiontrail/trail-tamper.js';
import { ACCOUNT_ID, ADMIN_DOC, doc, group, names, policy, READONLY_DOC, role, run, snapshot, trail, user } from '../builders.js';

interface Capability {
  trail: string;
  action: string;
  resource: string;
  paths: string[][];
}
const caps = (evidence: object) => (evidence as { capabilities: Capability[] }).capabilities;

const AUDIT = trail('audit', { ossKeyPrefix: 'logs' });
const DELETE_LOGS = doc({ Effect: 'Allow', Action: ['oss:DeleteObject', 'oss:GetObject'], Resource: 'acs:oss:*:*:audit-logs/logs/*' });

describe('actiontrail.trail-tamper', () => {
  it('fails an admin (critical: it can stop the trail) and a role that can delete the delivered logs (high), naming the statements', () => {
    const snap = snapshot({
      trails: [AUDIT],
      users: [user('ops-admin', { groups: ['admins'] })],
      groups: [group('admins', ['ops-admin'])],
      roles: [role('log-janitor', null)],
      policies: [policy('Admins', ADMIN_DOC, [['group', 'admins']]), policy('Janitor', DELETE_LOGS, [['role', 'log-janitor']])],
    });
    const results = run(rule, snap);
    expect(results.map((r) => [r.subject.name, r.status, r.severity])).toEqual([
      ['ops-admin', 'fail', 'critical'],
      ['log-janitor', 'fail', 'high'],
    ]);
    expect(caps(results[0]!.evidence).map((c) => c.action)).toEqual([
      'actiontrail:StopLogging',
      'actiontrail:DeleteTrail',
      'actiontrail:UpdateTrail',
      'oss:DeleteObject',
      'oss:DeleteBucket',
      'oss:PutBucketLifecycle',
      'log:DeleteLogStore',
      'log:DeleteProject',
    ]);
    expect(caps(results[0]!.evidence)[0]).toMatchObject({
      trail: 'audit',
      resource: `acs:actiontrail:cn-hangzhou:${ACCOUNT_ID}:trail/audit`,
      paths: [['user:ops-admin', 'group:admins', 'policy:Admins (Custom)', 'statement 1: Allow * on *']],
    });
    expect(results[0]!.evidence.summary).toMatch(/^trail audit: can stop or change it \(actiontrail:StopLogging, .*\) and can delete its logs \(oss:DeleteObject, .* \+2 more\) via user:ops-admin → group:admins/);
    expect(caps(results[1]!.evidence)).toEqual([
      {
        trail: 'audit',
        action: 'oss:DeleteObject',
        resource: `acs:oss:*:${ACCOUNT_ID}:audit-logs/logs/AliyunLogs/Actiontrail/`,
        conditional: false,
        paths: [['role:log-janitor', 'policy:Janitor (Custom)', 'statement 1: Allow oss:DeleteObject, oss:GetObject on acs:oss:*:*:audit-logs/logs/*']],
      },
    ]);
  });

  it('passes security principals, deletes scoped to other buckets, explicit Denies, service and delivery roles', () => {
    const snap = snapshot({
      trails: [AUDIT],
      users: [user('sec-amy', { groups: ['security'] }), user('dev', { groups: [] }), user('fenced')],
      groups: [group('security', ['sec-amy'])],
      roles: [role('SecurityAudit', null), role('AliyunServiceRoleForActionTrail', null), role('AliyunActionTrailDefaultRole', null), role('reader', null)],
      policies: [
        policy('Admins', ADMIN_DOC, [['group', 'security'], ['role', 'SecurityAudit'], ['role', 'AliyunServiceRoleForActionTrail'], ['role', 'AliyunActionTrailDefaultRole'], ['user', 'fenced']]),
        policy('OtherBucket', doc({ Effect: 'Allow', Action: 'oss:*', Resource: ['acs:oss:*:*:app-data', 'acs:oss:*:*:app-data/*'] }), [['user', 'dev']]),
        policy('NoTrailTouching', doc({ Effect: 'Deny', Action: ['actiontrail:*', 'oss:Delete*', 'oss:PutBucketLifecycle', 'log:Delete*'], Resource: '*' }), [['user', 'fenced']]),
        policy('Reader', READONLY_DOC, [['role', 'reader']]),
      ],
    });
    expect(run(rule, snap, { securityPrincipals: ['group:security', 'role:security*'] })).toEqual([]);
    // Without the security principals the same account fails them.
    expect(names(run(rule, snap)).sort()).toEqual(['SecurityAudit', 'sec-amy']);
  });

  it('reports nothing without trails (trail-coverage does), and only the logs of a multi-account trail a member sees', () => {
    const admin = { users: [user('ops-admin')], policies: [policy('Admin', ADMIN_DOC, [['user', 'ops-admin']])] };
    expect(run(rule, snapshot(admin))).toEqual([]);
    // Seen from a member: the trail belongs to the management account, its SLS project to a log-archive account.
    const rd = trail('rd', { isOrganizationTrail: true, slsProjectArn: 'acs:log:cn-hangzhou:5555555555555555:project/rd-logs' });
    const [result] = run(rule, snapshot({ ...admin, organization: { managementAccountId: '9999999999999999' }, trails: [rd] }));
    expect(result).toMatchObject({ status: 'fail', severity: 'high' });
    expect(caps(result!.evidence).map((c) => c.action)).toEqual(['oss:DeleteObject', 'oss:DeleteBucket', 'oss:PutBucketLifecycle']);
  });

  it('is unknown when policies cannot be read, or when group membership decides whether a user is security', () => {
    const snap = snapshot({
      trails: [AUDIT],
      users: [user('half', { groups: ['lost'] }), user('drifter', { groups: null })],
      groups: [group('lost', ['half']), group('security', null)],
      policies: [policy('Unfetched', null, [['group', 'lost']]), policy('Admin', ADMIN_DOC, [['user', 'drifter']])],
    });
    const results = run(rule, snap, { securityPrincipals: ['group:security'] });
    expect(results.map((r) => [r.subject.name, r.status])).toEqual([
      ['half', 'unknown'],
      ['drifter', 'unknown'],
    ]);
    expect(results[0]!.evidence.summary).toContain('cannot be judged: document of policy:Unfetched (Custom) was not collected');
    expect(results[1]!.evidence.summary).toContain('whether it is a security principal cannot be judged');
  });

  it('validates principal entries', () => {
    expect(() => rule.params.parse({ securityPrincipals: ['alice'] })).toThrow();
    expect(rule.params.parse({}).ignoreRoles).toContain('AliyunActionTrailDefaultRole');
  });
});
