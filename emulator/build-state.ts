import { secretRecord, trailConfigRecord } from './build-services.js';
import { addDays, later, resolveDate, resolveOptionalDate } from './dates.js';
import { stableAlnum, stableDigits } from './ids.js';
import type { KeyRecord, PolicyType, PrincipalType, UserRecord } from './model.js';
import { checkReferences } from './references.js';
import { AccountScenarioSchema, type AccountScenario } from './scenario.js';
import { EmulatorState } from './state.js';
import { SYSTEM_POLICIES } from './system-policies.js';
import { TrailEventStore, trailRecord, type TrailContext } from './trail-events.js';

type ScenarioKey = AccountScenario['users'][number]['accessKeys'][number];

/** Serialises a scenario document the way RAM stores it: a JSON string (objects are pretty-printed). */
function documentString(doc: string | Record<string, unknown>): string {
  return typeof doc === 'string' ? doc : JSON.stringify(doc, null, 2);
}

function keyRecord(k: ScenarioKey, owner: string | null, now: Date): KeyRecord {
  const createDate = resolveDate(k.createDate, now);
  return {
    id: k.id,
    secret: k.secret,
    status: k.status,
    createDate,
    updateDate: createDate,
    lastUsedDate: resolveOptionalDate(k.lastUsedDate, now),
    lastUsedService: k.lastUsedService ?? null,
    owner,
  };
}

/**
 * Builds the emulator's mutable model from a validated scenario, resolving relative dates against `now`
 * and filling ids the scenario leaves out (stable, derived from names).
 */
export function buildState(scenario: AccountScenario, now: Date): EmulatorState {
  checkReferences({ ...scenario, members: [] });
  const { account } = scenario;
  const date = (v: string): Date => resolveDate(v, now);
  const defaultDomain = account.defaultDomain ?? `${account.alias ?? account.id}.onaliyun.com`;
  const shape = AccountScenarioSchema.shape;
  const state = new EmulatorState(
    { id: account.id, alias: account.alias, defaultDomain, createDate: now },
    {
      mfa: scenario.root.mfa,
      lastLoginDate: resolveOptionalDate(scenario.root.lastLoginDate, now),
      keys: scenario.root.accessKeys.map((k) => keyRecord(k, null, now)),
    },
    scenario.passwordPolicy ?? shape.passwordPolicy.unwrap().parse({}),
    scenario.securityPreference ?? shape.securityPreference.unwrap().parse({}),
    new TrailEventStore(),
  );

  const scenarioSystem = new Set(scenario.policies.filter((p) => p.type === 'System').map((p) => p.name));
  for (const p of SYSTEM_POLICIES) {
    if (scenarioSystem.has(p.name)) continue;
    const createDate = new Date(p.createDate);
    state.policies.set(`System:${p.name}`, {
      name: p.name,
      type: 'System',
      description: p.description,
      createDate,
      updateDate: new Date(p.updateDate),
      defaultVersion: p.defaultVersion,
      versions: [{ versionId: p.defaultVersion, document: JSON.stringify(p.document, null, 2), createDate }],
    });
  }
  for (const p of [...scenario.policies].sort((a, b) => (a.type === b.type ? 0 : a.type === 'System' ? -1 : 1))) {
    const createDate = date(p.createDate);
    state.policies.set(`${p.type}:${p.name}`, {
      name: p.name,
      type: p.type,
      description: p.description,
      createDate,
      updateDate: createDate,
      defaultVersion: 'v1',
      versions: [{ versionId: 'v1', document: documentString(p.document), createDate }],
    });
  }

  for (const g of scenario.groups) {
    // Groups carry no creation date in the schema: a year before the clock, fixed per scenario run.
    const createDate = addDays(now, -400);
    state.groups.set(g.name, {
      id: g.id ?? `g-${stableAlnum('group', `${account.id}/${g.name}`, 14)}`,
      name: g.name,
      comments: g.comments,
      createDate,
      updateDate: createDate,
      members: new Map(),
    });
  }

  for (const u of scenario.users) {
    const createDate = date(u.createDate);
    const keys = u.accessKeys.map((k) => keyRecord(k, u.name, now)).sort((a, b) => +a.createDate - +b.createDate);
    const lp = u.loginProfile;
    const user: UserRecord = {
      id: u.id ?? stableDigits('user', `${account.id}/${u.name}`),
      name: u.name,
      displayName: u.displayName ?? u.name,
      email: u.email ?? '',
      mobilePhone: '',
      comments: u.comments ?? '',
      createDate,
      updateDate: createDate,
      lastLoginDate: resolveOptionalDate(u.lastLoginDate, now),
      loginProfile: lp
        ? {
            status: lp.status,
            mfaBindRequired: lp.mfaBindRequired,
            passwordResetRequired: lp.passwordResetRequired,
            createDate,
            updateDate: createDate,
            passwordLastChanged: lp.passwordLastChanged ? date(lp.passwordLastChanged) : createDate,
          }
        : null,
      mfa: u.mfa
        ? {
            serialNumber: `acs:ram::${account.id}:mfa/${u.mfa.serialName ?? u.name}`,
            activateDate: date(u.mfa.activateDate),
          }
        : null,
      keys,
      groups: new Map(),
    };
    state.users.set(user.name, user);
    state.usersById.set(user.id, user);
    for (const g of u.groups) state.addMember(g, u.name, later(createDate, state.groups.get(g)!.createDate));
  }
  for (const k of [...state.root.keys, ...[...state.users.values()].flatMap((u) => u.keys)]) state.keys.set(k.id, k);

  for (const r of scenario.roles) {
    const createDate = date(r.createDate);
    state.roles.set(r.name, {
      id: r.id ?? stableDigits('role', `${account.id}/${r.name}`, 19),
      name: r.name,
      arn: `acs:ram::${account.id}:role/${r.name.toLowerCase()}`,
      description: r.description,
      maxSessionDuration: r.maxSessionDuration,
      createDate,
      updateDate: createDate,
      trustPolicy: documentString(r.trustPolicy),
    });
  }

  const attachAll = (type: PrincipalType, name: string, since: Date, refs: { name: string; type: PolicyType }[]): void => {
    for (const ref of refs) {
      const policy = state.policy(ref.type, ref.name)!;
      const attachDate = later(since, policy.createDate);
      state.attach({ principalType: type, principalName: name, policyType: ref.type, policyName: ref.name, attachDate });
    }
  };
  for (const u of scenario.users) attachAll('user', u.name, state.users.get(u.name)!.createDate, u.policies);
  for (const g of scenario.groups) attachAll('group', g.name, state.groups.get(g.name)!.createDate, g.policies);
  for (const r of scenario.roles) attachAll('role', r.name, state.roles.get(r.name)!.createDate, r.policies);

  const trail: TrailContext = {
    accountId: account.id,
    now,
    userId: (name) => state.users.get(name)?.id,
    roleId: (name) => state.roles.get(name)?.id,
  };
  state.trail.add(scenario.events.map((e, i) => trailRecord(e, i, trail)));
  for (const t of scenario.trails) state.trailConfigs.set(t.name, trailConfigRecord(t, account.id, now));
  for (const s of scenario.secrets) state.secrets.set(s.name, secretRecord(s, account.id, now));

  state.account.createDate = accountCreateDate(state, now);
  return state;
}

/** The schema has no account creation date: take a day before the oldest dated thing in the account. */
function accountCreateDate(state: EmulatorState, now: Date): Date {
  let oldest = now.getTime();
  for (const u of state.users.values()) oldest = Math.min(oldest, +u.createDate);
  for (const r of state.roles.values()) oldest = Math.min(oldest, +r.createDate);
  for (const g of state.groups.values()) oldest = Math.min(oldest, +g.createDate);
  for (const k of state.root.keys) oldest = Math.min(oldest, +k.createDate);
  for (const p of state.policies.values()) if (p.type === 'Custom') oldest = Math.min(oldest, +p.createDate);
  for (const t of state.trailConfigs.values()) oldest = Math.min(oldest, +t.createDate);
  for (const s of state.secrets.values()) oldest = Math.min(oldest, +s.createDate);
  return addDays(new Date(oldest), -1);
}
