import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OriginJson, OriginTally, ORIGIN_DAYS, SAMPLE_IPS } from '../../../shared/activity/key-origins.js';
import { agentClassifier, classifyAgent, classifyIp, NETWORKS, type Network } from '../../../shared/activity/origin.js';

const DAY = 86_400_000;
const T0 = Date.parse('2026-06-01T00:00:00Z');
const day = (n: number) => T0 + n * DAY;

describe('OriginTally', () => {
  it('counts per day within the last ORIGIN_DAYS days of the key, dropping older ones', () => {
    const t = new OriginTally();
    t.add(day(0), 'internal', '10.0.0.1', 'sdk', 'ua');
    t.add(day(1), 'public', '203.0.113.1', 'sdk', 'ua');
    expect(t.view(day(0))).toMatchObject({ internal: 1, public: 1, other: 0 });
    expect(t.view(day(1))).toMatchObject({ internal: 0, public: 1 });
    // A use ORIGIN_DAYS later pushes day 0 out of the ring; one older than the ring is ignored.
    t.add(day(ORIGIN_DAYS), 'other', '', null, '');
    t.add(day(-5), 'internal', '10.0.0.2', null, '');
    expect(t.view(day(-10))).toMatchObject({ internal: 0, public: 1, other: 1 });
  });

  it('classifies calls as recorded: a VPC id makes a call internal whatever the address', () => {
    const t = new OriginTally();
    const agentOf = (ua: string) => (ua ? ('sdk' as const) : null);
    t.call(day(0), '203.0.113.10', 'AlibabaCloud (linux; x64)', 'vpc-bp1demo', agentOf);
    t.call(day(0), '203.0.113.10', 'AlibabaCloud (linux; x64)', '', agentOf);
    t.call(day(0), '10.0.0.1', '', '', agentOf);
    t.call(day(0), '', '', '', agentOf);
    expect(t.view(day(0))).toMatchObject({ internal: 2, public: 1, other: 1 });
    expect(t.view(day(0)).samples.map((s) => [s.ip, s.network])).toEqual([
      ['10.0.0.1', 'internal'],
      ['203.0.113.10', 'internal'],
      ['203.0.113.10', 'public'],
    ]);
  });

  it(`keeps the ${SAMPLE_IPS} most recent distinct addresses per network`, () => {
    const t = new OriginTally();
    for (let i = 0; i < 6; i++) t.add(day(0) + i * 1000, 'internal', `10.0.0.${i}`, null, '');
    t.add(day(0), 'internal', '10.0.0.5', null, '');
    t.add(day(0), 'public', '203.0.113.9', null, '');
    expect(t.view(0).samples.map((s) => s.ip)).toEqual(['10.0.0.5', '10.0.0.4', '10.0.0.3', '203.0.113.9']);
  });

  it('cuts long user agents kept as samples', () => {
    const t = new OriginTally();
    t.add(day(0), 'public', '203.0.113.9', 'other', 'x'.repeat(500));
    expect(t.view(0).agents[0]?.sample).toHaveLength(160);
  });

  it('merges in any order, and any split, to the same tally, and survives JSON', () => {
    const use = fc.record({
      d: fc.integer({ min: -100, max: 100 }),
      s: fc.integer({ min: 0, max: 86_399 }),
      network: fc.constantFrom<Network>(...NETWORKS),
      ip: fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '203.0.113.1', '203.0.113.2', '198.51.100.1', '198.51.100.2'),
      family: fc.constantFrom('sdk' as const, 'fc' as const, 'cli' as const, null),
      ua: fc.constantFrom('a', 'b', 'c'),
    });
    fc.assert(
      fc.property(fc.array(use, { minLength: 1, maxLength: 60 }), fc.nat(), (uses, cut) => {
        const build = (list: typeof uses) => {
          const t = new OriginTally();
          for (const u of list) t.add(day(u.d) + u.s * 1000, u.network, u.ip, u.family, u.ua);
          return t;
        };
        const whole = build(uses);
        const reversed = build([...uses].reverse());
        const at = cut % uses.length;
        const merged = build(uses.slice(at)).merge(build(uses.slice(0, at)));
        expect(reversed.toJSON()).toEqual(whole.toJSON());
        expect(merged.toJSON()).toEqual(whole.toJSON());
        const restored = OriginTally.fromJSON(OriginJson.parse(JSON.parse(JSON.stringify(whole))));
        expect(restored.toJSON()).toEqual(whole.toJSON());
        expect(restored.view(day(-30))).toEqual(whole.view(day(-30)));
      }),
      { numRuns: 200 },
    );
  });

  it('records calls with pending updates that change nothing: same as plain adds, in any order and split', () => {
    const call = fc.record({
      d: fc.integer({ min: -10, max: 10 }),
      s: fc.integer({ min: 0, max: 3 }),
      ip: fc.constantFrom('10.0.0.1', '10.0.0.2', '203.0.113.1', '203.0.113.2', '198.51.100.9', 'ecs.aliyuncs.com', ''),
      ua: fc.constantFrom('Aliyun-CLI/3.0.1', 'AlibabaCloud (linux; x64) Node.js/v20 Core/1.0.1 fc-runtime/nodejs20', 'AlibabaCloud (linux; x64) Node.js/v20', ''),
      vpc: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 40 }), fc.nat(), (calls, cut) => {
        const agentOf = agentClassifier();
        const viaCall = (list: typeof calls) => {
          const t = new OriginTally();
          for (const c of list) t.call(day(c.d) + c.s * 1000, c.ip, c.ua, c.vpc ? 'vpc-1' : '', agentOf);
          return t;
        };
        const viaAdd = new OriginTally();
        for (const c of calls) viaAdd.add(day(c.d) + c.s * 1000, c.vpc ? 'internal' : classifyIp(c.ip), c.ip, classifyAgent(c.ua), c.ua);
        const at = cut % calls.length;
        expect(viaCall(calls).toJSON()).toEqual(viaAdd.toJSON());
        expect(viaCall([...calls].reverse()).toJSON()).toEqual(viaAdd.toJSON());
        expect(viaCall(calls.slice(at)).merge(viaCall(calls.slice(0, at))).view(day(-5))).toEqual(viaAdd.view(day(-5)));
      }),
      { numRuns: 300 },
    );
  });
});
