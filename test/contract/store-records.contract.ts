import { describe, expect, it } from 'vitest';
import type { FindingRecord, MessageRef, ScanRecord, TaskFilter, Waiver } from '../../shared/store/port.js';
import { rowToScan, type ScanRow } from '../../shared/store/rows.js';
import type { GetStore } from './store.contract.js';
import { makeDecision, makeFinding, makeTask, sql } from './store-fixtures.js';

export function recordsContract(get: GetStore): void {
  describe('migrations', () => {
    it('a second migrate (and two at once) is a no-op', async () => {
      const before = await sql(get()).rawQuery<{ version: number; applied_at: Date }>('SELECT version, applied_at FROM schema_migrations ORDER BY version');
      expect(before.map((r) => r.version)).toEqual([1, 2, 3, 4]);
      await get().migrate();
      await Promise.all([get().migrate(), get().migrate()]);
      expect(await sql(get()).rawQuery('SELECT version, applied_at FROM schema_migrations ORDER BY version')).toEqual(before);
    });
  });

  describe('records round-trip', () => {
    it('scans (upsert on retry)', async () => {
      const scan: ScanRecord = { id: 'scan-1', accountId: '1234', startedAt: '2026-11-27T01:00:00.000Z', finishedAt: '2026-11-27T01:02:03.456Z', partial: true, findingCount: 7, apiCalls: 42 };
      await get().tx((tx) => tx.recordScan(scan));
      await get().tx((tx) => tx.recordScan({ ...scan, partial: false, findingCount: 8 }));
      const rows = await sql(get()).rawQuery<ScanRow>('SELECT * FROM scans');
      expect(rows.map(rowToScan)).toStrictEqual([{ ...scan, partial: false, findingCount: 8 }]);
    });

    it('findings, by status, keeping the first first_seen', async () => {
      const a: FindingRecord = { fingerprint: 'fa', rule: 'ram.access-key-stale', finding: makeFinding(1), firstSeen: '2026-11-01T00:00:00.000Z', lastSeen: '2026-11-02T00:00:00.000Z', status: 'open' };
      const b: FindingRecord = { ...a, fingerprint: 'fb', finding: makeFinding(2), firstSeen: '2026-11-03T00:00:00.000Z', status: 'gone' };
      await get().tx(async (tx) => {
        await tx.upsertFinding(a);
        await tx.upsertFinding(b);
      });
      expect(await get().tx((tx) => tx.getFinding('fa'))).toStrictEqual(a);
      expect(await get().tx((tx) => tx.getFinding('nope'))).toBeNull();
      expect(await get().tx((tx) => tx.listFindings('gone'))).toStrictEqual([b]);
      expect(await get().tx((tx) => tx.listFindings())).toStrictEqual([a, b]);
      const later = { ...a, firstSeen: '2026-11-20T00:00:00.000Z', lastSeen: '2026-11-20T00:00:00.000Z', status: 'gone' as const };
      await get().tx((tx) => tx.upsertFinding(later));
      expect(await get().tx((tx) => tx.getFinding('fa'))).toStrictEqual({ ...later, firstSeen: a.firstSeen });
    });

    it('tasks, by id and fingerprint; a second task for a fingerprint is a conflict', async () => {
      const task = makeTask(1);
      await get().tx((tx) => tx.insertTask(task));
      expect(await get().tx((tx) => tx.getTask(task.id))).toStrictEqual(task);
      expect(await get().tx((tx) => tx.getTaskByFingerprint(task.fingerprint))).toStrictEqual(task);
      expect(await get().tx((tx) => tx.getTask('missing'))).toBeNull();
      await expect(get().tx((tx) => tx.insertTask({ ...task, id: 'task-other' }))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
    });

    it('listTasks filters by state, assignee, rule and limit, oldest first', async () => {
      const tasks = [
        makeTask(1, { state: 'awaiting_owner', assignees: ['alice'] }),
        makeTask(2, { state: 'escalated', assignees: ['bob', 'carol'] }),
        makeTask(3, { state: 'kept', assignees: ['alice'], finding: makeFinding(3, { rule: 'ram.user-no-mfa' }) }),
        makeTask(4, { state: 'awaiting_owner', assignees: ['carol'] }),
      ];
      await get().tx(async (tx) => {
        for (const t of [...tasks].reverse()) await tx.insertTask(t);
      });
      const ids = async (filter?: TaskFilter) => (await get().tx((tx) => tx.listTasks(filter))).map((t) => t.id);
      expect(await ids(undefined)).toEqual(['task-1', 'task-2', 'task-3', 'task-4']);
      expect(await ids({ states: ['awaiting_owner', 'escalated'] })).toEqual(['task-1', 'task-2', 'task-4']);
      expect(await ids({ assignee: 'carol' })).toEqual(['task-2', 'task-4']);
      expect(await ids({ rule: 'ram.user-no-mfa' })).toEqual(['task-3']);
      expect(await ids({ states: ['awaiting_owner'], assignee: 'alice' })).toEqual(['task-1']);
      expect(await ids({ limit: 2 })).toEqual(['task-1', 'task-2']);
      expect(await ids({ states: [] })).toEqual([]);
    });

    it('decisions; the same decision twice is refused', async () => {
      const task = makeTask(1);
      const d1 = makeDecision(task.id, { reason: null, until: '2026-12-24', action: 'snooze', via: 'dingtalk' });
      const d2 = makeDecision(task.id, { at: '2026-11-23T10:00:00.000Z' });
      await get().tx(async (tx) => {
        await tx.insertTask(task);
        await tx.insertDecision(d2);
        await tx.insertDecision(d1);
      });
      expect(await get().tx((tx) => tx.listDecisions(task.id))).toStrictEqual([d1, d2]);
      await expect(get().tx((tx) => tx.insertDecision({ ...d2, id: 'retry-with-new-id' }))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      await expect(get().tx((tx) => tx.insertDecision(d1))).rejects.toMatchObject({ code: 'STORE_CONFLICT' });
      expect(await get().tx((tx) => tx.listDecisions(task.id))).toHaveLength(2);
    });

    it('chat messages by task; an update keeps created_at', async () => {
      const m: MessageRef = { id: 'm1', platform: 'slack', recipient: 'alice', channel: 'D123', messageKey: '1700000000.000100', taskIds: ['task-1', 'task-2'], kind: 'prompt', createdAt: '2026-11-20T10:00:00.000Z', updatedAt: '2026-11-20T10:00:00.000Z' };
      const other: MessageRef = { ...m, id: 'm2', platform: 'dingtalk', channel: null, messageKey: 'out-track-1', taskIds: ['task-3'], kind: 'reminder' };
      await get().tx(async (tx) => {
        await tx.upsertMessage(m);
        await tx.upsertMessage(other);
      });
      expect(await get().tx((tx) => tx.messagesForTask('task-2'))).toStrictEqual([m]);
      const updated = { ...m, taskIds: ['task-1'], createdAt: '2026-11-25T00:00:00.000Z', updatedAt: '2026-11-25T00:00:00.000Z' };
      await get().tx((tx) => tx.upsertMessage(updated));
      expect(await get().tx((tx) => tx.messagesForTask('task-1'))).toStrictEqual([{ ...updated, createdAt: m.createdAt }]);
      expect(await get().tx((tx) => tx.messagesForTask('task-2'))).toStrictEqual([]);
    });

    it('waivers and the cache', async () => {
      const w: Waiver = { fingerprint: 'fa', reason: 'vendor key, rotated by contract', owner: 'alice', createdAt: '2026-11-20T10:00:00.000Z', expiresAt: null };
      await get().tx((tx) => tx.upsertWaiver(w));
      expect(await get().tx((tx) => tx.getWaiver('fa'))).toStrictEqual(w);
      const renewed = { ...w, expiresAt: '2027-01-01T00:00:00.000Z' };
      await get().tx((tx) => tx.upsertWaiver(renewed));
      expect(await get().tx((tx) => tx.getWaiver('fa'))).toStrictEqual(renewed);
      expect(await get().tx((tx) => tx.getWaiver('fb'))).toBeNull();

      expect(await get().tx((tx) => tx.getCache('slack:alice@example.com'))).toBeNull();
      await get().tx((tx) => tx.setCache('slack:alice@example.com', 'U123'));
      await get().tx((tx) => tx.setCache('slack:alice@example.com', 'U456'));
      expect(await get().tx((tx) => tx.getCache('slack:alice@example.com'))).toBe('U456');
    });
  });

  describe('compare-and-set', () => {
    it('writes with the expected version and bumps it; a stale version writes nothing', async () => {
      const task = makeTask(1);
      await get().tx((tx) => tx.insertTask(task));
      const kept = { ...task, state: 'kept' as const, assignees: [], updatedAt: '2026-11-22T10:00:00.000Z' };
      expect(await get().tx((tx) => tx.updateTask(kept, 1))).toBe(true);
      expect(await get().tx((tx) => tx.getTask(task.id))).toStrictEqual({ ...kept, version: 2 });
      expect(await get().tx((tx) => tx.updateTask({ ...task, state: 'waived' }, 1))).toBe(false);
      expect(await get().tx((tx) => tx.getTask(task.id))).toStrictEqual({ ...kept, version: 2 });
      expect(await get().tx((tx) => tx.listTasks({ states: ['kept'] }))).toHaveLength(1);
    });

    it('a StoreTx used after its transaction fails loudly', async () => {
      const leaked = await get().tx(async (tx) => tx);
      await expect(leaked.getCache('x')).rejects.toMatchObject({ code: 'STORE_TX_CLOSED' });
    });
  });
}
