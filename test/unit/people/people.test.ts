import { describe, expect, it } from 'vitest';
import { fingerprint, type Finding, type Subject } from '../../../shared/domain/finding.js';
import { createDirectory } from '../../../shared/people/directory.js';
import { resolveOwner, type OwnerRule } from '../../../shared/people/ownership.js';
import { answerersFor, assigneesFor, isMember, managerOf } from '../../../shared/people/relations.js';
import type { Person } from '../../../shared/people/types.js';

const person = (id: string, patch: Partial<Person> = {}): Person => ({
  id,
  name: id,
  email: null,
  slackUserId: null,
  dingtalkUserId: null,
  manager: null,
  groups: [],
  ...patch,
});

const people = [
  person('alice', { email: 'Alice.Wu@Example.com', slackUserId: 'U1', dingtalkUserId: 'ding-1', manager: 'bob' }),
  person('bob', { manager: 'ghost', groups: ['platform'] }),
  person('dave', { manager: 'bob', groups: ['platform', 'platform'] }),
  person('erin', { manager: 'carol', groups: ['platform'] }),
  person('carol', { groups: ['security'] }),
];
const directory = createDirectory(people);

function finding(subject: Subject, evidence: Finding['evidence'] = { summary: 's' }): Finding {
  return {
    rule: 'ram.test',
    status: 'fail',
    severity: 'medium',
    title: 't',
    subject,
    evidence,
    remediation: { summary: 'r', plan: null },
    fingerprint: fingerprint('ram.test', subject),
    partial: false,
  };
}

const ciUser: Subject = { type: 'user', id: 'u1', name: 'ci-runner' };
const ciKey: Subject = { type: 'accessKey', id: 'LTAI9', name: 'LTAI9', user: 'ci-runner' };
const deployRole: Subject = { type: 'role', id: 'r1', name: 'ci-deployer' };

describe('createDirectory', () => {
  it('looks people up by id, chat ids and email (case-insensitive)', () => {
    expect(directory.byId('alice')?.id).toBe('alice');
    expect(directory.bySlackId('U1')?.id).toBe('alice');
    expect(directory.byDingtalkId('ding-1')?.id).toBe('alice');
    expect(directory.byEmail(' alice.wu@EXAMPLE.com ')?.id).toBe('alice');
    expect(directory.byEmail('nobody@example.com')).toBeUndefined();
    expect(directory.membersOf('platform').map((p) => p.id)).toEqual(['bob', 'dave', 'erin']);
    expect(directory.membersOf('nope')).toEqual([]);
    expect(directory.all()).toHaveLength(5);
  });

  it('refuses duplicate ids', () => {
    expect(() => createDirectory([person('x'), person('x')])).toThrow(/duplicate person id "x"/);
  });
});

describe('resolveOwner', () => {
  const opts = (owners: OwnerRule[], userEmail?: (u: string) => string | null) => ({ owners, directory, securityGroup: 'security', userEmail });

  it('takes the first matching pattern, filtered by identity type', () => {
    const owners: OwnerRule[] = [
      { pattern: 'ci-*', types: ['role'], owner: 'group:platform' },
      { pattern: 'ci-*', owner: 'alice' },
    ];
    expect(resolveOwner(finding(deployRole), opts(owners))).toEqual({ owner: { kind: 'group', name: 'platform' }, source: 'pattern', matched: 'ci-*' });
    expect(resolveOwner(finding(ciUser), opts(owners))).toEqual({ owner: { kind: 'person', id: 'alice' }, source: 'pattern', matched: 'ci-*' });
  });

  it("matches an access key by its user's name as well as its id", () => {
    expect(resolveOwner(finding(ciKey), opts([{ pattern: 'ci-runner', types: ['accessKey'], owner: 'dave' }])).owner).toEqual({ kind: 'person', id: 'dave' });
    expect(resolveOwner(finding(ciKey), opts([{ pattern: 'LTAI?', owner: 'dave' }])).owner).toEqual({ kind: 'person', id: 'dave' });
  });

  it("falls back to the RAM user's email: from the evidence, else from the snapshot lookup", () => {
    expect(resolveOwner(finding(ciUser, { summary: 's', email: 'ALICE.WU@example.com' }), opts([]))).toEqual({
      owner: { kind: 'person', id: 'alice' },
      source: 'email',
      matched: 'ALICE.WU@example.com',
    });
    const lookup = (user: string) => (user === 'ci-runner' ? 'alice.wu@example.com' : null);
    expect(resolveOwner(finding(ciKey), opts([], lookup)).owner).toEqual({ kind: 'person', id: 'alice' });
  });

  it("takes a resource's owner tag (person id, email or group) after patterns, ignoring names nobody configured", () => {
    const secret: Subject = { type: 'secret', id: 'acs:kms:cn-hangzhou:1:secret/db-pass', name: 'db-pass' };
    const tagged = (owner: string) => finding(secret, { summary: 's', owner });
    expect(resolveOwner(tagged('bob'), opts([]))).toEqual({ owner: { kind: 'person', id: 'bob' }, source: 'tag', matched: 'bob' });
    expect(resolveOwner(tagged('alice.wu@example.com'), opts([])).owner).toEqual({ kind: 'person', id: 'alice' });
    expect(resolveOwner(tagged('group:platform'), opts([]))).toEqual({ owner: { kind: 'group', name: 'platform' }, source: 'tag', matched: 'group:platform' });
    // A pattern in config wins over a tag anyone with tag rights can write.
    expect(resolveOwner(tagged('bob'), opts([{ pattern: 'db-*', types: ['secret'], owner: 'dave' }])).owner).toEqual({ kind: 'person', id: 'dave' });
    // A tag naming nobody configured is not trusted: the security group gets it.
    expect(resolveOwner(tagged('mallory@evil.example'), opts([])).source).toBe('orphaned');
    expect(resolveOwner(tagged('group:nope'), opts([])).source).toBe('orphaned');
  });

  it('orphans what nobody claims to the security group', () => {
    const orphaned = { owner: { kind: 'group', name: 'security' }, source: 'orphaned', matched: null };
    expect(resolveOwner(finding(deployRole), opts([]))).toEqual(orphaned);
    expect(resolveOwner(finding(ciUser), opts([], () => 'stranger@example.com'))).toEqual(orphaned);
  });
});

describe('relations', () => {
  it('assignees are the person or the group members; unknown people drop out', () => {
    expect(assigneesFor({ kind: 'person', id: 'alice' }, directory)).toEqual(['alice']);
    expect(assigneesFor({ kind: 'person', id: 'ghost' }, directory)).toEqual([]);
    expect(assigneesFor({ kind: 'group', name: 'platform' }, directory)).toEqual(['bob', 'dave', 'erin']);
    expect(answerersFor({ kind: 'group', name: 'empty' }, directory, 'security')).toEqual(['carol']);
  });

  it("a group's managers are its members' managers, de-duplicated, known people only", () => {
    expect(managerOf({ kind: 'person', id: 'alice' }, directory)).toEqual(['bob']);
    expect(managerOf({ kind: 'group', name: 'platform' }, directory)).toEqual(['bob', 'carol']);
    expect(managerOf({ kind: 'person', id: 'carol' }, directory)).toEqual([]);
  });

  it('membership', () => {
    expect(isMember('alice', { kind: 'person', id: 'alice' }, directory)).toBe(true);
    expect(isMember('dave', { kind: 'group', name: 'platform' }, directory)).toBe(true);
    expect(isMember('alice', { kind: 'group', name: 'platform' }, directory)).toBe(false);
  });
});
