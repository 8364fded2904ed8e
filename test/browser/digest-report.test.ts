/**
 * The HTML digest in a real browser: Debian's headless Chromium, driven by playwright-core, opens the
 * report file and checks that the charts render (bars laid out with heights proportional to their counts)
 * and that the figures shown are the model's. Chromium is required: CI installs it (.ci/run); a machine
 * without it fails here with the command to install it, never skips.
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SEVERITIES } from '../../shared/domain/finding.js';
import { renderDigestHtml } from '../../templates/digest/html.js';
import { sampleDigest } from '../fixtures/digest-model.js';

const CHROMIUM = process.env.RAMPARTS_CHROMIUM ?? '/usr/bin/chromium';
const model = sampleDigest();
let browser: Browser;
let page: Page;
let dir: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: install Debian's chromium (apt-get install -y chromium) or set RAMPARTS_CHROMIUM to its path`);
  }
  dir = mkdtempSync(join(tmpdir(), 'ramparts-digest-'));
  const file = join(dir, 'digest.html');
  writeFileSync(file, renderDigestHtml(model));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage({ viewport: { width: 1000, height: 800 } });
  // No network: a self-contained report makes no request but its own file.
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  expect(requests).toEqual([pathToFileURL(file).href]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('HTML digest in Chromium', () => {
  it('renders the trend chart: a bar per week, each segment as tall as its count', async () => {
    const bars = await page.$$eval('svg[data-chart="trend"] g[data-week]', (groups) =>
      groups.map((g) => ({
        week: g.getAttribute('data-week'),
        total: Number(g.getAttribute('data-total')),
        segments: [...g.querySelectorAll('rect[data-severity]')].map((r) => {
          const box = r.getBoundingClientRect();
          return { severity: r.getAttribute('data-severity'), count: Number(r.getAttribute('data-count')), height: box.height, width: box.width };
        }),
      })),
    );
    expect(bars.map((b) => b.week)).toEqual(model.trend.map((p) => p.weekStart));
    for (const [i, bar] of bars.entries()) {
      const point = model.trend[i]!;
      expect(bar.total).toBe(SEVERITIES.reduce((n, s) => n + point.open[s], 0));
      expect(Object.fromEntries(bar.segments.map((s) => [s.severity, s.count]))).toEqual(Object.fromEntries(SEVERITIES.filter((s) => point.open[s] > 0).map((s) => [s, point.open[s]])));
      for (const s of bar.segments) expect(s.width).toBeGreaterThan(10);
    }
    // Heights are proportional to counts across the whole chart.
    const all = bars.flatMap((b) => b.segments);
    const perUnit = all[0]!.height / all[0]!.count;
    expect(perUnit).toBeGreaterThan(1);
    for (const s of all) expect(s.height).toBeCloseTo(s.count * perUnit, 0);
  });

  it('renders the two bar charts with the week’s figures', async () => {
    const read = (chart: string) =>
      page.$$eval(`svg[data-chart="${chart}"] g[data-label]`, (gs) => gs.map((g) => [g.getAttribute('data-label'), Number(g.getAttribute('data-value')), g.querySelector('rect')!.getBoundingClientRect().width]));
    const findings = await read('findings');
    expect(findings.map(([l, v]) => [l, v])).toEqual([['new', model.findings.newTotal], ['resolved', model.findings.resolvedTotal]]);
    expect(findings[1]![2] as number).toBeGreaterThan(findings[0]![2] as number);
    const decisions = await read('decisions');
    expect(decisions.map(([l, v]) => [l, v])).toEqual([['keep', model.decisions.keep], ['revoke', model.decisions.revoke]]);
  });

  it('shows the model’s figures in the tiles and tables', async () => {
    const figure = (name: string) => page.$eval(`[data-figure="${name}"]`, (e) => e.textContent?.trim());
    expect(await figure('open-findings')).toBe('12');
    expect(await figure('findings-new')).toBe(String(model.findings.newTotal));
    expect(await figure('findings-resolved')).toBe(String(model.findings.resolvedTotal));
    expect(await figure('tasks-open')).toBe(String(model.openTasks.total));
    expect(await figure('tasks-overdue')).toBe(String(model.overdue.length));
    expect(await figure('keep-ratio')).toBe('63%');
    expect(await figure('revocations-applied')).toBe('3');
    expect(await figure('mttr')).toBe('6.5 d');
    const rows = (name: string) => page.$eval(`[data-figure="${name}"]`, (e) => Number(e.getAttribute('data-rows')));
    expect(await rows('overdue')).toBe(model.overdue.length);
    expect(await rows('reviewers')).toBe(model.reviewers.length);
    expect(await rows('top-risky')).toBe(model.topRisky.length);
    const flagged = await page.$$eval('[data-figure="reviewers"] tbody tr', (trs) => trs.map((tr) => [tr.children[0]!.textContent, tr.children[5]!.textContent]));
    expect(flagged).toEqual([
      ['Zhou Min', 'answers "keep" to everything; answers in under 10 seconds'],
      ['Chen Jie', 'overdue most weeks'],
      ['Li Na', ''],
    ]);
  });
});
