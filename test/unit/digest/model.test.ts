/**
 * The digest computed from crafted ledgers (entries shaped as the review machine writes them:
 * `audit()` data carries from → to, prompts carry dueAt and assignees, answers the actor and action)
 * and crafted current tasks. Each figure is checked against a history whose answer is known by hand;
 * rubber-stamp signals against reviewer histories just over and just under each threshold.
 */
import { describe, expect, it } from 'vitest';
import { computeDigest } from '../../../shared/digest/model.js';
import type { DigestModel } from '../../../shared/digest/types.js';
import type { AuditEntry } from '../../../shared/store/port.js';
import { directory, staleKey, task } from '../review/builders.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
/** The digest runs Monday 23 Nov 2026 00:00 UTC; week k (0…8) starts at START + k weeks, 8 is "this week". */
const NOW = new Date('2026-11-23T00:00:00Z');
const START = NOW.getTime() - 9 * WEEK;
const w = (week: number, hours = 0) => new Date(START + week * WEEK + hours * HOUR).toISOString();

class Ledger {
  readonly entries: AuditEntry[] = [];
  add(at: string, action: string, subject: string, data: Record<string, unknown> = {}, actor = 'system'): this {
    this.entries.push({ seq: this.entries.length + 1, at, actor, action, subject, data, prevHash: '', hash: '' });
    return this;
  }
  opened(at: string, id: string, rule: string, severity: string): this {
    return this.add(at, 'task.opened', id, { to: 'open', rule, severity }, 'scan');
  }
  prompted(at: string, id: string, assignees: string[], dueAt: string): this {
    return this.add(at, 'task.prompted', id, { from: 'open', to: 'awaiting_owner', dueAt, assignees });
  }
  /** An owner's answer; the card leaves their hands (the machine records assignees and dueAt when they change). */
  answered(at: string, id: string, actor: string, action: string, to: string, next: { assignees: string[]; dueAt: string | null } = { assignees: [], dueAt: null }): this {
    return this.add(at, 'decision.recorded', id, { from: 'awaiting_owner', to, ...next, action, actor, via: 'slack' }, actor);
  }
  moved(at: string, action: string, id: string, from: string, to: string): this {
    return this.add(at, action, id, { from, to });
  }
}

const digest = (ledger: Ledger, tasks = [] as Parameters<typeof computeDigest>[0]['tasks']): Promise<DigestModel> =>
  computeDigest({ entries: ledger.entries, tasks, directory, now: NOW });

describe('digest figures from the ledger', () => {
  /**
   * root-key (critical): opened week 0, revoked and applied week 5, gone week 6.
   * mfa (medium): opened week 2, resolved this week (week 8).
   * key (high): opened this week. low-1, low-2: opened week 1 and week 3, still open.
   */
  function history(): Ledger {
    return new Ledger()
      .opened(w(0, 10), 'root-key', 'ram.root-access-key', 'critical')
      .opened(w(1, 10), 'low-1', 'ram.user-console-inactive', 'low')
      .opened(w(2, 10), 'mfa', 'ram.user-console-without-mfa', 'medium')
      .opened(w(3, 10), 'low-2', 'ram.user-console-inactive', 'low')
      .prompted(w(0, 11), 'root-key', ['alice'], w(1, 11))
      .answered(w(4, 10), 'root-key', 'alice', 'revoke', 'awaiting_approval')
      .add(w(4, 12), 'decision.recorded', 'root-key', { from: 'awaiting_approval', to: 'approved', action: 'approve', actor: 'bob', via: 'slack' }, 'bob')
      .moved(w(5, 1), 'task.applied', 'root-key', 'approved', 'applied')
      .add(w(5, 2), 'task.refreshed', 'low-1', { from: 'open', to: 'open', severity: { from: 'low', to: 'medium' } })
      .moved(w(6, 1), 'task.resolved', 'root-key', 'applied', 'resolved')
      .moved(w(8, 30), 'task.resolved', 'mfa', 'open', 'resolved')
      .opened(w(8, 40), 'key', 'ram.access-key-stale', 'high')
      .prompted(w(8, 41), 'key', ['dave'], w(9, 41))
      .answered(w(8, 50), 'key', 'dave', 'keep', 'awaiting_attestation')
      .answered(w(8, 52), 'low-2', 'erin', 'keep', 'kept')
      .answered(w(8, 53), 'low-1', 'erin', 'revoke', 'awaiting_approval')
      .moved(w(8, 60), 'task.rolled_back', 'root-key', 'rollback_approved', 'rolled_back');
  }

  it('counts new and resolved findings by rule and severity this week, against the 8-week mean', async () => {
    const d = await digest(history());
    expect(d.period).toEqual({ from: w(8), to: NOW.toISOString() });
    expect(d.findings.new).toEqual([{ rule: 'ram.access-key-stale', severity: 'high', count: 1 }]);
    expect(d.findings.resolved).toEqual([{ rule: 'ram.user-console-without-mfa', severity: 'medium', count: 1 }]);
    expect(d.findings.newTotal).toBe(1);
    expect(d.findings.resolvedTotal).toBe(1);
    // Before this week: 4 opened and 1 resolved over 8 weeks.
    expect(d.findings.previous).toEqual({ new: 4 / 8, resolved: 1 / 8 });
  });

  it('rebuilds the open findings by severity at the end of each of the 9 weeks', async () => {
    const d = await digest(history());
    expect(d.trend.map((p) => p.weekStart)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8].map((k) => w(k)));
    const row = (k: number) => d.trend[k]!.open;
    expect(row(0)).toEqual({ critical: 1, high: 0, medium: 0, low: 0, info: 0 });
    expect(row(1)).toEqual({ critical: 1, high: 0, medium: 0, low: 1, info: 0 });
    expect(row(3)).toEqual({ critical: 1, high: 0, medium: 1, low: 2, info: 0 });
    // Week 5: low-1 raised to medium; root-key applied but its finding is still seen until week 6.
    expect(row(5)).toEqual({ critical: 1, high: 0, medium: 2, low: 1, info: 0 });
    expect(row(6)).toEqual({ critical: 0, high: 0, medium: 2, low: 1, info: 0 });
    // This week: mfa gone, the stale key new.
    expect(row(8)).toEqual({ critical: 0, high: 1, medium: 1, low: 1, info: 0 });
  });

  it('counts keep and revoke answers, revocations applied and rolled back, and the mean days to remediate', async () => {
    const d = await digest(history());
    expect(d.decisions).toEqual({ keep: 2, revoke: 1, keepRatio: 2 / 3, previous: { keep: 0, revoke: 1 / 8 } });
    expect(d.revocations).toEqual({ applied: 0, rolledBack: 1, failed: 0, previous: { applied: 1 / 8, rolledBack: 0 } });
    // mfa: opened w(2,10), resolved w(8,30) → 6 weeks and 20 hours. root-key: applied w(5,1) after opening w(0,10).
    expect(d.meanDaysToRemediate.week).toBeCloseTo((6 * WEEK + 20 * HOUR) / DAY, 6);
    expect(d.meanDaysToRemediate.previous).toBeCloseTo((5 * WEEK - 9 * HOUR) / DAY, 6);
  });

  it('has no ratio and no mean without answers or remediations, and ignores entries after now', async () => {
    const d = await digest(new Ledger().opened(w(8, 1), 'a', 'r', 'low').answered(w(9, 1), 'a', 'alice', 'keep', 'kept'));
    expect(d.decisions.keepRatio).toBeNull();
    expect(d.meanDaysToRemediate).toEqual({ week: null, previous: null });
    expect(d.reviewers).toEqual([]);
  });
});

describe('digest figures from the current tasks', () => {
  const day = (n: number) => new Date(NOW.getTime() - n * DAY).toISOString();
  const tasks = [
    task({ id: 't-old', createdAt: day(120), state: 'awaiting_owner', dueAt: day(100) }),
    task({ id: 't-mid', createdAt: day(40), state: 'escalated', dueAt: day(5), assignees: ['bob'] }),
    task({ id: 't-new', createdAt: day(2), state: 'awaiting_owner', dueAt: day(-5) }, staleKey),
    task({ id: 't-snz', createdAt: day(10), state: 'snoozed', dueAt: day(1), ownership: { owner: { kind: 'group', name: 'platform' }, source: 'pattern', matched: 'build-*' } }, staleKey),
    task({ id: 't-orph', createdAt: day(20), state: 'open', dueAt: null, ownership: { owner: { kind: 'group', name: 'security' }, source: 'orphaned', matched: null } }),
    task({ id: 't-done', createdAt: day(30), state: 'resolved', dueAt: day(20) }),
    task({ id: 't-kept', createdAt: day(30), state: 'kept', dueAt: day(20) }, staleKey),
    task({ id: 't-waived', createdAt: day(30), state: 'waived', severity: 'critical' }, staleKey),
  ];

  it('lists open tasks by owner and age, and overdue tasks by days overdue', async () => {
    const d = await digest(new Ledger(), tasks);
    expect(d.openTasks.total).toBe(5);
    expect(d.openTasks.byOwner).toEqual([
      { owner: 'alice', name: 'Alice', open: 3, oldestDays: 120 },
      { owner: 'group:security', name: 'security (group)', open: 1, oldestDays: 20 },
      { owner: 'group:platform', name: 'platform (group)', open: 1, oldestDays: 10 },
    ]);
    expect(d.openTasks.byAge).toEqual({ under7Days: 1, under30Days: 2, under90Days: 1, older: 1 });
    // Snoozed is not waiting for an answer, so not overdue; t-new is not due yet.
    expect(d.overdue.map((o) => [o.taskId, o.daysOverdue])).toEqual([
      ['t-old', 100],
      ['t-mid', 5],
    ]);
    expect(d.overdue[0]).toMatchObject({ owner: 'Alice', subject: 'user ops-wu', rule: 'ram.user-console-without-mfa', severity: 'medium' });
  });

  it('names orphaned identities and ranks risky identities by severity weight, keys counted against their user', async () => {
    const d = await digest(new Ledger(), tasks);
    expect(d.orphaned).toEqual([{ subject: 'user ops-wu', rule: 'ram.user-console-without-mfa', owner: 'group:security' }]);
    // user ops-wu: 4 medium (t-old, t-mid, t-orph; t-done is resolved) = 3×2; build-agent: t-new, t-snz, t-kept high = 3×5 (t-waived excluded).
    expect(d.topRisky).toEqual([
      { subject: 'user build-agent', score: 15, findings: 3, highest: 'high' },
      { subject: 'user ops-wu', score: 6, findings: 3, highest: 'medium' },
    ]);
  });

  it('names the member account of a multi-account finding', async () => {
    const member = { ...staleKey, account: { id: '2000000000000002', name: 'prod' } };
    const d = await digest(new Ledger(), [task({ id: 'm', state: 'awaiting_owner', dueAt: day(3) }, member)]);
    expect(d.topRisky[0]!.subject).toBe('user build-agent in account prod (2000000000000002)');
    expect(d.overdue[0]!.subject).toContain('in account prod (2000000000000002)');
  });
});

describe('rubber-stamp signals from reviewer histories', () => {
  /** `n` tasks prompted to `who` in `week`, each answered `action` `seconds` after its prompt. */
  function answers(l: Ledger, who: string, n: number, action: string, seconds: number, week = 7): Ledger {
    for (let i = 0; i < n; i++) {
      const id = `${who}-${action}-${i}`;
      const prompt = START + week * WEEK + i * HOUR;
      l.opened(new Date(prompt - 1000).toISOString(), id, 'ram.access-key-stale', 'high')
        .prompted(new Date(prompt).toISOString(), id, [who], w(week + 1))
        .answered(new Date(prompt + seconds * 1000).toISOString(), id, who, action, action === 'keep' ? 'kept' : 'awaiting_approval');
    }
    return l;
  }
  const flagsOf = (d: DigestModel, who: string) => d.reviewers.find((r) => r.person === who)?.flags;

  it('all-keep: every one of 10 or more keep-or-revoke answers a keep', async () => {
    const l = new Ledger();
    answers(l, 'zhou', 10, 'keep', 120);
    answers(l, 'nine', 9, 'keep', 120);
    answers(l, 'mixed', 10, 'keep', 120);
    answers(l, 'mixed', 1, 'revoke', 120);
    const d = await digest(l);
    expect(flagsOf(d, 'zhou')).toEqual(['all-keep']);
    expect(d.reviewers.find((r) => r.person === 'zhou')).toMatchObject({ decisions: 10, keeps: 10, medianSeconds: 120, overdueWeeks: 0 });
    expect(flagsOf(d, 'nine')).toEqual([]);
    expect(flagsOf(d, 'mixed')).toEqual([]);
    // Flagged reviewers come first.
    expect(d.reviewers[0]!.person).toBe('zhou');
  });

  it('all-keep counts a manager attesting every keep as keeps', async () => {
    const l = new Ledger();
    for (let i = 0; i < 10; i++) {
      l.opened(w(7, i), `att-${i}`, 'ram.access-key-stale', 'high').add(
        w(7, i + 1),
        'decision.recorded',
        `att-${i}`,
        { from: 'awaiting_attestation', to: 'kept', action: 'attest', actor: 'bob', via: 'dingtalk' },
        'bob',
      );
    }
    expect(flagsOf(await digest(l), 'bob')).toEqual(['all-keep']);
  });

  it('fast: median answer under 10 s over at least 3 answers', async () => {
    const l = new Ledger();
    answers(l, 'quick', 3, 'revoke', 4);
    answers(l, 'steady', 3, 'revoke', 12);
    answers(l, 'once', 1, 'revoke', 2);
    answers(l, 'median', 2, 'revoke', 5);
    answers(l, 'median', 3, 'keep', 600);
    const d = await digest(l);
    expect(flagsOf(d, 'quick')).toEqual(['fast']);
    expect(d.reviewers.find((r) => r.person === 'quick')!.medianSeconds).toBe(4);
    expect(flagsOf(d, 'steady')).toEqual([]);
    expect(flagsOf(d, 'once')).toEqual([]);
    // 5, 5, 600, 600, 600 → median 600.
    expect(d.reviewers.find((r) => r.person === 'median')!.medianSeconds).toBe(600);
    expect(flagsOf(d, 'median')).toEqual([]);
  });

  it('times an approver from the revocation request, not from the owner’s prompt', async () => {
    const l = new Ledger().opened(w(7), 'x', 'ram.access-key-stale', 'high').prompted(w(7, 1), 'x', ['dave'], w(8));
    l.answered(w(7, 5), 'x', 'dave', 'revoke', 'awaiting_approval');
    l.add(new Date(Date.parse(w(7, 5)) + 3000).toISOString(), 'decision.recorded', 'x', { from: 'awaiting_approval', to: 'approved', action: 'approve', actor: 'bob', via: 'slack' }, 'bob');
    const d = await digest(l);
    expect(d.reviewers.find((r) => r.person === 'dave')!.medianSeconds).toBe(4 * 3600);
    expect(d.reviewers.find((r) => r.person === 'bob')!.medianSeconds).toBe(3);
  });

  it('chronic-overdue: past due at the end of 3 or more of the last 4 weeks', async () => {
    const l = new Ledger();
    // late: one task due in week 5 and answered in week 7 (overdue at the ends of weeks 5 and 6), one due in week 8 unanswered.
    // (appended in time order, as the ledger is)
    // early: overdue at the ends of weeks 2, 3 and 4, then answered — long ago, not chronic now.
    l.opened(w(2), 'e1', 'r', 'medium').prompted(w(2, 1), 'e1', ['early'], w(2, 48)).answered(w(5, 2), 'e1', 'early', 'keep', 'kept');
    l.opened(w(5, 3), 'l1', 'r', 'medium').prompted(w(5, 4), 'l1', ['late'], w(5, 48)).answered(w(7, 2), 'l1', 'late', 'revoke', 'awaiting_approval', { assignees: ['bob'], dueAt: w(8) });
    // twice: overdue at the ends of weeks 7 and 8 only.
    l.opened(w(7, 3), 't1', 'r', 'medium').prompted(w(7, 4), 't1', ['twice'], w(7, 48));
    l.opened(w(8), 'l2', 'r', 'medium').prompted(w(8, 1), 'l2', ['late'], w(8, 48));
    const d = await digest(l);
    expect(d.reviewers.find((r) => r.person === 'late')).toMatchObject({ overdueWeeks: 3, flags: ['chronic-overdue'] });
    expect(d.reviewers.find((r) => r.person === 'twice')).toMatchObject({ decisions: 0, overdueWeeks: 2, flags: [] });
    expect(d.reviewers.find((r) => r.person === 'early')).toMatchObject({ overdueWeeks: 3, flags: [] });
  });

  it('the escalated manager becomes the one overdue', async () => {
    const l = new Ledger().opened(w(5), 'e', 'r', 'medium').prompted(w(5, 1), 'e', ['alice'], w(5, 24));
    l.add(w(5, 30), 'task.escalated', 'e', { from: 'awaiting_owner', to: 'escalated', dueAt: w(5, 60), assignees: ['bob'] });
    const d = await digest(l);
    expect(d.reviewers.find((r) => r.person === 'bob')).toMatchObject({ overdueWeeks: 4, flags: ['chronic-overdue'] });
    expect(d.reviewers.find((r) => r.person === 'alice')).toBeUndefined();
  });

  it('machine answers (deadline actions) are nobody’s reviewing', async () => {
    const l = new Ledger().opened(w(7), 's', 'r', 'medium').prompted(w(7, 1), 's', ['alice'], w(7, 2));
    l.add(w(7, 5), 'decision.recorded', 's', { from: 'awaiting_owner', to: 'awaiting_approval', action: 'revoke', actor: 'system', via: 'system' });
    const d = await digest(l);
    expect(d.reviewers.map((r) => r.person)).toEqual(['alice']);
    expect(d.reviewers[0]!.decisions).toBe(0);
  });
});
