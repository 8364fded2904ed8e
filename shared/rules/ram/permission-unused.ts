import { z } from 'zod';
import { buildAccessIndex, policyKey, policyLabel } from '../../domain/access.js';
import type { Subject } from '../../domain/finding.js';
import { plans, type PlanStep, type RemediationPlan } from '../../domain/remediation.js';
import type { PrincipalType, RamPolicy } from '../../domain/snapshot.js';
import { explainAccess, matchesGlob, narrowPolicy, privilegeManagement, type PolicyDocument } from '../../policy/index.js';
import { defineRule, type RuleResult, type UsageIdentity } from '../types.js';
import { ageInDays, parseDate } from '../lib/dates.js';
import { documentReader } from '../lib/documents.js';
import { SERVICE_LINKED_ROLES, shortList } from '../lib/identities.js';
import { checkedNarrowing, narrowPlan, replacePlan, type Replacement } from '../lib/narrowing.js';
import { hasFullAdmin } from '../lib/power.js';
import { roleSubject, userSubject } from '../lib/subjects.js';
import { membersResolver, usageGap, usageWindow, usedActionsReader, type UsageWindow } from '../lib/usage.js';

type Via = { type: PrincipalType; name: string };

/**
 * Data-plane actions ActionTrail does not record by default (LookupEvents returns management events;
 * OSS object, Log Service, Tablestore, KMS-crypto and MNS-message calls are data events that only a trail
 * configured for them records). No event for them is no evidence of disuse, so a grant of one is kept
 * as if used and never removed or detached. UNVERIFIED as an exhaustive list: extend it through the
 * rule's `unrecordedActions` param for any service whose calls the trail does not capture.
 */
export const UNRECORDED_ACTIONS = [
  'oss:GetObject', 'oss:PutObject', 'oss:DeleteObject', 'oss:ListObjects', 'oss:ListObjectVersions', 'oss:GetObjectAcl',
  'oss:PutObjectAcl', 'oss:GetObjectTagging', 'oss:PutObjectTagging', 'oss:RestoreObject', 'oss:AbortMultipartUpload',
  'oss:ListParts', 'oss:GetSymlink', 'oss:PutSymlink',
  'log:PostLogStoreLogs', 'log:GetLogStoreLogs', 'log:GetLogs', 'log:PullLogs', 'log:GetCursorOrData',
  'ots:GetRow', 'ots:PutRow', 'ots:UpdateRow', 'ots:DeleteRow', 'ots:BatchGetRow', 'ots:BatchWriteRow', 'ots:GetRange',
  'kms:Encrypt', 'kms:Decrypt', 'kms:GenerateDataKey', 'kms:GetSecretValue',
  'mns:SendMessage', 'mns:ReceiveMessage', 'mns:DeleteMessage',
];
/** Outcome of planning one change: a plan, or the note saying why there is none. */
type Planned = { plan: RemediationPlan; diff?: string; proof?: string } | { note: string; diff?: string; proof?: string };

/** Services an Allow statement names (`*` when a wildcard or NotAction reaches every service). */
function grantedServices(doc: PolicyDocument): string[] {
  const services = new Set<string>();
  for (const s of doc.statements) {
    if (s.effect !== 'Allow') continue;
    for (const p of s.actions ?? ['*']) {
      const service = p.includes(':') ? p.slice(0, p.indexOf(':')) : '*';
      services.add(/[*?]/.test(service) ? '*' : service.toLowerCase());
    }
  }
  return [...services].sort();
}

/** Detach from every principal the identity holds the policy through, if nobody affected uses it. */
function detachPlan(
  policy: RamPolicy,
  doc: PolicyDocument,
  vias: readonly Via[],
  affected: (via: Via) => UsageIdentity[] | null,
  usedBy: (id: UsageIdentity) => string[],
  young: (id: UsageIdentity) => boolean,
): Planned {
  const steps: PlanStep[] = [];
  for (const via of vias) {
    const members = affected(via);
    if (members === null) return { note: `members of group ${via.name} are unknown, so detaching it there cannot be judged` };
    const recent = members.filter(young).map((m) => `${m.type} ${m.name}`);
    if (recent.length > 0) return { note: `no plan: ${shortList(recent)} is newer than the lookback, so its usage is not known yet` };
    const users = members.filter((m) => usedBy(m).some((a) => explainAccess(doc, a).allowed)).map((m) => `${m.type} ${m.name}`);
    if (users.length > 0) return { note: `no plan: ${shortList(users)} still use(s) it through ${via.type} ${via.name}` };
    steps.push(...plans.detachPolicy(via.type, via.name, policy.name, policy.type).steps);
  }
  const where = vias.map((v) => `${v.type} ${v.name}`).join(', ');
  return { plan: { summary: `detach ${policy.type} policy ${policy.name} from ${where} (reversible: attach it again)`, steps } };
}

/** Narrow a custom policy for all its holders, or replace a system one on the principals it comes through. */
function narrowingPlan(
  policy: RamPolicy,
  text: string,
  doc: PolicyDocument,
  vias: readonly Via[],
  affected: (via: Via) => UsageIdentity[] | null,
  usedBy: (id: UsageIdentity) => string[],
  young: (id: UsageIdentity) => boolean,
  window: UsageWindow,
): Planned {
  const union = (targets: readonly Via[]): string[] | string => {
    const used = new Set<string>();
    for (const via of targets) {
      const members = affected(via);
      if (members === null) return `members of group ${via.name} are unknown, so their usage cannot be kept`;
      const recent = members.filter(young).map((m) => `${m.type} ${m.name}`);
      // A holder newer than the lookback has not shown all it needs yet: narrowing could cut it off.
      if (recent.length > 0) return `no plan: ${shortList(recent)} also hold(s) it and is newer than the lookback, so its usage is not known yet`;
      for (const m of members) for (const a of usedBy(m)) used.add(a);
    }
    return [...used].sort();
  };
  if (policy.type === 'Custom') {
    const holders = (policy.attachments ?? []).map((a) => ({ type: a.principalType, name: a.principalName }));
    const used = union(holders);
    if (typeof used === 'string') return { note: used };
    const checked = checkedNarrowing(policy, text, doc, used);
    const evidence = { diff: checked.narrowing?.diff, proof: checked.proofLine ?? undefined };
    return checked.ok ? { plan: narrowPlan(policy, checked.narrowing, window), ...evidence } : { note: checked.note, ...evidence };
  }
  const replacements: Replacement[] = [];
  let proof: string | undefined;
  for (const via of vias) {
    const used = union([via]);
    if (typeof used === 'string') return { note: used };
    const checked = checkedNarrowing(policy, text, doc, used);
    if (!checked.ok) return { note: checked.note, diff: checked.narrowing?.diff, proof: checked.proofLine ?? undefined };
    replacements.push({ principalType: via.type, principalName: via.name, narrowing: checked.narrowing });
    proof = checked.proofLine;
  }
  return { plan: replacePlan(policy, replacements, window), diff: replacements[0]?.narrowing.diff, proof };
}

/**
 * Per user or role and per policy it holds (directly or through a group): a policy none of whose
 * grants it used in `lookbackDays` fails with a detach plan; one it uses only in part fails with a
 * least-privilege plan built from the usage of everyone the change affects and proven by a what-if
 * check before it is offered. Identities younger than the lookback, fresh attachments and
 * service-linked roles are skipped; without activity data covering the window, one `unknown`.
 */
export default defineRule({
  id: 'ram.permission-unused',
  title: 'Permissions granted but not used',
  severity: 'medium',
  subjectType: 'user',
  rationale:
    'A permission nobody used in months is risk without benefit: a stolen credential can use it, and nobody would miss it. Least privilege is what the identity actually does.',
  remediation:
    'Detach policies the identity never uses; replace the rest by the actions it used (ActionTrail shows them), keeping resources and conditions.',
  plan: 'narrow-policy',
  references: {
    cis: [],
    docs: ['https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements', 'https://www.alibabacloud.com/help/en/actiontrail/user-guide/query-events'],
  },
  requires: ['users', 'groups', 'policies', 'roles'],
  params: z.object({
    lookbackDays: z.number().int().positive().default(90),
    minAttachedDays: z.number().int().nonnegative().default(14),
    /** Concrete actions (`service:Action`) never judged unused: their calls leave no ActionTrail event. */
    unrecordedActions: z
      .array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, 'a concrete action such as oss:GetObject'))
      .default(UNRECORDED_ACTIONS),
  }),
  evaluate({ snapshot, usage, now, params }): RuleResult[] {
    const window = usageWindow(now, params.lookbackDays);
    const identities = [
      ...snapshot.users.map((u) => ({ type: 'user' as const, name: u.name, createDate: u.createDate, subject: userSubject(u) })),
      ...snapshot.roles
        .filter((r) => !SERVICE_LINKED_ROLES.some((glob) => matchesGlob(glob, r.name, { ignoreCase: true })))
        .map((r) => ({ type: 'role' as const, name: r.name, createDate: r.createDate, subject: roleSubject(r) })),
    ];
    // Nobody to judge, nothing unknown: an empty account needs no activity data.
    if (identities.length === 0) return [];
    const gap = usageGap(snapshot, usage, window);
    if (gap || !usage) return gap ? [gap] : [];
    const index = buildAccessIndex(snapshot);
    const read = documentReader();
    const members = membersResolver(snapshot);
    const affected = (via: Via) => members(via.type, via.name);
    const usedBy = usedActionsReader(usage, window);
    const created = new Map(identities.map((i) => [`${i.type}:${i.name.toLowerCase()}`, parseDate(i.createDate)]));
    const young = (id: UsageIdentity): boolean => {
      const date = created.get(`${id.type}:${id.name.toLowerCase()}`);
      // Unknown age (or not listed) counts as young: its history cannot be trusted to be complete.
      return !date || ageInDays(date, now) < params.lookbackDays;
    };
    const results: RuleResult[] = [];
    for (const identity of identities) {
      const created = parseDate(identity.createDate);
      if (!created) {
        results.push({ status: 'unknown', subject: identity.subject, evidence: { summary: 'creation date unknown, so its age cannot be told' } });
        continue;
      }
      if (ageInDays(created, now) < params.lookbackDays) continue;
      const access = index.forPrincipal(identity.type, identity.name);
      if (access.unknowns.some((u) => u.startsWith('group membership'))) {
        results.push({ status: 'unknown', subject: identity.subject, evidence: { summary: 'group membership unknown: policies held through groups cannot be judged' } });
      }
      const held = new Map<string, { policy: RamPolicy; vias: Via[]; path: string[] }>();
      for (const g of access.grants) {
        const entry = held.get(policyKey(g.policy)) ?? { policy: g.policy, vias: [], path: g.path };
        entry.vias.push(g.via === null ? { type: identity.type, name: identity.name } : { type: 'group', name: g.via });
        held.set(policyKey(g.policy), entry);
      }
      const used = usedBy(identity);
      for (const { policy, vias, path } of held.values()) {
        const subject: Subject = { ...identity.subject, id: `${identity.subject.id}/${policyKey(policy)}` };
        const label = policyLabel(policy);
        const doc = read(policy);
        if (!doc.ok || policy.document === null) {
          results.push({ status: 'unknown', subject, evidence: { summary: doc.ok ? `${label}: no document` : doc.reason, path } });
          continue;
        }
        const dates = vias.map((v) => policy.attachments?.find((a) => a.principalType === v.type && a.principalName.toLowerCase() === v.name.toLowerCase()));
        const parsed = dates.map((a) => parseDate(a?.attachDate));
        if (parsed.some((d) => d === null)) {
          results.push({ status: 'unknown', subject, evidence: { summary: `${label}: attachment date unknown, so a fresh grant cannot be told apart`, path } });
          continue;
        }
        if (parsed.some((d) => d && ageInDays(d, now) < params.minAttachedDays)) continue;
        const usedGranted = used.filter((a) => explainAccess(doc.doc, a).allowed);
        // Grants whose calls ActionTrail does not record count as used by every holder: never removed.
        const assumed = params.unrecordedActions.filter((a) => explainAccess(doc.doc, a).allowed);
        const usedOrAssumed = (id: UsageIdentity): string[] => [...usedBy(id), ...assumed];
        const severity = hasFullAdmin(doc.doc) || privilegeManagement([doc.doc]).actions.length > 0 ? ('high' as const) : undefined;
        const days = params.lookbackDays;
        if (usedGranted.length === 0 && assumed.length === 0) {
          const planned = detachPlan(policy, doc.doc, vias, affected, usedBy, young);
          const note = 'note' in planned ? planned.note : undefined;
          results.push({
            status: 'fail',
            subject,
            severity,
            evidence: { summary: `holds ${label} and used none of its actions in ${days} days${note ? `; ${note}` : ''}`, path, policy: { name: policy.name, type: policy.type }, used: [], window: window.iso, note },
            ...('plan' in planned ? { plan: planned.plan } : {}),
          });
          continue;
        }
        const mine = narrowPolicy({ document: policy.document, policy, used: [...used, ...assumed] });
        if (!mine) continue;
        const usedServices = new Set(usedGranted.map((a) => a.slice(0, a.indexOf(':')).toLowerCase()));
        const unusedServices = grantedServices(doc.doc).filter((s) => s !== '*' && !usedServices.has(s));
        const planned = narrowingPlan(policy, policy.document, doc.doc, vias, affected, usedOrAssumed, young, window);
        const note = 'note' in planned ? planned.note : undefined;
        const parts = [
          usedGranted.length > 0 ? `uses ${usedGranted.length} action(s) of ${label} in ${days} days: ${shortList(usedGranted)}` : `used none of the recorded actions of ${label} in ${days} days`,
          `unused grants: ${shortList(mine.removed)}`,
          ...(assumed.length > 0 ? [`kept without evidence (ActionTrail records no event for them): ${shortList(assumed)}`] : []),
          ...(unusedServices.length > 0 ? [`services never used: ${shortList(unusedServices)}`] : []),
          ...(planned.proof ? [planned.proof] : []),
          ...(note ? [note] : []),
        ];
        // Only wildcards narrowed to the used subset, no grant or service wholly unused: the least
        // urgent case (every holder of a `svc:*` or read-only policy has it), so it ranks low.
        const wildcardsOnly = unusedServices.length === 0 && mine.removed.every((g) => /[*?]/.test(g));
        results.push({
          status: 'fail',
          subject,
          severity: severity ?? (wildcardsOnly ? 'low' : undefined),
          evidence: {
            summary: parts.join('; '),
            path,
            policy: { name: policy.name, type: policy.type },
            used: usedGranted,
            unusedGrants: mine.removed,
            unusedServices,
            window: window.iso,
            diff: planned.diff ?? mine.diff,
            proof: planned.proof,
            note,
          },
          ...('plan' in planned ? { plan: planned.plan } : {}),
        });
      }
    }
    return results;
  },
});
