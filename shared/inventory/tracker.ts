import { SNAPSHOT_PARTS, type PartStatus, type SnapshotPart } from '../domain/snapshot.js';
import { CloudError } from '../errors.js';

/**
 * Records, per snapshot part, what could not be collected. Failures are summarised per action and
 * error code ("ListAccessKeys failed for 3 items: Throttling.User") so the report stays short on
 * large accounts.
 */
export class PartTracker {
  private readonly failures = new Map<SnapshotPart, Map<string, number>>();

  fail(part: SnapshotPart, err: unknown, what?: string): void {
    const key = describe(err, what);
    const byKey = this.failures.get(part) ?? new Map<string, number>();
    byKey.set(key, (byKey.get(key) ?? 0) + 1);
    this.failures.set(part, byKey);
  }

  status(): Record<SnapshotPart, PartStatus> {
    return Object.fromEntries(
      SNAPSHOT_PARTS.map((p) => {
        const byKey = this.failures.get(p);
        if (!byKey) return [p, { complete: true }];
        const error = [...byKey].map(([k, n]) => (n > 1 ? `${k} (×${n})` : k)).join('; ');
        return [p, { complete: false, error }];
      }),
    ) as Record<SnapshotPart, PartStatus>;
  }
}

function describe(err: unknown, what?: string): string {
  if (err instanceof CloudError) return `${err.action}${what ? ` ${what}` : ''}: ${err.cloudCode ?? err.code}`;
  if (err instanceof Error) return `${what ?? 'collection'}: ${err.message.split('\n')[0]}`;
  return `${what ?? 'collection'}: ${String(err)}`;
}
