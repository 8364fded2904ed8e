/** Fixed PromptViews for template snapshots and adapter tests: every kind, and the pending/kept/resolved states. */
import type { PromptButton, PromptItem, PromptView } from '../../../shared/chat/port.js';
import type { Person } from '../../../shared/people/types.js';

export const alice: Person = {
  id: 'alice.chen',
  name: 'Alice Chen',
  email: 'alice@example.com',
  slackUserId: null,
  dingtalkUserId: 'dt-alice',
  manager: 'bob.li',
  groups: ['platform'],
};

export const bob: Person = {
  id: 'bob.li',
  name: 'Bob Li',
  email: 'bob@example.com',
  slackUserId: 'U0BOB',
  dingtalkUserId: 'dt-bob',
  manager: null,
  groups: ['security'],
};

export type FixtureState = 'pending' | 'kept' | 'resolved';
export const KINDS: PromptView['kind'][] = ['prompt', 'reminder', 'escalation', 'attestation'];

const tok = (taskId: string, action: string) => `1767225600.${`${taskId}-${action}`.padEnd(43, 'x').slice(0, 43)}`;

function ownerButtons(taskId: string, fixWord: string): PromptButton[] {
  return [
    { action: 'keep', label: 'Keep… (reason)', taskId, token: tok(taskId, 'keep'), needs: 'reason' },
    { action: 'snooze', label: `I'll ${fixWord} it by…`, taskId, token: tok(taskId, 'snooze'), needs: 'date' },
    { action: 'revoke', label: 'Revoke', taskId, token: tok(taskId, 'revoke') },
    { action: 'not_mine', label: 'Not mine', taskId, token: tok(taskId, 'not_mine') },
  ];
}

function attestButtons(taskId: string): PromptButton[] {
  return [
    { action: 'attest', label: 'Attest the keep', taskId, token: tok(taskId, 'attest') },
    { action: 'decline', label: 'Decline…', taskId, token: tok(taskId, 'decline'), needs: 'reason' },
  ];
}

function items(kind: PromptView['kind'], state: FixtureState): PromptItem[] {
  const decided = state !== 'pending';
  const status =
    state === 'kept' ? 'kept by Alice Chen: still used by CI & nightly builds' : state === 'resolved' ? 'resolved: gone in the scan of Tue 10 Dec' : kind === 'attestation' ? 'kept by Alice Chen: still used by CI; needs your attestation' : null;
  const taskState = state === 'kept' ? 'kept' : state === 'resolved' ? 'resolved' : kind === 'attestation' ? 'awaiting_attestation' : kind === 'escalation' ? 'escalated' : 'awaiting_owner';
  const buttons = (taskId: string, fix: string) => (decided ? [] : kind === 'attestation' ? attestButtons(taskId) : ownerButtons(taskId, fix));
  return [
    {
      taskId: 't-key1',
      severity: 'high',
      title: 'Access key older than 90 days',
      subject: 'access key LTAI…7Q2 of build-agent',
      evidence: 'active, 412 days old, last used yesterday (Ecs & Oss)',
      path: [],
      why: 'long-lived keys leak through code and logs; rotation limits how long a leak stays useful.',
      revokeWould: 'set the key Inactive (reversible for 30 days)',
      diff: null,
      state: taskState,
      status,
      buttons: buttons('t-key1', 'rotate'),
    },
    {
      taskId: 't-admin2',
      severity: 'medium',
      title: 'User with full administrator access',
      subject: 'user ops-wu',
      evidence: 'AdministratorAccess through group admins; last logon 2 days ago',
      path: ['user:ops-wu', 'group:admins', 'policy:AdministratorAccess (System)'],
      why: 'an administrator can change anything, including who else is an administrator.',
      revokeWould: null,
      diff: null,
      state: taskState,
      status: state === 'pending' ? null : status,
      buttons: buttons('t-admin2', 'narrow'),
    },
  ];
}

const INTRO: Record<PromptView['kind'], string | null> = {
  prompt: 'You own 2 identities with findings:',
  reminder: 'Reminder: these are due Tue 3 Dec.',
  escalation: 'ops-wu did not answer by Tue 3 Dec; as their manager, please decide.',
  attestation: 'Alice Chen kept access on a high-severity finding; as their manager, attest or decline.',
  approval: 'Alice Chen asks to revoke access; please approve or reject.',
};

/** A fixed view: `kind` decides the buttons, `state` whether anything is still pending. */
export function fixtureView(kind: PromptView['kind'], state: FixtureState = 'pending', recipient: Person = kind === 'prompt' || kind === 'reminder' ? alice : bob): PromptView {
  return {
    kind,
    recipient,
    account: { id: '123456789012', alias: 'prod-main' },
    due: state === 'pending' ? 'due Tue 3 Dec' : null,
    intro: INTRO[kind],
    items: items(kind, state),
  };
}

/** The combinations snapshotted: every kind pending, and the prompt decided both ways. */
export const SNAPSHOT_CASES: Array<[PromptView['kind'], FixtureState]> = [...KINDS.map((k) => [k, 'pending'] as [PromptView['kind'], FixtureState]), ['prompt', 'kept'], ['prompt', 'resolved']];
