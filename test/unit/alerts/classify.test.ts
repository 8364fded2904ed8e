/**
 * Each alert type on real ActionTrail record shapes, next to the benign look-alikes that must not alert;
 * and the input shapes the alert function takes (EventBridge CloudEvents, batches, LookupEvents pages).
 */
import { describe, expect, it } from 'vitest';
import { classify, type Classification, type ClassifyContext } from '../../../shared/alerts/classify.js';
import { parseAlertInput, parseTrailRecord } from '../../../shared/alerts/event.js';
import { parsePolicy, type PolicyDocument } from '../../../shared/policy/index.js';
import { ACCOUNT, cloudEvent, keys, mfa, permissions, signin, unrelated } from '../../fixtures/actiontrail-records.js';

const ctx = (over: Partial<ClassifyContext> = {}): ClassifyContext => ({ trustedKeyCreators: ['ci-deployer'], previousPolicy: () => null, ...over });
const run = (raw: Record<string, unknown>, over: Partial<ClassifyContext> = {}): Classification => classify(parseTrailRecord(raw), ctx(over));
const alertOf = (c: Classification) => {
  if (c.kind !== 'alert') throw new Error(`expected an alert, got ${c.kind}`);
  return c.alert;
};

describe('root account', () => {
  it('a root console sign-in alerts (critical), saying whether MFA was used; a failed one does not', () => {
    const a = alertOf(run(signin.root));
    expect(a).toMatchObject({ type: 'root-console-logon', severity: 'critical', identity: 'root', actor: 'root account', plan: null });
    expect(a.details).toContain('signed in WITHOUT MFA');
    expect(a.details.join('\n')).toContain('from 203.0.113.10');
    expect(run(signin.rootFailed).kind).toBe('none');
  });

  it('a root access key created, or used, alerts; root working in the console does not', () => {
    expect(alertOf(run(keys.rootCreate))).toMatchObject({ type: 'root-access-key', severity: 'critical', title: 'An access key was created for the root account' });
    const use = alertOf(run(keys.rootUse));
    expect(use).toMatchObject({ type: 'root-access-key', title: 'Root account access key used (CreateUser)' });
    expect(use.details).toContain('key LTAI5tFakeRootKey000001');
    expect(run(keys.rootConsoleCall).kind).toBe('none');
  });
});

describe('MFA removed', () => {
  it('unbinding or deleting a device, switching the requirement off for a user or the account alerts', () => {
    expect(alertOf(run(mfa.unbind))).toMatchObject({ type: 'mfa-removed', severity: 'high', title: 'MFA device unbound from user alice', identity: 'user:alice' });
    expect(alertOf(run(mfa.unbind)).plan?.steps[0]).toMatchObject({ action: 'disable-console-login', target: { userName: 'alice' } });
    expect(alertOf(run(mfa.deleteDevice))).toMatchObject({ type: 'mfa-removed', title: 'MFA device deleted for user alice' });
    expect(alertOf(run(mfa.requirementOff))).toMatchObject({ type: 'mfa-removed', title: 'MFA requirement switched off for user alice' });
    expect(alertOf(run(mfa.accountOff))).toMatchObject({ type: 'mfa-removed', severity: 'critical', identity: 'account', plan: null });
  });

  it('binding a device, requiring MFA, a password reset or a stricter setting does not', () => {
    for (const r of [mfa.bind, mfa.requirementOn, mfa.passwordOnly, mfa.accountOn]) expect(run(r).kind, String(r.eventId)).toBe('none');
  });
});

describe('access keys', () => {
  it('a key created for another user alerts (high) with a deactivation plan for the new key', () => {
    const a = alertOf(run(keys.forOther));
    expect(a).toMatchObject({ type: 'access-key-created', severity: 'high', identity: 'user:report-bot', actor: 'user ops-wu' });
    expect(a.plan?.steps[0]).toMatchObject({ action: 'deactivate-access-key', target: { userName: 'report-bot', accessKeyId: 'LTAI5tFakeReportBot0009' } });
  });

  it('the trusted pipeline role creating one is skipped, naming why; a refused call is nothing', () => {
    expect(run(keys.byPipeline)).toEqual({ kind: 'skip', reason: 'role ci-deployer (session build-7) is in alerts.trustedKeyCreators' });
    expect(alertOf(run(keys.byPipeline, { trustedKeyCreators: [] })).type).toBe('access-key-created');
    expect(run(keys.denied).kind).toBe('none');
  });
});

describe('permission-expanding changes', () => {
  it('attaching a full-admin or privilege-management system policy alerts with a detach plan; a read-only one does not', () => {
    const admin = alertOf(run(permissions.adminToUser));
    expect(admin).toMatchObject({ type: 'permission-expanded', severity: 'critical', identity: 'user:contractor-he', title: 'System policy AdministratorAccess (full admin) attached to user contractor-he' });
    expect(admin.plan?.steps[0]).toMatchObject({ action: 'detach-policy', target: { principalType: 'user', principalName: 'contractor-he', policyName: 'AdministratorAccess', policyType: 'System' } });
    expect(alertOf(run(permissions.ramFullToRole))).toMatchObject({ severity: 'high', identity: 'role:ci-deployer' });
    expect(run(permissions.readOnlyToUser).kind).toBe('none');
  });

  it('a custom policy attached alerts when its last known document is privileged', () => {
    const custom = { ...permissions.adminToUser, eventId: 'evt-attach-custom', requestParameters: { PolicyType: 'Custom', PolicyName: 'OpsAll', UserName: 'dev-zhou' } };
    const ramAll = parsePolicy(JSON.stringify({ Version: '1', Statement: [{ Effect: 'Allow', Action: 'ram:*', Resource: '*' }] }));
    expect(run(custom).kind).toBe('none');
    expect(alertOf(run(custom, { previousPolicy: (n) => (n === 'OpsAll' ? ramAll : null) })).title).toBe('Custom policy OpsAll (privilege management) attached to user dev-zhou');
  });

  it('a new default version granting more than the last alerts with what was added; narrower or not default does not', () => {
    const before: PolicyDocument = parsePolicy(String((permissions.createPolicy.requestParameters as Record<string, unknown>).PolicyDocument));
    const previousPolicy = (n: string) => (n === 'OpsTools' ? before : null);
    const wider = alertOf(run(permissions.widerVersion, { previousPolicy }));
    expect(wider).toMatchObject({ type: 'permission-expanded', severity: 'medium', title: 'New default version of custom policy OpsTools grants more than the last' });
    expect(wider.details[0]).toBe('added: ecs:DeleteInstance');
    expect(alertOf(run(permissions.adminVersion, { previousPolicy }))).toMatchObject({ severity: 'critical', title: 'New default version of custom policy OpsTools grants full admin' });
    // Without a known last version only a privileged grant alerts.
    expect(alertOf(run(permissions.adminVersion)).severity).toBe('critical');
    expect(run(permissions.widerVersion).kind).toBe('none');
    expect(run(permissions.narrowerVersion, { previousPolicy }).kind).toBe('none');
    expect(run(permissions.widerNotDefault, { previousPolicy }).kind).toBe('none');
  });

  it('a trust policy opened to another account or to anyone alerts; one for the own account or a service does not', () => {
    const foreign = alertOf(run(permissions.trustForeign));
    expect(foreign).toMatchObject({ type: 'permission-expanded', severity: 'high', identity: 'role:billing-reader', title: 'Trust policy of role billing-reader changed to let another account assume it' });
    expect(foreign.details[0]).toContain('9876543210987654');
    expect(alertOf(run(permissions.trustAnyone))).toMatchObject({ severity: 'critical', title: 'Trust policy of role open-door created to let anyone assume it' });
    expect(run(permissions.trustOwn).kind).toBe('none');
    expect(run(permissions.trustService).kind).toBe('none');
  });
});

describe('console sign-ins of RAM users', () => {
  it('are handed on for the location check, with a disable-console-login plan', () => {
    const c = run(signin.user('evt-u1', '198.51.100.7'));
    expect(c).toMatchObject({ kind: 'console-logon', userName: 'ops-wu', identity: 'user:27644290001234567', sourceIp: '198.51.100.7' });
    expect(c.kind === 'console-logon' && c.alert.plan?.steps[0]).toMatchObject({ action: 'disable-console-login', target: { userName: 'ops-wu', principalName: 'ops-wu@corp.onaliyun.com' } });
  });
});

it('an unrelated service event is nothing', () => {
  expect(run(unrelated).kind).toBe('none');
});

describe('alert function input', () => {
  it('takes an EventBridge CloudEvent, a batch of them, a bare record or a LookupEvents page', () => {
    expect(parseAlertInput(cloudEvent(keys.forOther)).records.map((r) => r.eventId)).toEqual(['evt-key-for-other']);
    expect(parseAlertInput([cloudEvent(keys.forOther), cloudEvent(mfa.unbind)]).records.map((r) => r.eventName)).toEqual(['CreateAccessKey', 'UnbindMFADevice']);
    expect(parseAlertInput(signin.root).records[0]!.userIdentity.type).toBe('root-account');
    // LookupEvents returns parameters as JSON strings.
    const page = { Events: [{ ...mfa.requirementOff, requestParameters: JSON.stringify(mfa.requirementOff.requestParameters) }], NextToken: '' };
    const [r] = parseAlertInput(page).records;
    expect(r!.requestParameters).toEqual({ UserName: 'alice', MFABindRequired: 'false' });
    expect(r!.accountId).toBe(ACCOUNT);
  });

  it('names CloudEvents that are not ActionTrail’s and leaves them alone', () => {
    const parsed = parseAlertInput([{ specversion: '1.0', source: 'acs.ecs', type: 'ecs:Instance:StateChange', data: {} }, cloudEvent(mfa.unbind)]);
    expect(parsed.records).toHaveLength(1);
    expect(parsed.ignored).toEqual(['event[0]: ecs:Instance:StateChange from acs.ecs is not an ActionTrail event']);
  });

  it('refuses a malformed record, naming the field', () => {
    expect(() => parseAlertInput(cloudEvent({ ...mfa.unbind, userIdentity: undefined }))).toThrow(/^event\.data\.userIdentity is missing or malformed/);
    expect(() => parseAlertInput({ ...mfa.unbind, eventTime: 'yesterday' })).toThrow('event.eventTime must be an ISO-8601 time');
    expect(() => parseAlertInput('text')).toThrow('event is not an object');
  });
});
