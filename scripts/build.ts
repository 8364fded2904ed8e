/**
 * `npm run build [-- --outdir DIR]`: one bundle per FC function (scripts/bundle.ts), then a line per
 * bundle with its size and largest packages. Exits 1, naming the bundle and the package, when a bundle
 * holds PGlite or a cloud SDK it must not. A bundle over its size target is flagged; --enforce-size-targets fails on it.
 */
import { parseArgs } from 'node:util';
import { BundleCheckError, buildFunctions, type BundleReport } from './bundle.js';

const { values } = parseArgs({ options: { outdir: { type: 'string', default: 'dist' }, 'enforce-size-targets': { type: 'boolean', default: false } } });

const mb = (bytes: number) => `${(bytes / 1_000_000).toFixed(2)} MB`;

function print(reports: BundleReport[]): void {
  for (const r of reports) {
    const kb = (p: { name: string; bytes: number }) => `${p.name} ${(p.bytes / 1024).toFixed(0)}k`;
    const top = r.eagerPackages.slice(0, 6).map(kb).join(', ');
    const stubbed = r.stubbed.length > 0 ? `; left out: ${r.stubbed.join(', ')}` : '';
    const over = r.bytes >= r.cap ? ', over it' : '';
    console.log(`${r.problems.length > 0 ? 'FAIL' : 'ok  '} ${r.file}  ${mb(r.bytes)} at start (target ${(r.cap / 1_000_000).toFixed(0)} MB${over}) — ${top}${stubbed}`);
    for (const c of r.lazyChunks.filter((l) => l.bytes >= 1024)) console.log(`       + ${mb(c.bytes)} on first use: ${c.packages.slice(0, 3).map(kb).join(', ')}`);
  }
}

try {
  print(await buildFunctions({ outdir: values.outdir, enforceSizeCaps: values['enforce-size-targets'] }));
} catch (err) {
  if (!(err instanceof BundleCheckError)) throw err;
  print(err.reports);
  console.error(err.message);
  process.exitCode = 1;
}
