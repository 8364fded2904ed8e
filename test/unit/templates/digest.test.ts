/** Digest renderers: the same figures in the terminal, Slack, DingTalk, SVG and PNG. */
import { describe, expect, it } from 'vitest';
import { renderDigestDingTalk, renderDigestSlack, renderDigestText, trendLine } from '../../../templates/digest/chat.js';
import { answerTime, renderDigestHtml } from '../../../templates/digest/html.js';
import { trendChartPng } from '../../../templates/digest/png.js';
import { niceScale, trendChartSvg } from '../../../templates/digest/svg.js';
import { sampleDigest, TREND_OPEN } from '../../fixtures/digest-model.js';

describe('trend chart (SVG)', () => {
  it('draws one stacked bar per week with a segment per non-zero severity, carrying its count', () => {
    const svg = trendChartSvg(sampleDigest().trend);
    const weeks = [...svg.matchAll(/<g data-week="[^"]+" data-total="(\d+)">/g)].map((m) => Number(m[1]));
    expect(weeks).toEqual(TREND_OPEN.map((o) => Object.values(o).reduce((a, b) => a + b, 0)));
    const lastWeek = svg.slice(svg.lastIndexOf('<g data-week='));
    const segments = [...lastWeek.matchAll(/data-severity="(\w+)" data-count="(\d+)"/g)].map((m) => [m[1], Number(m[2])]);
    expect(segments).toEqual([['low', 2], ['medium', 6], ['high', 3], ['critical', 1]]);
    expect(svg).not.toMatch(/<script|href=/);
  });

  it('scales the axis to a round maximum', () => {
    expect(niceScale(23)).toEqual({ max: 25, step: 5 });
    expect(niceScale(7)).toEqual({ max: 8, step: 2 });
    expect(niceScale(0)).toEqual({ max: 4, step: 1 });
    expect(niceScale(1)).toEqual({ max: 1, step: 1 });
  });

  it('escapes text it did not write', () => {
    const d = sampleDigest();
    d.overdue[0]!.subject = '<img src=x onerror=alert(1)>';
    expect(renderDigestHtml(d)).not.toContain('<img src=x');
    expect(renderDigestHtml(d)).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });
});

describe('trend chart (PNG)', () => {
  it('renders a PNG at twice the SVG size', () => {
    const png = trendChartPng(sampleDigest().trend);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    // IHDR: width and height, big-endian, at bytes 16–23.
    expect([png.readUInt32BE(16), png.readUInt32BE(20)]).toEqual([1280, 600]);
  });
});

describe('chat and terminal digests', () => {
  it('leads with the trend: open now, the change on last week, by severity', () => {
    expect(trendLine(sampleDigest())).toBe('12 open findings (−1 on last week): 1 critical, 3 high, 6 medium, 2 low');
  });

  it('terminal: this week, overdue, riskiest, orphaned and the reviewers to look at', () => {
    const text = renderDigestText(sampleDigest());
    expect(text).toContain('New findings: 3 (8-week mean 2.5); resolved: 4 (mean 3.3)');
    expect(text).toContain('Decisions: 5 kept, 3 revoked (63% kept)');
    expect(text).toContain('Revocations applied: 3; rolled back: 1');
    expect(text).toContain('Mean time to remediate: 6.5 days; open review tasks: 7');
    expect(text).toContain('Overdue (2)');
    expect(text).toContain('Chen Jie: access key LTAI…0001 of report-bot (ram.access-key-unused, high) — 13 d overdue');
    expect(text).toContain('Orphaned identities: 1 (owned by group:security)');
    expect(text).toContain('Zhou Min: answers "keep" to everything; answers in under 10 s (14 answers, 14 kept)');
    expect(text).toContain('Chen Jie: overdue most weeks');
    expect(text).not.toContain('Li Na:');
    // Nine trend rows, the longest bar for the highest count.
    const rows = text.split('\n').filter((l) => /█/.test(l));
    expect(rows).toHaveLength(9);
    expect(rows[0]).toMatch(/█{30} 23$/);
  });

  it('Slack: header, trend, this week, overdue, riskiest, reviewers; the chart image when uploaded', () => {
    const { text, blocks } = renderDigestSlack(sampleDigest(), { chartUrl: 'https://files.example/trend.png' });
    expect(text).toContain('12 open findings');
    expect(blocks[0]).toMatchObject({ type: 'header' });
    expect(blocks.some((b) => b.type === 'image' && 'image_url' in b && b.image_url === 'https://files.example/trend.png')).toBe(true);
    const all = JSON.stringify(blocks);
    expect(all).toContain('*Overdue (2)*');
    expect(all).toContain('Zhou Min: answers \\"keep\\" to everything');
    expect(renderDigestSlack(sampleDigest()).blocks.some((b) => b.type === 'image')).toBe(false);
  });

  it('DingTalk: one markdown message with the same sections', () => {
    const msg = renderDigestDingTalk(sampleDigest());
    expect(msg.msgtype).toBe('markdown');
    expect(msg.markdown.text).toContain('**12 open findings (−1 on last week): 1 critical, 3 high, 6 medium, 2 low**');
    expect(msg.markdown.text).toContain('**Overdue (2)**');
    expect(msg.markdown.text).toContain('- Zhou Min: answers "keep" to everything');
  });
});

describe('answer times in the reviewer table', () => {
  it('reads as seconds, minutes, hours or days', () => {
    expect([4, 119, 120, 7199, 7200, 172_799, 172_800, 439_201].map(answerTime)).toEqual(['4 s', '119 s', '2 min', '120 min', '2 h', '48 h', '2.0 d', '5.1 d']);
  });
});
