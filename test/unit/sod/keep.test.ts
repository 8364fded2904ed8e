import { describe, expect, it } from 'vitest';
import type { Severity } from '../../../shared/domain/finding.js';
import type { OwnerRef } from '../../../shared/people/types.js';
import { checkKeepAttestation } from '../../../shared/sod/index.js';
import { OLGA, codes, directory, ramUsersFor } from './fixtures.js';

const keep = (attestedBy: string, severity: Severity = 'high', owner: OwnerRef = OLGA) =>
  checkKeepAttestation({ task: { severity, owner, subject: { type: 'user', id: 'u1', name: 'sam.wu' } }, attestedBy, directory, ramUsersOf: ramUsersFor('sam.wu') });

describe('checkKeepAttestation: keeps on high/critical are attested by the manager, never the owner alone', () => {
  it.each(['high', 'critical'] as const)('allows the manager on %s', (severity) => {
    expect(keep('mona', severity)).toEqual({ allowed: true, needsMore: null });
  });

  it('refuses the owner attesting their own keep', () => {
    const verdict = keep('olga', 'critical');
    expect(codes(verdict)).toEqual(['keep-owner-only', 'not-manager']);
    expect(!verdict.allowed && verdict.refusals[0]?.message).toBe(
      "You own this identity, and a keep on a critical finding cannot rest on the owner alone: the owner's manager (Mona Li) must attest it.",
    );
  });

  it('refuses anyone else, approvers and security included', () => {
    expect(codes(keep('amir'))).toEqual(['not-manager']);
    expect(codes(keep('sara'))).toEqual(['not-manager']);
  });

  it('refuses a manager who signs in as the subject user', () => {
    const verdict = checkKeepAttestation({
      task: { severity: 'high', owner: OLGA, subject: { type: 'accessKey', id: 'k', name: 'k', user: 'mona' } },
      attestedBy: 'mona',
      directory,
      ramUsersOf: (id) => [id],
    });
    expect(codes(verdict)).toEqual(['subject-person']);
  });

  it("refuses any member of an owning group; the members' manager may attest", () => {
    const group: OwnerRef = { kind: 'group', name: 'platform' };
    expect(codes(keep('pat', 'high', group))).toEqual(['keep-owner-only', 'not-manager']);
    expect(keep('mona', 'high', group)).toEqual({ allowed: true, needsMore: null });
  });

  it('needs no attestation below the configured severities', () => {
    expect(keep('olga', 'medium')).toEqual({ allowed: true, needsMore: null });
    const strict = checkKeepAttestation({
      task: { severity: 'medium', owner: OLGA, subject: { type: 'user', id: 'u1', name: 'sam.wu' } },
      attestedBy: 'olga',
      directory,
      ramUsersOf: () => [],
      attestSeverities: ['medium', 'high', 'critical'],
    });
    expect(codes(strict)).toEqual(['keep-owner-only', 'not-manager']);
  });
});
