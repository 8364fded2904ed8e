/**
 * `npx tsx scripts/digest-screenshot.ts REPORT.html OUT.png [--width 960]`: the digest's HTML report as
 * Debian's headless Chromium renders it (playwright-core), for the README. Make the report with
 * `npm run demo` (its last lines name it) or `ramparts digest --html FILE`.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';

const { positionals, values } = parseArgs({ allowPositionals: true, options: { width: { type: 'string', default: '960' } } });
const [input, output] = positionals;
if (!input || !output) {
  console.error('usage: npx tsx scripts/digest-screenshot.ts REPORT.html OUT.png [--width 960]');
  process.exit(2);
}
const executablePath = process.env.RAMPARTS_CHROMIUM ?? '/usr/bin/chromium';
if (!existsSync(executablePath)) {
  console.error(`Chromium not found at ${executablePath}: bash .ci/chromium.sh, or set RAMPARTS_CHROMIUM`);
  process.exit(2);
}
const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
try {
  const page = await browser.newPage({ viewport: { width: Number(values.width), height: 800 }, deviceScaleFactor: 1 });
  await page.goto(pathToFileURL(resolve(input)).href);
  await page.screenshot({ path: resolve(output), fullPage: true });
  console.log(`wrote ${resolve(output)}`);
} finally {
  await browser.close();
}
