import { describe, expect, it } from 'vitest';
import type { ActivityEvent, Identity } from '../../../shared/activity/events.js';
import { SETTLE_MS, UsageIndex } from '../../../shared/activity/usage-index.js';
import type { UsageIndex as RuleUsageIndex } from '../../../shared/rules/types.js';

const T0 = Date.parse('2026-06-01T00:00:00Z');
const MIN = 60_000;
const DAY = 86_400_000;
const alice: Identity = { type: 'user', name: 'alice' };
const key: Identity = { type: 'accessKey', name: 'LTAI5tAlice' };
const ops: Identity = { type: 'role', name: 'Ops' };

function ev(id: string, minutes: number, action: string | null, identities: Identity[] = [alice, key], denied = false): ActivityEvent {
  return { id, time: T0 + minutes * MIN, action, service: action?.split(':')[0] ?? null, identities, denied };
}
const at = (minutes: number) => new Date(T0 + minutes * MIN);
const iso = (minutes: number) => at(minutes).toISOString();

const BATCH = [
  ev('e1', 0, 'ecs:DescribeInstances'),
  ev('e2', 10, 'ecs:StopInstance'),
  ev('e3', 20, 'oss:GetObject'),
  ev('e4', 20, 'ecs:DescribeInstances'),
  ev('e5', 5, 'oss:PutObject', [ops]),
  ev('e6', 15, 'ram:DeleteUser', [alice, key], true),
  ev('e7', 30, null),
];

describe('UsageIndex', () => {
  it('keeps the last use per identity, per action and per service', () => {
    const index = new UsageIndex().ingest(BATCH, { from: at(-60), to: at(60) });
    expect(index.lastUsed(alice, 'ecs:DescribeInstances')).toBe(iso(20));
    expect(index.lastUsed(alice, 'ECS:describeinstances')).toBe(iso(20));
    expect(index.lastUsed(key, 'oss:GetObject')).toBe(iso(20));
    expect(index.lastUsedService(alice, 'ecs')).toBe(iso(20));
    expect(index.lastUsed({ type: 'role', name: 'ops' }, 'oss:PutObject')).toBe(iso(5));
    expect(index.usedActions(alice, at(0))).toEqual(['ecs:DescribeInstances', 'ecs:StopInstance', 'oss:GetObject']);
    expect(index.usedActions(alice, at(15))).toEqual(['ecs:DescribeInstances', 'oss:GetObject']);
    expect(index.usedServices(alice, at(15))).toEqual(['ecs', 'oss']);
    expect(index.identities()).toEqual(['accessKey:LTAI5tAlice', 'role:ops', 'user:alice']);
    expect(index.observedActions()).toEqual(['ecs:DescribeInstances', 'ecs:StopInstance', 'oss:GetObject', 'oss:PutObject']);
  });

  it('counts denied calls and sign-ins as activity but not as use of a permission', () => {
    const index = new UsageIndex().ingest(BATCH, { from: at(-60), to: at(60) });
    expect(index.lastUsed(alice, 'ram:DeleteUser')).toBeUndefined();
    expect(index.usedServices(alice, at(0))).not.toContain('ram');
    expect(index.lastUsed(alice)).toBe(iso(30));
    expect(index.lastUsed({ type: 'user', name: 'nobody' })).toBeUndefined();
  });

  it('keeps a high-water mark with the ids seen at its second, and ingesting again changes nothing', () => {
    const index = new UsageIndex().ingest(BATCH, { from: at(-60), to: at(60) });
    expect(index.highWater).toEqual({ time: iso(30), ids: ['e7'] });
    const before = JSON.stringify(index);
    index.ingest(BATCH, { from: at(-60), to: at(60) });
    expect(JSON.stringify(index)).toBe(before);
    expect(index.events).toBe(7);

    // Same second as the high-water mark: only the unseen id counts.
    index.ingest([ev('e7', 30, null), ev('e8', 30, 'ecs:RebootInstance')], { from: at(30), to: at(90) });
    expect(index.events).toBe(8);
    expect(index.highWater).toEqual({ time: iso(30), ids: ['e7', 'e8'] });
    expect(index.lastUsed(alice, 'ecs:RebootInstance')).toBe(iso(30));
  });

  it('merges in any order to the same index', () => {
    const a = new UsageIndex();
    const b = new UsageIndex();
    for (const e of BATCH) a.add(e);
    for (const e of [...BATCH].reverse()) b.add(e);
    expect(a.toJSON()).toEqual(b.toJSON());
  });

  it('asks where the next read starts: the settling span before the last read, at most the retention back', () => {
    const index = new UsageIndex();
    const now = new Date(T0 + 100 * DAY);
    expect(index.nextWindow(now, 90)).toEqual({ from: new Date(T0 + 10 * DAY), to: now });
    // LookupEvents takes whole seconds: the start is floored.
    index.ingest([ev('x', 0.505, 'ecs:A')], { from: at(-60), to: at(0.505) });
    expect(SETTLE_MS).toBe(15 * MIN);
    expect(index.nextWindow(at(120), 90)).toEqual({ from: new Date(T0 + 30_000 - SETTLE_MS), to: at(120) });
    // The coverage ends later than the newest event: resume from there (less to read again).
    const later = new UsageIndex().ingest([ev('y', 10, 'ecs:A')], { from: at(0), to: at(60) });
    expect(later.nextWindow(at(120), 90).from).toEqual(at(45));
    // No event yet but a completed read: the same.
    const empty = new UsageIndex().cover({ from: at(0), to: at(60) });
    expect(empty.nextWindow(at(120), 90).from).toEqual(at(45));
  });

  it('takes in an event delivered late, once, and never one it already has', () => {
    const index = new UsageIndex().ingest([ev('a', 100, 'ecs:A'), ev('b', 110, 'ecs:B')], { from: at(0), to: at(120) });
    // The next read starts 15 minutes back: 'late' (time 112, delivered after the first read) is new;
    // 'b' is read again and not counted; the span's ids survive a save.
    const saved = UsageIndex.fromJSON(JSON.parse(JSON.stringify(index)));
    const window = saved.nextWindow(at(180), 90);
    expect(window.from).toEqual(at(105));
    saved.ingest([ev('b', 110, 'ecs:B'), ev('late', 112, 'ecs:Late'), ev('c', 170, 'ecs:C')], window);
    expect(saved.events).toBe(4);
    expect(saved.lastUsed(alice, 'ecs:Late')).toBe(iso(112));
    // Events older than the span before the mark count as seen; the span keeps only recent ids.
    expect(saved.seen({ id: 'never-seen', time: T0 + 150 * MIN })).toBe(true);
    expect(Object.keys(saved.toJSON().highWater?.recent ?? {})).toEqual(['c']);
  });

  it('loads an index saved before the settling span (ids at the mark only)', () => {
    const old = { version: 1, events: 1, coverage: { from: iso(0), to: iso(60) }, highWater: { time: iso(30), ids: ['x'] }, identities: {} };
    const index = UsageIndex.fromJSON(old);
    expect(index.seen({ id: 'x', time: T0 + 30 * MIN })).toBe(true);
    expect(index.seen({ id: 'y', time: T0 + 30 * MIN })).toBe(false);
    expect(index.highWater).toEqual({ time: iso(30), ids: ['x'] });
  });

  it('records the coverage window: joins touching reads, restarts after a gap', () => {
    const index = new UsageIndex();
    expect(index.coverage).toBeNull();
    expect(index.covers(at(0), at(1))).toBe(false);
    index.cover({ from: at(0), to: at(60) }).cover({ from: at(30), to: at(120) });
    expect(index.coverage).toEqual({ from: iso(0), to: iso(120) });
    expect(index.covers(at(10), at(100))).toBe(true);
    expect(index.covers(at(-10), at(100))).toBe(false);
    index.cover({ from: at(-100), to: at(-50) });
    expect(index.coverage).toEqual({ from: iso(0), to: iso(120) });
    index.cover({ from: at(200), to: at(300) });
    expect(index.coverage).toEqual({ from: iso(200), to: iso(300) });
  });

  it('round-trips through JSON', () => {
    const index = new UsageIndex().ingest(BATCH, { from: at(-60), to: at(60) });
    const restored = UsageIndex.fromJSON(JSON.parse(JSON.stringify(index)));
    expect(restored.toJSON()).toEqual(index.toJSON());
    expect(restored.lastUsed(alice, 'ecs:describeinstances')).toBe(iso(20));
    expect(restored.seen({ id: 'e7', time: T0 + 30 * MIN })).toBe(true);
    expect(() => UsageIndex.fromJSON({ version: 2 })).toThrow();
  });

  describe('key origins', () => {
    const SDK = 'AlibabaCloud (linux; x64) Node.js/v20.20.2 Core/1.0.1 TeaDSL/2';
    const FC = 'AlibabaCloud (linux; x64) Python/3.10 Core/2.13 fc-runtime/python3.10';
    const from = (ip: string, userAgent = SDK, vpcId = '') => ({ sourceIp: ip, userAgent, vpcId });
    const CALLS: ActivityEvent[] = [
      { ...ev('o1', 0, 'ecs:DescribeInstances'), ...from('10.0.1.5') },
      { ...ev('o2', 10, 'ecs:DescribeInstances'), ...from('10.0.1.6', FC) },
      { ...ev('o3', 20, 'ram:DeleteUser', [alice, key], true), ...from('203.0.113.7') },
      { ...ev('o4', 30, 'oss:GetObject'), ...from('198.51.100.2', SDK, 'vpc-bp1x') },
      { ...ev('o5', 40, 'oss:GetObject', [alice]), ...from('10.9.9.9') },
      { ...ev('o6', 50, 'oss:GetObject', [ops]), ...from('10.9.9.8') },
      { ...ev('o7', 60, 'ecs:DescribeInstances'), ...from('ecs.aliyuncs.com', 'ecs.aliyuncs.com') },
    ];

    it('counts where a key was used from, denied calls included, with samples and client families', () => {
      const index = new UsageIndex().ingest(CALLS, { from: at(-60), to: at(120) });
      const o = index.origins('LTAI5tAlice', at(-60));
      expect(o).toMatchObject({ internal: 3, public: 1, other: 1, last: iso(60) });
      expect(o?.samples).toEqual([
        { ip: '198.51.100.2', network: 'internal', last: iso(30) },
        { ip: '203.0.113.7', network: 'public', last: iso(20) },
        { ip: '10.0.1.6', network: 'internal', last: iso(10) },
        { ip: '10.0.1.5', network: 'internal', last: iso(0) },
      ]);
      expect(o?.agents.map((a) => [a.family, a.runtime, a.last])).toEqual([
        ['service', false, iso(60)],
        ['sdk', false, iso(30)],
        ['fc', true, iso(10)],
      ]);
      // Only access keys are tracked; an unused key has empty counts.
      expect(index.origins('LTAI5tNobody', at(-60))).toEqual({ internal: 0, public: 0, other: 0, samples: [], agents: [], last: null });
      // Since a later time: samples and agents exactly, counts by day.
      expect(index.origins('LTAI5tAlice', at(25))?.samples.map((s) => s.ip)).toEqual(['198.51.100.2']);
      expect(index.origins('LTAI5tAlice', at(25))?.agents.map((a) => a.family)).toEqual(['service', 'sdk']);
    });

    it('merges to the same origins in any order and keeps them through a save', () => {
      const a = new UsageIndex();
      const b = new UsageIndex();
      for (const e of CALLS) a.add(e);
      for (const e of [...CALLS].reverse()) b.add(e);
      expect(b.toJSON()).toEqual(a.toJSON());
      a.cover({ from: at(-60), to: at(120) });
      const restored = UsageIndex.fromJSON(JSON.parse(JSON.stringify(a)));
      expect(restored.toJSON()).toEqual(a.toJSON());
      expect(restored.origins('LTAI5tAlice', at(-60))).toEqual(a.origins('LTAI5tAlice', at(-60)));
    });

    it('records nothing for events without origin fields, and is unknown where origins were not recorded', () => {
      // An SLS aggregate row carries no address: the key was used, its origin is not known.
      const index = new UsageIndex().ingest([ev('s1', 0, 'ecs:DescribeInstances')], { from: at(-60), to: at(60) });
      expect(index.origins('LTAI5tAlice', at(-60))).toMatchObject({ internal: 0, public: 0, other: 0 });
      index.originsUnrecordedUntil(at(60));
      expect(index.origins('LTAI5tAlice', at(-60))).toBeUndefined();
      expect(index.origins('LTAI5tAlice', at(60))).toBeDefined();
      expect(UsageIndex.fromJSON(JSON.parse(JSON.stringify(index))).origins('LTAI5tAlice', at(-60))).toBeUndefined();
    });

    it('loads a save from before origins were recorded: unknown until its last read, recorded after', () => {
      const old = { version: 1, events: 1, coverage: { from: iso(0), to: iso(60) }, highWater: { time: iso(30), ids: ['x'] }, identities: {} };
      const index = UsageIndex.fromJSON(old);
      expect(index.origins('LTAI5tAlice', at(0))).toBeUndefined();
      index.ingest([{ ...ev('n1', 70, 'ecs:A'), ...from('10.0.0.1') }], { from: at(45), to: at(90) });
      expect(index.origins('LTAI5tAlice', at(60))).toMatchObject({ internal: 1 });
      expect(index.toJSON().originsSince).toBe(iso(60));
      expect(new UsageIndex().toJSON().originsSince).toBeNull();
    });
  });

  it('fits the rules engine usage port', () => {
    const index: RuleUsageIndex = new UsageIndex().ingest(BATCH, { from: at(-60), to: at(60) });
    expect(index.lastUsed({ type: 'accessKey', name: 'LTAI5tAlice' })).toBe(iso(30));
  });
});
