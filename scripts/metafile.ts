/** Reading esbuild metafiles: which packages a bundle holds, and through which imports one got in. */
import type { Metafile } from 'esbuild';

export interface PackageSize {
  /** npm package name, or the top folder of own code (`shared/review`), or `stub:<what>` for a build stub. */
  name: string;
  bytes: number;
}

/** The package (or own-code folder) an input path belongs to. */
export function packageOf(input: string): string {
  const i = input.lastIndexOf('node_modules/');
  if (i >= 0) {
    const [a, b] = input.slice(i + 'node_modules/'.length).split('/');
    return a!.startsWith('@') ? `${a}/${b}` : a!;
  }
  if (input.startsWith('ramparts-stub:')) return `stub:${input.slice('ramparts-stub:'.length)}`;
  return input.split('/').slice(0, 2).join('/');
}

/** Bytes per package in the given outputs (default: all of them), largest first. */
export function bundlePackages(meta: Metafile, only?: Iterable<string>): PackageSize[] {
  const sizes = new Map<string, number>();
  const keep = only === undefined ? null : new Set(only);
  for (const [path, output] of Object.entries(meta.outputs)) {
    if (keep && !keep.has(path)) continue;
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      const name = packageOf(input);
      sizes.set(name, (sizes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return [...sizes].map(([name, bytes]) => ({ name, bytes })).filter((p) => p.bytes > 0).sort((a, b) => b.bytes - a.bytes);
}

/** The shortest import chain from the entry point to a file of `pkg`, or undefined if it is not bundled. */
export function importChain(meta: Metafile, pkg: string): string[] | undefined {
  const entry = Object.keys(meta.inputs).find((f) => f.startsWith('functions/'));
  if (!entry) return undefined;
  const prev = new Map<string, string | null>([[entry, null]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (packageOf(file) === pkg) {
      const chain: string[] = [];
      for (let f: string | null | undefined = file; f; f = prev.get(f)) chain.unshift(f);
      return chain;
    }
    for (const imp of meta.inputs[file]?.imports ?? []) {
      if (!prev.has(imp.path) && meta.inputs[imp.path]) {
        prev.set(imp.path, file);
        queue.push(imp.path);
      }
    }
  }
  return undefined;
}
