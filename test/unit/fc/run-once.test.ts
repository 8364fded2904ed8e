/**
 * Timer runs claimed once per trigger (shared/fc/run-once.ts) on the real store (PGlite in memory):
 * a retry of a completed run replays its result, a failed or abandoned run runs again, a live one
 * is left alone. The claim rests on StoreTx.compareAndSetCache, checked here too.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runKey, runOnce, type RunOnceOptions } from '../../../shared/fc/run-once.js';
import { createStore, type SqlStore } from '../../../shared/store/index.js';

const T0 = Date.parse('2025-01-07T01:10:00Z');
const timer = { triggerName: 'every-10m', triggerTime: '2025-01-07T01:10:00Z', payload: '{"job":"apply"}' };

let store: SqlStore;
let now: number;
const opts = (over: Partial<RunOnceOptions> = {}): RunOnceOptions => ({ store, fn: 'apply', timer, runner: 'fc-req-1', timeoutSeconds: 600, clock: { now: () => new Date(now) }, ...over });
const stored = async (key = runKey('apply', timer)) => JSON.parse((await store.tx((tx) => tx.getCache(key))) ?? 'null') as Record<string, unknown> | null;

// One store for the file (migrating PGlite takes seconds); each test starts from an empty cache.
beforeAll(async () => {
  store = await createStore({ memory: true });
  await store.migrate();
});
afterAll(async () => {
  await store.close();
});
beforeEach(async () => {
  await store.rawQuery('DELETE FROM kv_cache');
  now = T0;
});

describe('compareAndSetCache', () => {
  it('writes only over the expected value (null: absent)', async () => {
    await store.tx(async (tx) => {
      expect(await tx.compareAndSetCache('k', null, 'a')).toBe(true);
      expect(await tx.compareAndSetCache('k', null, 'b')).toBe(false);
      expect(await tx.compareAndSetCache('k', 'x', 'b')).toBe(false);
      expect(await tx.getCache('k')).toBe('a');
      expect(await tx.compareAndSetCache('k', 'a', 'b')).toBe(true);
      expect(await tx.getCache('k')).toBe('b');
    });
  });
});

describe('runOnce', () => {
  it('keys a run by function, trigger name and trigger time', () => {
    expect(runKey('scan', { triggerName: 'daily', triggerTime: '2025-01-06T23:00:00Z' })).toBe('run:scan:daily:2025-01-06T23:00:00Z');
  });

  it('runs once; a retry of the completed run returns the recorded result without running', async () => {
    const run = vi.fn(async () => ({ writes: 1, executions: { applied: 1 } }));
    const first = await runOnce(opts(), run);
    expect(first).toEqual({ result: { writes: 1, executions: { applied: 1 } }, replayed: false });
    expect(await stored()).toMatchObject({ state: 'done', runner: 'fc-req-1', result: first.result });

    now += 30_000;
    const retry = await runOnce(opts({ runner: 'fc-req-2' }), run);
    expect(retry).toEqual({ result: first.result, replayed: true });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs another trigger time, or another trigger, again', async () => {
    const run = vi.fn(async () => 'ok');
    await runOnce(opts(), run);
    await runOnce(opts({ timer: { ...timer, triggerTime: '2025-01-07T01:20:00Z' } }), run);
    await runOnce(opts({ timer: { ...timer, triggerName: 'manual' } }), run);
    await runOnce(opts({ fn: 'scan' }), run);
    expect(run).toHaveBeenCalledTimes(4);
  });

  it('records a failed run and runs it again on the retry', async () => {
    await expect(runOnce(opts(), async () => Promise.reject(new Error('ListUsers throttled')))).rejects.toThrow('ListUsers throttled');
    expect(await stored()).toMatchObject({ state: 'failed', error: 'ListUsers throttled' });

    const retry = await runOnce(opts({ runner: 'fc-req-2' }), async () => 'second time');
    expect(retry).toEqual({ result: 'second time', replayed: false });
    expect(await stored()).toMatchObject({ state: 'done', runner: 'fc-req-2' });
  });

  it('leaves a live run alone: the retry fails with RUN_IN_PROGRESS and runs nothing', async () => {
    let finish!: () => void;
    const slow = runOnce(opts(), () => new Promise<string>((r) => (finish = () => r('first'))));
    await vi.waitFor(async () => expect(await stored()).toMatchObject({ state: 'running' }));

    const run = vi.fn(async () => 'second');
    await expect(runOnce(opts({ runner: 'fc-req-2' }), run)).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS', message: expect.stringContaining('claimed by fc-req-1') });
    expect(run).not.toHaveBeenCalled();
    finish();
    expect(await slow).toEqual({ result: 'first', replayed: false });
  });

  it('takes over a run claimed longer ago than the function timeout (the invocation crashed midway)', async () => {
    const key = runKey('apply', timer);
    await store.tx((tx) => tx.setCache(key, JSON.stringify({ state: 'running', runner: 'fc-crashed', claimedAt: new Date(T0).toISOString() })));

    now = T0 + 300_000; // still within the 600 s timeout
    await expect(runOnce(opts(), async () => 'too early')).rejects.toMatchObject({ code: 'RUN_IN_PROGRESS' });

    now = T0 + 600_000 + 61_000; // past the timeout and its minute of grace
    expect(await runOnce(opts({ runner: 'fc-req-3' }), async () => 'resumed')).toEqual({ result: 'resumed', replayed: false });
    expect(await stored(key)).toMatchObject({ state: 'done', runner: 'fc-req-3', result: 'resumed' });
  });

  it('of two invocations of the same run at once, exactly one runs', async () => {
    const run = vi.fn(async () => 'ran');
    const outcomes = await Promise.allSettled([runOnce(opts({ runner: 'a' }), run), runOnce(opts({ runner: 'b' }), run)]);
    expect(run).toHaveBeenCalledTimes(1);
    // The loser either saw the live claim or, if the winner had already finished, replayed its result.
    for (const o of outcomes) {
      if (o.status === 'rejected') expect(o.reason).toMatchObject({ code: 'RUN_IN_PROGRESS' });
      else expect(o.value.result).toBe('ran');
    }
  });

  it('treats a record it cannot read as a failed run and runs again', async () => {
    await store.tx((tx) => tx.setCache(runKey('apply', timer), 'not json'));
    expect(await runOnce(opts(), async () => 'ran')).toEqual({ result: 'ran', replayed: false });
  });

  it('returns the result even when its claim was taken over meanwhile, and leaves the new holder’s record', async () => {
    const key = runKey('apply', timer);
    const warn = vi.fn();
    const result = await runOnce(opts({ logger: { info: vi.fn(), warn } }), async () => {
      await store.tx((tx) => tx.setCache(key, JSON.stringify({ state: 'running', runner: 'fc-other', claimedAt: new Date(T0).toISOString() })));
      return 'late';
    });
    expect(result).toEqual({ result: 'late', replayed: false });
    expect(await stored(key)).toMatchObject({ state: 'running', runner: 'fc-other' });
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ key }), expect.stringContaining('took over'));
  });
});
