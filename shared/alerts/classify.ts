/**
 * Which ActionTrail records are high-risk identity events, and what each one means. Pure: the caller
 * passes what it knows (the last document seen of a custom policy, the trusted key creators); the
 * sign-in location check, which needs history, is left to run.ts as a `console-logon` observation.
 *
 * Failed calls never alert (an `errorCode` means nothing changed); neither do reads, a key created
 * by a trusted pipeline, an attach of a harmless policy, a policy version that grants nothing new, or a
 * trust policy that only trusts the account itself or a service.
 */
import type { AlertType } from '../config/alerts-schema.js';
import type { Severity } from '../domain/finding.js';
import { plans, type RemediationPlan } from '../domain/remediation.js';
import type { PrincipalType, PolicyType } from '../domain/snapshot.js';
import { actionMatches, analyzeTrust, powerOf, tryParsePolicy, type PolicyDocument } from '../policy/index.js';
import type { TrailRecord } from './event.js';

/** System policies whose attachment makes an identity an administrator or lets it grant itself more. */
export const PRIVILEGED_SYSTEM_POLICIES: Readonly<Record<string, 'full admin' | 'privilege management'>> = {
  AdministratorAccess: 'full admin',
  AliyunRAMFullAccess: 'privilege management',
};

export interface Alert {
  type: AlertType;
  severity: Severity;
  /** One line: "Root account signed in to the console". */
  title: string;
  /** Whom it is about, for history and rate limits: `root`, `user:alice`, `role:ci-deployer`, `policy:Ops`. */
  identity: string;
  /** Who did it, readable: "root account", "user alice", "role ci-deployer (session build-7)". */
  actor: string;
  /** Context lines for the card: where from, with what, what changed. */
  details: string[];
  /** The change an automated response would make (when this type allows one), else null. */
  plan: RemediationPlan | null;
  record: Pick<TrailRecord, 'eventId' | 'eventName' | 'eventTime' | 'sourceIpAddress' | 'acsRegion' | 'accountId' | 'userAgent'>;
}

/** A successful RAM user console sign-in: whether its network is new is decided against history. */
export interface ConsoleLogon {
  kind: 'console-logon';
  userName: string;
  /** History key: the user's principal id, else its name. */
  identity: string;
  sourceIp: string | null;
  alert: Alert;
}

/** What a record is: an alert, a sign-in to check, a policy document to remember, or nothing. */
export type Classification =
  | { kind: 'alert'; alert: Alert }
  | ConsoleLogon
  | { kind: 'skip'; reason: string }
  | { kind: 'none' };

export interface ClassifyContext {
  trustedKeyCreators: readonly string[];
  /** The last default document seen of a custom policy (run.ts keeps them from earlier events), or null. */
  previousPolicy: (policyName: string) => PolicyDocument | null;
}

const bool = (v: unknown): boolean | null => (v === true || v === 'true' ? true : v === false || v === 'false' ? false : null);
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** "user alice", "role ci-deployer (session build-7)", "root account". */
export function actorOf(r: TrailRecord): { label: string; name: string | null; kind: string } {
  const u = r.userIdentity;
  if (u.type === 'root-account') return { label: 'root account', name: 'root', kind: 'root' };
  if (u.type === 'assumed-role') {
    const [role, session] = (u.userName ?? '').split(':');
    return { label: `role ${role || '?'}${session ? ` (session ${session})` : ''}`, name: role || null, kind: 'role' };
  }
  if (u.type === 'ram-user') return { label: `user ${u.userName ?? u.principalId ?? '?'}`, name: u.userName, kind: 'user' };
  return { label: `${u.type} ${u.userName ?? ''}`.trim(), name: u.userName, kind: u.type };
}

function failed(r: TrailRecord): boolean {
  if (r.errorCode !== '') return true;
  const result = str(r.additionalEventData.loginResult) ?? str(r.additionalEventData.LoginResult) ?? str(r.responseElements.LoginResult);
  return result !== null && !/^success/i.test(result);
}

function baseDetails(r: TrailRecord): string[] {
  const out = [`${r.serviceName || 'ActionTrail'} ${r.eventName} at ${r.eventTime}`];
  if (r.sourceIpAddress) out.push(`from ${r.sourceIpAddress}${r.userAgent ? ` (${r.userAgent.slice(0, 80)})` : ''}`);
  if (r.accountId) out.push(`account ${r.accountId}${r.acsRegion ? `, region ${r.acsRegion}` : ''}`);
  return out;
}

function alert(r: TrailRecord, a: Omit<Alert, 'record' | 'actor' | 'details'> & { details?: string[] }): Classification {
  return {
    kind: 'alert',
    alert: {
      ...a,
      actor: actorOf(r).label,
      details: [...(a.details ?? []), ...baseDetails(r)],
      record: { eventId: r.eventId, eventName: r.eventName, eventTime: r.eventTime, sourceIpAddress: r.sourceIpAddress, acsRegion: r.acsRegion, accountId: r.accountId, userAgent: r.userAgent },
    },
  };
}

const isRam = (r: TrailRecord) => /^(ram|ims)$/i.test(r.serviceName);

/** Classifies one record. */
export function classify(r: TrailRecord, ctx: ClassifyContext): Classification {
  if (failed(r)) return { kind: 'none' };
  const who = actorOf(r);
  const root = r.userIdentity.type === 'root-account';

  if (r.eventType === 'ConsoleSignin' || r.eventName === 'ConsoleSignin') {
    const mfa = bool(r.additionalEventData.isMFAChecked ?? r.additionalEventData.mfaChecked ?? r.additionalEventData.MFAChecked);
    const mfaLine = mfa === null ? [] : [mfa ? 'signed in with MFA' : 'signed in WITHOUT MFA'];
    if (root) {
      return alert(r, { type: 'root-console-logon', severity: 'critical', title: 'Root account signed in to the console', identity: 'root', details: mfaLine, plan: null });
    }
    if (r.userIdentity.type !== 'ram-user' || !who.name) return { kind: 'none' };
    const userName = who.name;
    const identity = `user:${r.userIdentity.principalId ?? userName}`;
    const loginAccount = str(r.additionalEventData.loginAccount) ?? userName;
    const classified = alert(r, {
      type: 'console-logon-new-location',
      severity: 'medium',
      title: `User ${userName} signed in to the console from a network not seen for them`,
      identity,
      details: mfaLine,
      plan: plans.disableConsoleLogin(userName, loginAccount),
    });
    if (classified.kind !== 'alert') return classified;
    return { kind: 'console-logon', userName, identity, sourceIp: r.sourceIpAddress, alert: classified.alert };
  }

  // Root acting with a long-term access key (console actions carry none; STS tokens start with STS.).
  const key = r.userIdentity.accessKeyId;
  const rootKeyUse = root && key !== null && !key.startsWith('STS.');

  if (isRam(r) && r.eventName === 'CreateAccessKey') {
    const forUser = str(r.requestParameters.UserName);
    const newKey = str((r.responseElements.AccessKey as Record<string, unknown> | undefined)?.AccessKeyId);
    if (root && forUser === null) {
      return alert(r, { type: 'root-access-key', severity: 'critical', title: 'An access key was created for the root account', identity: 'root', details: newKey ? [`key ${newKey}`] : [], plan: null });
    }
    const owner = forUser ?? (who.kind === 'user' ? who.name : null);
    if (who.name && ctx.trustedKeyCreators.some((t) => t.toLowerCase() === who.name!.toLowerCase())) {
      return { kind: 'skip', reason: `${who.label} is in alerts.trustedKeyCreators` };
    }
    const forOther = owner !== null && !(who.kind === 'user' && who.name === owner);
    return alert(r, {
      type: 'access-key-created',
      severity: forOther ? 'high' : 'medium',
      title: `Access key created for ${owner ? `user ${owner}` : 'an unknown user'}${forOther ? ` by ${who.label}` : ''}, outside the trusted pipeline`,
      identity: `user:${owner ?? '?'}`,
      details: newKey ? [`key ${newKey}`] : [],
      plan: owner && newKey ? plans.deactivateAccessKey(owner, newKey) : null,
    });
  }
  if (rootKeyUse) {
    return alert(r, { type: 'root-access-key', severity: 'critical', title: `Root account access key used (${r.eventName})`, identity: 'root', details: [`key ${key}`], plan: null });
  }
  if (!isRam(r)) return { kind: 'none' };

  switch (r.eventName) {
    case 'UnbindMFADevice':
    case 'DeleteVirtualMFADevice': {
      const user = str(r.requestParameters.UserName) ?? (str(r.requestParameters.SerialNumber)?.split('/').at(-1) ?? null);
      return alert(r, {
        type: 'mfa-removed',
        severity: 'high',
        title: `MFA device ${r.eventName === 'UnbindMFADevice' ? 'unbound from' : 'deleted for'} ${user ? `user ${user}` : 'a user'}`,
        identity: `user:${user ?? '?'}`,
        plan: user && r.eventName === 'UnbindMFADevice' ? plans.disableConsoleLogin(user, user) : null,
      });
    }
    case 'UpdateLoginProfile': {
      const user = str(r.requestParameters.UserName);
      if (bool(r.requestParameters.MFABindRequired) !== false || !user) return { kind: 'none' };
      return alert(r, { type: 'mfa-removed', severity: 'high', title: `MFA requirement switched off for user ${user}`, identity: `user:${user}`, plan: plans.disableConsoleLogin(user, user) });
    }
    case 'SetSecurityPreference': {
      const enforce = bool(r.requestParameters.EnforceMFAForLogin);
      const operation = str(r.requestParameters.MFAOperationForLogin);
      if (enforce !== false && (operation === null || operation === 'mandatory')) return { kind: 'none' };
      const what = enforce === false ? 'EnforceMFAForLogin=false' : `MFAOperationForLogin=${operation}`;
      return alert(r, { type: 'mfa-removed', severity: 'critical', title: `MFA for console logon no longer required account-wide (${what})`, identity: 'account', plan: null });
    }
    case 'AttachPolicyToUser':
    case 'AttachPolicyToGroup':
    case 'AttachPolicyToRole':
      return attached(r, ctx);
    case 'CreatePolicyVersion':
      return newVersion(r, ctx);
    case 'CreateRole':
    case 'UpdateRole':
      return trustOpened(r);
    default:
      return { kind: 'none' };
  }
}

function attached(r: TrailRecord, ctx: ClassifyContext): Classification {
  const principalType = r.eventName.replace('AttachPolicyTo', '').toLowerCase() as PrincipalType;
  const principal = str(r.requestParameters[`${r.eventName.replace('AttachPolicyTo', '')}Name`]);
  const policyName = str(r.requestParameters.PolicyName);
  const policyType = (str(r.requestParameters.PolicyType) ?? 'System') as PolicyType;
  if (!principal || !policyName) return { kind: 'none' };
  let power: string | null = policyType === 'System' ? (PRIVILEGED_SYSTEM_POLICIES[policyName] ?? null) : null;
  if (policyType === 'Custom') {
    const doc = ctx.previousPolicy(policyName);
    power = doc ? privilegeOf(doc) : null;
  }
  if (!power) return { kind: 'none' };
  return alert(r, {
    type: 'permission-expanded',
    severity: power === 'full admin' ? 'critical' : 'high',
    title: `${policyType} policy ${policyName} (${power}) attached to ${principalType} ${principal}`,
    identity: `${principalType}:${principal}`,
    plan: plans.detachPolicy(principalType, principal, policyName, policyType),
  });
}

/** 'full admin', 'privilege management' or null for a document. */
export const privilegeOf = (doc: PolicyDocument): string | null => powerOf([doc]);

/** Action patterns `next` allows that `previous` does not cover (resources aside). */
export function addedActions(previous: PolicyDocument, next: PolicyDocument): string[] {
  const covered = (p: string) => previous.statements.some((s) => s.effect === 'Allow' && (s.actions ?? []).some((q) => actionMatches(q, p)));
  const added = new Set<string>();
  for (const s of next.statements) {
    if (s.effect !== 'Allow') continue;
    if (!s.actions) {
      if (!previous.statements.some((p) => p.effect === 'Allow' && !p.actions)) added.add('NotAction (everything not listed)');
      continue;
    }
    for (const p of s.actions) if (!covered(p)) added.add(p);
  }
  return [...added];
}

function newVersion(r: TrailRecord, ctx: ClassifyContext): Classification {
  const policyName = str(r.requestParameters.PolicyName);
  const text = str(r.requestParameters.PolicyDocument);
  if (!policyName || !text || bool(r.requestParameters.SetAsDefault) !== true) return { kind: 'none' };
  const next = tryParsePolicy(text);
  if (!('statements' in next)) return { kind: 'none' };
  const previous = ctx.previousPolicy(policyName);
  const power = privilegeOf(next);
  const before = previous ? privilegeOf(previous) : null;
  const added = previous ? addedActions(previous, next) : [];
  if (power && power !== before) {
    return alert(r, {
      type: 'permission-expanded',
      severity: power === 'full admin' ? 'critical' : 'high',
      title: `New default version of custom policy ${policyName} grants ${power}`,
      identity: `policy:${policyName}`,
      details: added.length > 0 ? [`added: ${added.slice(0, 10).join(', ')}`] : [],
      plan: null,
    });
  }
  if (added.length === 0) return { kind: 'none' };
  return alert(r, {
    type: 'permission-expanded',
    severity: 'medium',
    title: `New default version of custom policy ${policyName} grants more than the last`,
    identity: `policy:${policyName}`,
    details: [`added: ${added.slice(0, 10).join(', ')}${added.length > 10 ? ` and ${added.length - 10} more` : ''}`],
    plan: null,
  });
}

function trustOpened(r: TrailRecord): Classification {
  const role = str(r.requestParameters.RoleName);
  const text = str(r.requestParameters.NewAssumeRolePolicyDocument) ?? str(r.requestParameters.AssumeRolePolicyDocument);
  const account = r.accountId ?? r.userIdentity.accountId;
  if (!role || !text || !account) return { kind: 'none' };
  const doc = tryParsePolicy(text);
  if (!('statements' in doc)) return { kind: 'none' };
  const risks = analyzeTrust(doc, account).filter((k) => k.kind === 'any-principal' || k.kind === 'foreign-account');
  if (risks.length === 0) return { kind: 'none' };
  const any = risks.some((k) => k.kind === 'any-principal');
  return alert(r, {
    type: 'permission-expanded',
    severity: any ? 'critical' : 'high',
    title: `Trust policy of role ${role} ${r.eventName === 'CreateRole' ? 'created' : 'changed'} to let ${any ? 'anyone' : 'another account'} assume it`,
    identity: `role:${role}`,
    details: risks.map((k) => k.detail),
    plan: null,
  });
}
