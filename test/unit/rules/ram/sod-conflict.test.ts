import { describe, expect, it } from 'vitest';
import rule from '../../../../shared/rules/ram/sod-conflict.js';
import { ACCOUNT_ID, ADMIN_DOC, doc, group, incomplete, names, policy, READONLY_DOC, role, run, snapshot, trail, user } from '../builders.js';

const ATTACH = doc({ Effect: 'Allow', Action: ['ram:AttachPolicyToUser', 'ram:ListPolicies'], Resource: '*' });
const DEPLOY = doc({ Effect: 'Allow', Action: 'ros:*', Resource: '*' });
const ERASE = doc({ Effect: 'Allow', Action: 'actiontrail:StopLogging', Resource: '*' });

interface Evidence {
  conflicts: Array<{ conflict: string; sides: Array<{ side: string; actions: string[]; on?: string[]; paths: string[][] }> }>;
}

describe('ram.sod-conflict', () => {
  it('fails a user whose own policy and two groups together hold both sides, naming the granting statements', () => {
    const snap = snapshot({
      users: [user('ops-lin', { groups: ['iam-admins', 'deployers'] })],
      groups: [group('iam-admins', ['ops-lin']), group('deployers', ['ops-lin'])],
      policies: [
        policy('IamAdmin', ATTACH, [['group', 'iam-admins']]),
        policy('Deploy', DEPLOY, [['group', 'deployers']]),
        policy('Keys', doc({ Effect: 'Allow', Action: 'ram:CreateAccessKey', Resource: 'acs:ram:*:*:user/*' }), [['user', 'ops-lin']]),
        policy('Reader', READONLY_DOC, [['user', 'ops-lin']]),
      ],
    });
    const [result] = run(rule, snap);
    expect(result).toMatchObject({ status: 'fail', subject: { type: 'user', name: 'ops-lin' } });
    const [c] = (result!.evidence as unknown as Evidence).conflicts;
    expect(c!.conflict).toBe('security administration × infrastructure deployment');
    expect(c!.sides.map((s) => [s.side, s.actions])).toEqual([
      ['administer security policy', ['ram:AttachPolicyToUser', 'ram:CreateAccessKey']],
      ['deploy infrastructure', ['ros:CreateStack', 'ros:UpdateStack']],
    ]);
    // The user's own policy and two groups: each granting statement is named.
    expect(c!.sides[0]!.paths).toEqual([
      ['user:ops-lin', 'group:iam-admins', 'policy:IamAdmin (Custom)', 'statement 1: Allow ram:AttachPolicyToUser, ram:ListPolicies on *'],
      ['user:ops-lin', 'policy:Keys (Custom)', 'statement 1: Allow ram:CreateAccessKey on acs:ram:*:*:user/*'],
    ]);
    expect(c!.sides[1]!.paths[0]).toEqual(['user:ops-lin', 'group:deployers', 'policy:Deploy (Custom)', 'statement 1: Allow ros:* on *']);
    expect(result!.evidence.summary).toMatch(/^holds administer security policy \(ram:AttachPolicyToUser, ram:CreateAccessKey via .*IamAdmin.*\) and deploy infrastructure \(ros:CreateStack, ros:UpdateStack via .*Deploy/);
  });

  it('fails a role that can act on resources and stop the trail; a full admin holds every conflict', () => {
    const snap = snapshot({
      users: [user('root-like')],
      roles: [role('ops-runner', null)],
      policies: [policy('Run', doc({ Effect: 'Allow', Action: 'ecs:*', Resource: '*' }), [['role', 'ops-runner']]), policy('Quiet', ERASE, [['role', 'ops-runner']]), policy('Admin', ADMIN_DOC, [['user', 'root-like']])],
    });
    const results = run(rule, snap);
    expect(names(results)).toEqual(['root-like', 'ops-runner']);
    expect((results[1]!.evidence as unknown as Evidence).conflicts.map((c) => c.conflict)).toEqual(['acting on resources × erasing the evidence']);
    expect((results[0]!.evidence as unknown as Evidence).conflicts).toHaveLength(2);
  });

  it('passes one side alone, and a side taken away by an explicit Deny', () => {
    const snap = snapshot({
      users: [user('deployer', { groups: ['deployers'] }), user('fenced', { groups: ['deployers'] })],
      groups: [group('deployers', ['deployer', 'fenced'])],
      policies: [
        policy('Deploy', DEPLOY, [['group', 'deployers']]),
        policy('Attach', ATTACH, [['user', 'fenced']]),
        policy('NoRamWrites', doc({ Effect: 'Deny', Action: 'ram:Attach*', Resource: '*' }), [['user', 'fenced']]),
      ],
    });
    expect(run(rule, snap)).toEqual([]);
  });

  it('is unknown when one side is held and the rest cannot be read', () => {
    const snap = snapshot({
      users: [user('half', { groups: ['deployers', 'lost'] })],
      groups: [group('deployers', ['half']), group('lost', ['half'])],
      policies: [policy('Deploy', DEPLOY, [['group', 'deployers']]), policy('Unfetched', null, [['group', 'lost']])],
    });
    const results = run(rule, snap);
    expect(results).toMatchObject([{ status: 'unknown', subject: { name: 'half' } }]);
    expect(results[0]!.evidence.summary).toContain('holds deploy infrastructure; the rest cannot be judged');
  });

  it('takes the conflict list from params', () => {
    const snap = snapshot({ users: [user('dba')], policies: [policy('Db', doc({ Effect: 'Allow', Action: ['rds:DeleteDBInstance', 'rds:ModifyBackupPolicy'], Resource: '*' }), [['user', 'dba']])] });
    expect(run(rule, snap)).toEqual([]);
    const params = { conflicts: [{ name: 'data × backups', sides: [{ name: 'delete data', actions: ['rds:Delete*'] }, { name: 'change backups', actions: ['rds:ModifyBackupPolicy'] }] }] };
    expect(run(rule, snap, params)).toMatchObject([{ status: 'fail', subject: { name: 'dba' } }]);
    expect(() => rule.params.parse({ conflicts: [{ name: 'x', sides: [{ name: 'a', actions: [] }, { name: 'b', actions: ['x:Y'] }] }] })).toThrow();
  });

  it('counts deleting what the trails delivered as erasing the evidence, not deletes elsewhere', () => {
    const act = { Effect: 'Allow', Action: ['oss:PutObject', 'ecs:RunInstances'], Resource: '*' };
    const snap = snapshot({
      trails: [trail('audit')],
      users: [user('uploader'), user('log-cleaner'), user('sls-admin'), user('app-sls-admin')],
      policies: [
        policy('App', doc(act, { Effect: 'Allow', Action: 'oss:DeleteObject', Resource: 'acs:oss:*:*:app-data/*' }), [['user', 'uploader']]),
        policy('Cleaner', doc(act, { Effect: 'Allow', Action: 'oss:DeleteObject', Resource: 'acs:oss:*:*:audit-logs/*' }), [['user', 'log-cleaner']]),
        policy('Sls', doc(act, { Effect: 'Allow', Action: 'log:*', Resource: 'acs:log:*:*:project/audit-sls/*' }), [['user', 'sls-admin']]),
        policy('AppSls', doc(act, { Effect: 'Allow', Action: 'log:*', Resource: ['acs:log:*:*:project/app-sls', 'acs:log:*:*:project/app-sls/*'] }), [['user', 'app-sls-admin']]),
      ],
    });
    const results = run(rule, snap);
    expect(names(results)).toEqual(['log-cleaner', 'sls-admin']);
    const erase = (i: number) => (results[i]!.evidence as unknown as Evidence).conflicts[0]!.sides[1]!;
    expect(erase(0)).toMatchObject({
      side: 'erase the evidence',
      actions: ['oss:DeleteObject'],
      on: [`oss:DeleteObject on acs:oss:*:${ACCOUNT_ID}:audit-logs/AliyunLogs/Actiontrail/`],
      paths: [['user:log-cleaner', 'policy:Cleaner (Custom)', 'statement 2: Allow oss:DeleteObject on acs:oss:*:*:audit-logs/*']],
    });
    expect(erase(1)).toMatchObject({ actions: ['log:DeleteLogStore', 'log:DeleteIndex'] });
    // Trails not all listed: the trails seen still count; a delete right elsewhere may reach one not seen.
    const unknown = run(rule, incomplete(snap, 'trails'));
    expect(unknown.map((r) => [r.subject.name, r.status])).toEqual([
      ['uploader', 'unknown'],
      ['log-cleaner', 'fail'],
      ['sls-admin', 'fail'],
      ['app-sls-admin', 'unknown'],
    ]);
    expect(unknown[0]!.evidence.summary).toBe(
      'holds act on resources; the rest cannot be judged: erase the evidence (oss:DeleteObject) depends on where the trails deliver, which was not collected (trails throttled)',
    );
  });

  it('scopes a configured side to the ARNs it lists, per service', () => {
    const params = {
      conflicts: [
        {
          name: 'prod data × backups',
          sides: [
            { name: 'delete prod data', actions: ['rds:DeleteDBInstance'], resources: ['acs:rds:cn-hangzhou:1:dbinstance/prod-db'] },
            { name: 'change backups', actions: ['rds:ModifyBackupPolicy'] },
          ],
        },
      ],
    };
    const dba = (resource: string) =>
      snapshot({ users: [user('dba')], policies: [policy('Db', doc({ Effect: 'Allow', Action: ['rds:DeleteDBInstance', 'rds:ModifyBackupPolicy'], Resource: resource }), [['user', 'dba']])] });
    expect(run(rule, dba('acs:rds:*:*:dbinstance/dev-*'), params)).toEqual([]);
    expect(run(rule, dba('*'), params)).toMatchObject([{ status: 'fail', subject: { name: 'dba' } }]);
  });
});
