import { describe, expect, it } from 'vitest';
import { activeExclusions, type Exclusion } from '../../../shared/config/index.js';

describe('activeExclusions', () => {
  const forever: Exclusion = { pattern: 'svc-*', reason: 'no expiry' };
  const lapsing: Exclusion = { pattern: 'ci-*', reason: 'until migration', expires: '2025-03-31' };

  it('keeps an exclusion through the whole of its expiry day (UTC) and drops it after', () => {
    expect(activeExclusions([forever, lapsing], new Date('2025-03-31T23:59:59Z'))).toEqual([forever, lapsing]);
    expect(activeExclusions([forever, lapsing], new Date('2025-04-01T00:00:00Z'))).toEqual([forever]);
  });
});
