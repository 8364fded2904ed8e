import type { Severity } from '../domain/finding.js';
import { isMember, managerOf } from '../people/relations.js';
import { includesName, personLabel, subjectUserName } from './principals.js';
import type { KeepAttestationInput, SodRefusal, SodVerdict } from './types.js';

const DEFAULT_ATTEST: readonly Severity[] = ['high', 'critical'];

/**
 * Whether `attestedBy` may attest a keep (DESIGN: "a keep on a high or critical finding attested by the
 * owner alone" is refused). Below those severities the owner's keep stands and nothing is needed.
 * Someone who is both in the owning group and a manager is still an owner, so refused (fail closed).
 */
export function checkKeepAttestation(input: KeepAttestationInput): SodVerdict {
  const { task, attestedBy, directory } = input;
  if (!(input.attestSeverities ?? DEFAULT_ATTEST).includes(task.severity)) return { allowed: true, needsMore: null };
  const managers = managerOf(task.owner, directory);
  const named = managers.length > 0 ? managers.map((id) => personLabel(id, directory)).join(', ') : 'none is configured: set people[].manager for the owner';
  const refusals: SodRefusal[] = [];
  if (isMember(attestedBy, task.owner, directory)) {
    refusals.push({
      code: 'keep-owner-only',
      message: `You own this identity, and a keep on a ${task.severity} finding cannot rest on the owner alone: the owner's manager (${named}) must attest it.`,
    });
  }
  const subjectUser = subjectUserName(task.subject);
  if (subjectUser !== null && includesName(input.ramUsersOf(attestedBy), subjectUser)) {
    refusals.push({
      code: 'subject-person',
      message: `You sign in as RAM user ${subjectUser}, the subject of this finding, so you cannot attest keeping its access: ask another manager of the owner, or security.`,
    });
  }
  if (!managers.includes(attestedBy)) {
    refusals.push({ code: 'not-manager', message: `Only the owner's manager (${named}) may attest this keep; forward it to them.` });
  }
  return refusals.length > 0 ? { allowed: false, refusals } : { allowed: true, needsMore: null };
}
