import { describe, expect, it } from 'vitest';
import { ActionPacer, type PacerClock } from '../../../shared/cloud/pacer.js';

/** A manual clock: sleeps advance time instantly, so pacing is measured, not waited for. */
function manualClock(): PacerClock & { t: number } {
  const c = {
    t: 0,
    now: () => c.t,
    sleep: async (ms: number) => {
      c.t += ms;
    },
  };
  return c;
}

describe('ActionPacer', () => {
  it('does not pace until throttled, then starts from what got through and backs off below a refused rate', async () => {
    const clock = manualClock();
    const pacer = new ActionPacer(clock);
    for (let i = 0; i < 40; i++) {
      await pacer.acquire();
      clock.t += 10;
      pacer.onSuccess();
    }
    expect(pacer.rate).toBe(Infinity);
    pacer.onThrottle();
    expect(pacer.rate).toBe(40); // what got through in the last second of the burst
    expect(pacer.epoch).toBe(1);
    clock.t += 1000;
    pacer.onThrottle();
    expect(pacer.rate).toBeCloseTo(36, 5); // 90 % of the refused rate
    expect(pacer.epoch).toBe(2);
  });

  it('counts a burst of throttled in-flight requests as one decrease', async () => {
    const clock = manualClock();
    const pacer = new ActionPacer(clock);
    for (let i = 0; i < 50; i++) {
      clock.t += 20;
      pacer.onSuccess();
    }
    for (let i = 0; i < 8; i++) pacer.onThrottle();
    expect(pacer.epoch).toBe(1);
    expect(pacer.rate).toBe(50);
  });

  it('spaces sends at the learned rate and climbs back when no longer throttled', async () => {
    const clock = manualClock();
    const pacer = new ActionPacer(clock);
    for (let i = 0; i < 20; i++) {
      clock.t += 50;
      pacer.onSuccess();
    }
    pacer.onThrottle(); // burst: 20/s got through
    clock.t += 1000;
    pacer.onThrottle(); // refused at 20/s: ceiling 20, rate 18
    expect(pacer.rate).toBeCloseTo(18, 5);
    const start = clock.t;
    for (let i = 0; i < 18; i++) {
      await pacer.acquire();
      pacer.onSuccess();
    }
    const elapsed = clock.t - start;
    expect(elapsed).toBeGreaterThan(850);
    expect(elapsed).toBeLessThan(1000);
    // A low estimate is not a cage: after enough successes the rate passes the old ceiling.
    for (let i = 0; i < 2000; i++) {
      await pacer.acquire();
      pacer.onSuccess();
    }
    expect(pacer.rate).toBeGreaterThan(30);
  });

  it('starts at a conservative guess when throttled before it has measured anything', () => {
    const pacer = new ActionPacer(manualClock());
    pacer.onThrottle();
    expect(pacer.rate).toBe(10);
  });
});
