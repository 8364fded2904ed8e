/**
 * Rewrites the rule catalog in README.md between `<!-- rules:start -->` and `<!-- rules:end -->`.
 * `--check` changes nothing and exits 1 when the README is out of date (for CI).
 * Run: `npm run docs:rules` (or `npx tsx scripts/rules-doc.ts [--check]`).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderCatalog, replaceCatalogRegion } from '../shared/rules/catalog.js';
import { ALL_RULES } from '../shared/rules/registry.js';

const readmePath = fileURLToPath(new URL('../README.md', import.meta.url));
const current = readFileSync(readmePath, 'utf8');
const wanted = replaceCatalogRegion(current, renderCatalog(ALL_RULES));

if (process.argv.includes('--check')) {
  if (current !== wanted) {
    console.error('README.md rule catalog is out of date: run `npm run docs:rules`.');
    process.exit(1);
  }
  console.log('README.md rule catalog is up to date.');
} else if (current === wanted) {
  console.log('README.md rule catalog already up to date.');
} else {
  writeFileSync(readmePath, wanted);
  console.log(`README.md rule catalog updated (${ALL_RULES.length} rules).`);
}
