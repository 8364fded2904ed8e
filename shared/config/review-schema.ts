/**
 * Config sections for the review workflow: people and ownership, review cadence, chat and store.
 * Secrets (bot tokens, signing secrets, DATABASE_URL) never live here: they come from the environment
 * (see secrets.ts), so a config file can be committed.
 */
import { z } from 'zod';
import { SEVERITIES, SUBJECT_TYPES } from '../domain/finding.js';
import { DEADLINE_ACTIONS } from '../review/types.js';
import { intIn, nonBlank } from './fields.js';

const ID = /^[a-z0-9][a-z0-9._-]*$/i;
const personId = z.string({ error: 'must be a person id' }).regex(ID, { error: 'use letters, digits, ".", "_" or "-", e.g. alice.chen' });
const groupName = z.string({ error: 'must be a group name' }).regex(ID, { error: 'use letters, digits, ".", "_" or "-", e.g. security' });

const person = z.strictObject({
  id: personId,
  name: nonBlank('the person’s display name'),
  email: z.email({ error: 'must be an email address' }).nullable().default(null),
  /** Slack member id (U…/W…); looked up by email when absent. */
  slack: z.string().regex(/^[UW][A-Z0-9]{2,}$/, { error: 'must be a Slack member id such as U024BE7LH' }).nullable().default(null),
  /** DingTalk userId (staff id). */
  dingtalk: nonBlank('the DingTalk userId').nullable().default(null),
  manager: personId.nullable().default(null),
  groups: z.array(groupName).default([]),
  /** RAM user names this person signs in as: separation of duties refuses approvals that change their own access. */
  ramUsers: z.array(nonBlank('a RAM user name')).default([]),
});

const owner = z.strictObject({
  pattern: nonBlank('the identity name or glob it covers, e.g. "build-*"'),
  types: z.array(z.enum(SUBJECT_TYPES, { error: `must be one of ${SUBJECT_TYPES.join(', ')}` })).min(1).optional(),
  /** A person id, or `group:<name>`. */
  owner: z.string({ error: 'must be a person id or group:<name>' }).regex(/^(group:)?[a-z0-9][a-z0-9._-]*$/i, {
    error: 'must be a person id (alice.chen) or group:<name> (group:platform)',
  }),
});

export const reviewSchema = z.strictObject({
  /** Group (in people[].groups) that receives orphaned identities, "not mine" answers and deadline escalations. */
  securityGroup: groupName.default('security'),
  /** Days an owner has to answer a prompt. */
  dueDays: intIn(1, 90).default(7),
  /** Reminders relative to the due date, in days (negative = before); daily after it while overdue. */
  reminderOffsetsDays: z.array(z.int().min(-30).max(0)).default([-3, -1, 0]),
  /** Days after the due date (manager's turn) before the deadline action. */
  graceDays: intIn(0, 90).default(7),
  /** Keep answers on findings of these severities need the manager's attestation. */
  attestSeverities: z.array(z.enum(SEVERITIES)).default(['high', 'critical']),
  maxSnoozeDays: intIn(1, 365).default(90),
  /** Per rule id: what happens at the deadline. A deadline can request a revocation, never apply one. */
  deadlineActions: z.record(z.string(), z.enum(DEADLINE_ACTIONS, { error: `must be one of ${DEADLINE_ACTIONS.join(', ')}` })).default({}),
  defaultDeadlineAction: z.enum(DEADLINE_ACTIONS).default('escalate-to-security'),
});

export const CHAT_KINDS = ['console', 'slack', 'dingtalk'] as const;

export const chatSchema = z.strictObject({
  kind: z.enum(CHAT_KINDS, { error: `must be one of ${CHAT_KINDS.join(', ')}` }).default('console'),
  slack: z
    .strictObject({
      /** Channel id for security notices (C…). */
      securityChannel: z.string().regex(/^[CG][A-Z0-9]{2,}$/, { error: 'must be a Slack channel id such as C024BE91L' }).nullable().default(null),
    })
    .prefault({}),
  dingtalk: z
    .strictObject({
      robotCode: nonBlank('the DingTalk robot code').nullable().default(null),
      cardTemplateId: nonBlank('the interactive card template id').nullable().default(null),
    })
    .prefault({}),
  /** Button tokens expire after this many days (a prompt older than that must be re-sent). */
  buttonTtlDays: intIn(1, 90).default(30),
});

export const MODES = ['observe', 'enforce'] as const;

export const remediationSchema = z.strictObject({
  /** observe (default) never calls a RAM write API and records what it would do; enforce applies approved plans. */
  mode: z.enum(MODES, { error: 'must be observe or enforce' }).default('observe'),
  /** Group (in people[].groups) whose members may approve revocations besides the owner's manager. */
  approversGroup: groupName.default('approvers'),
  /** Blast radius: at most this many plans applied per run. */
  maxRevocationsPerRun: intIn(1, 1000).default(5),
  /** delete-access-key only after the key has been Inactive this long with no use since. */
  deleteKeyAfterInactiveDays: intIn(1, 365).default(14),
  /** The rollback button on an applied card stays valid this long. */
  rollbackWindowDays: intIn(1, 30).default(30),
  /** Never revoked, whoever approves: the root account always, plus these. */
  protectedPrincipals: z
    .strictObject({
      breakGlassUsers: z.array(nonBlank('a RAM user name')).default([]),
      /** ramparts' own roles, by ARN (acs:ram::<account>:role/<name>), compared case-insensitively. */
      roleArns: z.array(z.string().regex(/^acs:ram::\d+:role\/.+$/i, { error: 'must be a role ARN like acs:ram::1234567890123456:role/ramparts-apply' })).default([]),
    })
    .prefault({}),
});

export const storeSchema = z.strictObject({
  /** Embedded PostgreSQL (PGlite) data folder, used when DATABASE_URL is not set. */
  dataDir: nonBlank('a folder path').default('.ramparts/db'),
});

export const peopleSchema = z.array(person).default([]);
export const ownersSchema = z.array(owner).default([]);

type PeopleShape = { people: z.output<typeof peopleSchema>; owners: z.output<typeof ownersSchema>; review: z.output<typeof reviewSchema> };

/** Cross-references: unique ids, known managers, owners pointing at real people/groups. */
export function checkPeople(config: PeopleShape, ctx: z.RefinementCtx): void {
  const ids = new Set<string>();
  const groups = new Set<string>();
  config.people.forEach((p, i) => {
    if (ids.has(p.id)) ctx.addIssue({ code: 'custom', path: ['people', i, 'id'], message: `duplicate person id "${p.id}"` });
    ids.add(p.id);
    for (const g of p.groups) groups.add(g);
  });
  config.people.forEach((p, i) => {
    if (p.manager !== null && !ids.has(p.manager))
      ctx.addIssue({ code: 'custom', path: ['people', i, 'manager'], message: `no person with id "${p.manager}"; add them to people or fix the id` });
    if (p.manager === p.id) ctx.addIssue({ code: 'custom', path: ['people', i, 'manager'], message: 'a person cannot be their own manager' });
  });
  config.owners.forEach((o, i) => {
    const group = o.owner.startsWith('group:') ? o.owner.slice(6) : null;
    if (group !== null && !groups.has(group))
      ctx.addIssue({ code: 'custom', path: ['owners', i, 'owner'], message: `no person is in group "${group}"; add it to someone's people[].groups` });
    if (group === null && !ids.has(o.owner))
      ctx.addIssue({ code: 'custom', path: ['owners', i, 'owner'], message: `no person with id "${o.owner}"; add them to people or use group:<name>` });
  });
  if (config.people.length > 0 && !groups.has(config.review.securityGroup))
    ctx.addIssue({
      code: 'custom',
      path: ['review', 'securityGroup'],
      message: `no person is in group "${config.review.securityGroup}"; orphaned identities would have nobody to go to`,
    });
}
