/** The policy change as owners read it in a chat prompt: an exact line diff with elided context. */

/** Unchanged lines shown around each change; longer unchanged runs are elided. */
const DIFF_CONTEXT = 3;

/**
 * An exact line diff (longest common subsequence): `- ` removed, `+ ` added, `  ` unchanged, with
 * unchanged runs beyond {@link DIFF_CONTEXT} lines of a change shortened to `  … N unchanged lines`,
 * so the change stays readable in a chat prompt.
 */
export function lineDiff(before: string, after: string): string {
  const x = before.split('\n');
  const y = after.split('\n');
  const lcs: Uint32Array[] = Array.from({ length: x.length + 1 }, () => new Uint32Array(y.length + 1));
  for (let i = x.length - 1; i >= 0; i--) {
    for (let j = y.length - 1; j >= 0; j--) {
      lcs[i]![j] = x[i] === y[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const lines: string[] = [];
  let same: string[] = [];
  const flush = (atEnd: boolean): void => {
    const head = lines.length === 0 ? 0 : DIFF_CONTEXT;
    const tail = atEnd ? 0 : DIFF_CONTEXT;
    const hidden = same.length - head - tail;
    if (hidden >= 3 && (head > 0 || tail > 0)) {
      lines.push(...same.slice(0, head), `  … ${hidden} unchanged lines`, ...same.slice(same.length - tail));
    } else lines.push(...same);
    same = [];
  };
  let [i, j] = [0, 0];
  while (i < x.length || j < y.length) {
    if (i < x.length && j < y.length && x[i] === y[j]) {
      same.push(`  ${x[i]}`);
      i++;
      j++;
      continue;
    }
    flush(false);
    if (i < x.length && (j >= y.length || lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) lines.push(`- ${x[i++]}`);
    else lines.push(`+ ${y[j++]}`);
  }
  flush(true);
  return lines.join('\n');
}

