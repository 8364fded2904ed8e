import type { ProgressEvent } from '../shared/inventory/context.js';

/**
 * Progress on stderr for long scans: silent for the first second (short scans print nothing), then
 * at most one line per second; on a terminal the line is rewritten in place.
 */
export function progressReporter(stderr: NodeJS.WritableStream & { isTTY?: boolean }, enabled: boolean, now: () => number = () => performance.now()) {
  const start = now();
  let last = 0;
  let wrote = false;
  const report = (e: ProgressEvent) => {
    if (!enabled) return;
    const t = now();
    if (t - start < 1000 || t - last < 1000) return;
    last = t;
    const counts = e.total !== undefined ? ` ${e.done ?? 0}/${e.total}` : '';
    const line = `ramparts: scanning… ${e.phase}${counts} (${Math.round((t - start) / 1000)} s)`;
    if (stderr.isTTY) stderr.write(`\r\x1b[2K${line}`);
    else stderr.write(`${line}\n`);
    wrote = true;
  };
  const done = () => {
    if (wrote && stderr.isTTY) stderr.write('\r\x1b[2K');
  };
  return { report, done };
}
