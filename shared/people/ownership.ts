import type { Finding, SubjectType } from '../domain/finding.js';
import { matchesGlob } from '../policy/wildcard.js';
import type { Directory, OwnerRef, Ownership } from './types.js';

/**
 * One `owners` config entry. `pattern` is a glob (`*`, `?`) on the identity name; an access key also
 * matches by its user's name, so `build-*` covers the keys of `build-agent`. `owner` is a person id
 * (`alice`) or a team (`group:platform`).
 */
export interface OwnerRule {
  pattern: string;
  types?: readonly SubjectType[];
  owner: string;
}

export interface ResolveOwnerOptions {
  owners: readonly OwnerRule[];
  directory: Directory;
  /** Group that gets orphaned identities. */
  securityGroup: string;
  /** The RAM user's email from the scan's snapshot, when the finding's evidence does not carry it. */
  userEmail?: (userName: string) => string | null;
}

const GROUP_PREFIX = 'group:';

/** `group:platform` → the team; anything else is a person id. */
export function parseOwner(owner: string): OwnerRef {
  return owner.startsWith(GROUP_PREFIX) ? { kind: 'group', name: owner.slice(GROUP_PREFIX.length) } : { kind: 'person', id: owner };
}

/** Names an owner pattern may match: the identity's name, plus the owning user for an access key. */
function namesOf(finding: Finding): string[] {
  const { subject } = finding;
  return subject.type === 'accessKey' && subject.user ? [subject.name, subject.user] : [subject.name];
}

/** The RAM user behind a user or access-key finding; other identities have no email to match. */
function userNameOf(finding: Finding): string | null {
  const { subject } = finding;
  if (subject.type === 'user') return subject.name;
  if (subject.type === 'accessKey') return subject.user ?? null;
  return null;
}

function emailOf(finding: Finding, opts: ResolveOwnerOptions): string | null {
  const fromEvidence = finding.evidence['email'];
  if (typeof fromEvidence === 'string' && fromEvidence.trim() !== '') return fromEvidence;
  const userName = userNameOf(finding);
  return userName && opts.userEmail ? opts.userEmail(userName) : null;
}

/**
 * The owner a resource names itself (evidence `owner`, from a tag such as a KMS secret's `owner`): a
 * person id, a person's email, or `group:<name>`. Undefined when absent or naming nobody configured —
 * a tag anyone can write must not route a task to an unknown address.
 */
function taggedOwner(finding: Finding, directory: Directory): Ownership | undefined {
  const tag = finding.evidence['owner'];
  if (typeof tag !== 'string' || tag.trim() === '') return undefined;
  const value = tag.trim();
  if (value.startsWith(GROUP_PREFIX)) {
    const name = value.slice(GROUP_PREFIX.length);
    return directory.membersOf(name).length > 0 ? { owner: { kind: 'group', name }, source: 'tag', matched: value } : undefined;
  }
  const person = directory.byId(value) ?? directory.byEmail(value);
  return person ? { owner: { kind: 'person', id: person.id }, source: 'tag', matched: value } : undefined;
}

/**
 * Who owns the identity a finding is about (DESIGN "Review workflow"): the first matching `owners`
 * rule; else the owner the resource's tag names (KMS secrets); else the person whose email is the RAM
 * user's email; else the security group, marked `orphaned` so the task says nobody claimed the identity.
 */
export function resolveOwner(finding: Finding, opts: ResolveOwnerOptions): Ownership {
  const names = namesOf(finding);
  const rule = opts.owners.find(
    (r) => (!r.types || r.types.includes(finding.subject.type)) && names.some((name) => matchesGlob(r.pattern, name)),
  );
  if (rule) return { owner: parseOwner(rule.owner), source: 'pattern', matched: rule.pattern };
  const tagged = taggedOwner(finding, opts.directory);
  if (tagged) return tagged;
  const email = emailOf(finding, opts);
  const person = email ? opts.directory.byEmail(email) : undefined;
  if (email && person) return { owner: { kind: 'person', id: person.id }, source: 'email', matched: email };
  return { owner: { kind: 'group', name: opts.securityGroup }, source: 'orphaned', matched: null };
}
