import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateScenario, loadScenario, parseScenario, ScenarioError } from '../../emulator/index.js';

describe('bundled scenarios', () => {
  it('loads and validates the demo account', async () => {
    const demo = await loadScenario('demo');
    expect(demo.account).toMatchObject({ id: '1234567890123456', alias: 'demo-corp' });
    expect(demo.users.length).toBeGreaterThanOrEqual(25);
    const scanner = demo.users.find((u) => u.name === 'ramparts-scanner');
    expect(scanner?.accessKeys).toEqual([expect.objectContaining({ id: 'LTAI5tDemoScannerKey0001', secret: 'demo-secret-not-real-0001', status: 'Active' })]);
    expect(scanner?.loginProfile).toBeUndefined();
    expect(scanner?.policies).toEqual([]);
    expect(demo.root.mfa).toBe(false);
  });

  it('loads the clean account', async () => {
    const clean = await loadScenario('clean');
    expect(clean.root).toMatchObject({ mfa: true, accessKeys: [] });
    expect(clean.passwordPolicy).toMatchObject({ minimumPasswordLength: 14, passwordReusePrevention: 5, maxPasswordAge: 365, maxLoginAttempts: 5 });
  });

  it('loads a scenario from a JSON path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ramparts-emulator-'));
    const file = join(dir, 'tiny.json');
    await writeFile(file, JSON.stringify({ account: { id: '1111222233334444', alias: null } }));
    const tiny = await loadScenario(file);
    expect(tiny.users).toEqual([]);
  });
});

describe('validation errors name the field path', () => {
  it('reports schema errors with their path', () => {
    const bad = { account: { id: '123' }, users: [{ name: 'a', accessKeys: [{ id: 'k', createDate: 'yesterday' }] }] };
    const e = (() => {
      try {
        parseScenario(bad, 'bad.yaml');
      } catch (err) {
        return err as ScenarioError;
      }
      throw new Error('expected a ScenarioError');
    })();
    expect(e).toBeInstanceOf(ScenarioError);
    expect(e.issues.map((i) => i.path)).toEqual(['account.id', 'users[0].accessKeys[0].createDate']);
    expect(e.message).toContain('bad.yaml');
  });

  it('reports dangling references', () => {
    const bad = {
      account: { id: '1111222233334444' },
      users: [{ name: 'a', groups: ['ghosts'], policies: [{ name: 'AdministratorAccess' }] }],
    };
    expect(() => parseScenario(bad)).toThrow(/users\[0\]\.groups\[0\]: no group named "ghosts"/);
    expect(() => parseScenario(bad)).toThrow(/users\[0\]\.policies\[0\]: no Custom policy named "AdministratorAccess" \(it is a System policy/);
  });

  it('reports an unknown bundled name', async () => {
    await expect(loadScenario('no-such-scenario')).rejects.toThrow(/cannot read the file/);
  });
});

describe('generateScenario', () => {
  it('is deterministic for a seed and sized as asked', () => {
    const a = generateScenario({ users: 500, seed: 3 });
    const b = generateScenario({ users: 500, seed: 3 });
    expect(b).toEqual(a);
    expect(generateScenario({ users: 500, seed: 4 })).not.toEqual(a);
    expect(a.users).toHaveLength(501);
    expect(a.users[0]?.name).toBe('user-00001');
    expect(a.users.at(-1)?.accessKeys[0]).toMatchObject({ id: 'LTAI5tDemoScannerKey0001', secret: 'demo-secret-not-real-0001' });
    expect(a.groups.length).toBe(10 + 1);
    expect(a.roles.length).toBe(10);
    expect(a.policies.filter((p) => p.name.startsWith('policy-'))).toHaveLength(5);
  });

  it('produces a realistic mix', () => {
    const s = generateScenario({ users: 2000, seed: 9, keyRatio: 0.5 });
    const users = s.users.filter((u) => u.name.startsWith('user-'));
    const consoleUsers = users.filter((u) => u.loginProfile);
    const share = (n: number, of: number) => n / of;
    expect(share(consoleUsers.length, users.length)).toBeCloseTo(0.6, 1);
    expect(share(consoleUsers.filter((u) => u.mfa).length, consoleUsers.length)).toBeCloseTo(0.7, 1);
    expect(share(users.filter((u) => u.accessKeys.length > 0).length, users.length)).toBeCloseTo(0.5, 1);
    expect(users.some((u) => u.accessKeys.length === 2)).toBe(true);
    expect(users.some((u) => u.policies.length > 0)).toBe(true);
    expect(s.groups.some((g) => g.policies.some((p) => p.type === 'System'))).toBe(true);
    expect(() => parseScenario(s)).not.toThrow();
  });
});
