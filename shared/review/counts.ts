import type { TaskEffect } from './types.js';

/** Counts transitions by their audit action ("task.resolved", …) for the use case summaries. */
export function newTaskCounter(): { add(effects: readonly TaskEffect[]): void; get(action: string): number } {
  const counts = new Map<string, number>();
  return {
    add(effects) {
      for (const e of effects) if (e.type === 'audit') counts.set(e.action, (counts.get(e.action) ?? 0) + 1);
    },
    get: (action) => counts.get(action) ?? 0,
  };
}
