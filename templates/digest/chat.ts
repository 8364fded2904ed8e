/**
 * The weekly digest for chat and the terminal: Slack Block Kit, DingTalk markdown (the group robot's
 * `markdown` message) and plain text. All three say the same thing in the same order (DESIGN "What people
 * see"): the trend, what changed this week, who is overdue, and reviewers whose answers look like
 * rubber-stamping. The full tables live in the HTML report.
 */
import type { KnownBlock } from '@slack/web-api';
import { SEVERITIES, type Severity } from '../../shared/domain/finding.js';
import type { DigestModel, ReviewerFlag } from '../../shared/digest/types.js';
import { SEVERITY_EMOJI } from '../chat/common.js';
import { shortDay } from './svg.js';

const FLAG_TEXT: Record<ReviewerFlag, string> = {
  'all-keep': 'answers "keep" to everything',
  fast: 'answers in under 10 s',
  'chronic-overdue': 'overdue most weeks',
};

/** How many rows of each list chat shows; the HTML report has them all. */
const CHAT_ROWS = 5;

const openTotal = (d: DigestModel, i: number): number => {
  const p = d.trend.at(i);
  return p ? SEVERITIES.reduce((n, s) => n + p.open[s], 0) : 0;
};

function periodText(d: DigestModel): string {
  return `${shortDay(d.period.from)} – ${shortDay(new Date(new Date(d.period.to).getTime() - 1).toISOString())}`;
}

/** "12 open (−3 on last week): 1 critical, 4 high, …" */
export function trendLine(d: DigestModel): string {
  const now = openTotal(d, -1);
  const before = d.trend.length > 1 ? openTotal(d, -2) : now;
  const delta = now - before;
  const change = delta === 0 ? 'same as last week' : `${delta > 0 ? '+' : '−'}${Math.abs(delta)} on last week`;
  const last = d.trend.at(-1);
  const parts = last ? [...SEVERITIES].reverse().filter((s) => last.open[s] > 0).map((s) => `${last.open[s]} ${s}`) : [];
  return `${now} open findings (${change})${parts.length > 0 ? `: ${parts.join(', ')}` : ''}`;
}

/** One line per week, oldest first: the trend for a plain-text reader ("3 Nov ████ 12"). */
export function trendSparkRows(d: DigestModel): string[] {
  const max = Math.max(1, ...d.trend.map((_, i) => openTotal(d, i)));
  return d.trend.map((p, i) => {
    const n = openTotal(d, i);
    return `${shortDay(p.weekStart).padStart(6)} ${'█'.repeat(Math.round((n / max) * 30)).padEnd(30)} ${n}`;
  });
}

function weekLines(d: DigestModel): string[] {
  const k = d.decisions;
  const keep = k.keepRatio === null ? 'no keep/revoke answers' : `${k.keep} kept, ${k.revoke} revoked (${Math.round(k.keepRatio * 100)}% kept)`;
  const mttr = d.meanDaysToRemediate.week === null ? '–' : `${d.meanDaysToRemediate.week.toFixed(1)} days`;
  return [
    `New findings: ${d.findings.newTotal} (8-week mean ${d.findings.previous.new.toFixed(1)}); resolved: ${d.findings.resolvedTotal} (mean ${d.findings.previous.resolved.toFixed(1)})`,
    `Decisions: ${keep}`,
    `Revocations applied: ${d.revocations.applied}; rolled back: ${d.revocations.rolledBack}${d.revocations.failed > 0 ? `; failed: ${d.revocations.failed}` : ''}`,
    `Mean time to remediate: ${mttr}; open review tasks: ${d.openTasks.total}`,
  ];
}

function overdueLines(d: DigestModel): string[] {
  const rows = d.overdue.slice(0, CHAT_ROWS).map((o) => `${o.owner}: ${o.subject} (${o.rule}, ${o.severity}) — ${o.daysOverdue} d overdue`);
  if (d.overdue.length > CHAT_ROWS) rows.push(`… and ${d.overdue.length - CHAT_ROWS} more`);
  return rows;
}

function reviewerLines(d: DigestModel): string[] {
  return d.reviewers.filter((r) => r.flags.length > 0).map((r) => `${r.name}: ${r.flags.map((f) => FLAG_TEXT[f]).join('; ')} (${r.decisions} answers, ${r.keeps} kept)`);
}

function riskyLines(d: DigestModel): string[] {
  return d.topRisky.slice(0, CHAT_ROWS).map((t) => `${t.subject} — score ${t.score}, ${t.findings} open, highest ${t.highest}`);
}

/** The terminal digest (`ramparts digest`, the demo). */
export function renderDigestText(d: DigestModel): string {
  const out = [`ramparts weekly digest · ${periodText(d)}`, '', trendLine(d), ...trendSparkRows(d), '', 'This week', ...weekLines(d).map((l) => `  ${l}`)];
  const overdue = overdueLines(d);
  out.push('', `Overdue (${d.overdue.length})`, ...(overdue.length > 0 ? overdue.map((l) => `  ${l}`) : ['  nothing is overdue']));
  const risky = riskyLines(d);
  if (risky.length > 0) out.push('', 'Riskiest identities', ...risky.map((l) => `  ${l}`));
  if (d.orphaned.length > 0) out.push('', `Orphaned identities: ${d.orphaned.length} (owned by ${[...new Set(d.orphaned.map((o) => o.owner))].join(', ')})`);
  const reviewers = reviewerLines(d);
  out.push('', 'Reviewers to look at', ...(reviewers.length > 0 ? reviewers.map((l) => `  ${l}`) : ['  none: no rubber-stamping signals']));
  return `${out.join('\n')}\n`;
}

const mrkdwnEscape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Slack Block Kit for the security channel; `chartUrl` (the trend PNG, once uploaded) adds an image block. */
export function renderDigestSlack(d: DigestModel, opts: { chartUrl?: string } = {}): { text: string; blocks: KnownBlock[] } {
  const sevLine = (() => {
    const last = d.trend.at(-1);
    if (!last) return '';
    return [...SEVERITIES].reverse().map((s: Severity) => `${SEVERITY_EMOJI[s]} ${last.open[s]} ${s}`).join('   ');
  })();
  const section = (text: string): KnownBlock => ({ type: 'section', text: { type: 'mrkdwn', text: text.slice(0, 3000) } });
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: `ramparts weekly digest · ${periodText(d)}`.slice(0, 150) } },
    section(`*${mrkdwnEscape(trendLine(d))}*\n${sevLine}`),
  ];
  if (opts.chartUrl) blocks.push({ type: 'image', image_url: opts.chartUrl, alt_text: 'Open findings by severity over 9 weeks' });
  blocks.push(section(`*This week*\n${weekLines(d).map((l) => `• ${mrkdwnEscape(l)}`).join('\n')}`));
  const overdue = overdueLines(d);
  blocks.push(section(`*Overdue (${d.overdue.length})*\n${overdue.length > 0 ? overdue.map((l) => `• ${mrkdwnEscape(l)}`).join('\n') : 'Nothing is overdue.'}`));
  const risky = riskyLines(d);
  if (risky.length > 0) blocks.push(section(`*Riskiest identities*\n${risky.map((l) => `• ${mrkdwnEscape(l)}`).join('\n')}`));
  const reviewers = reviewerLines(d);
  blocks.push(section(`*Reviewers to look at*\n${reviewers.length > 0 ? reviewers.map((l) => `• ${mrkdwnEscape(l)}`).join('\n') : 'None: no rubber-stamping signals.'}`));
  return { text: `ramparts weekly digest: ${trendLine(d)}`, blocks };
}

/** DingTalk group robot `markdown` message (title + text); `chartUrl` adds the trend image. */
export function renderDigestDingTalk(d: DigestModel, opts: { chartUrl?: string } = {}): { msgtype: 'markdown'; markdown: { title: string; text: string } } {
  const lines = [`### ramparts weekly digest · ${periodText(d)}`, '', `**${trendLine(d)}**`, ''];
  if (opts.chartUrl) lines.push(`![trend](${opts.chartUrl})`, '');
  lines.push('**This week**', '', ...weekLines(d).map((l) => `- ${l}`), '');
  const overdue = overdueLines(d);
  lines.push(`**Overdue (${d.overdue.length})**`, '', ...(overdue.length > 0 ? overdue.map((l) => `- ${l}`) : ['- nothing is overdue']), '');
  const risky = riskyLines(d);
  if (risky.length > 0) lines.push('**Riskiest identities**', '', ...risky.map((l) => `- ${l}`), '');
  const reviewers = reviewerLines(d);
  lines.push('**Reviewers to look at**', '', ...(reviewers.length > 0 ? reviewers.map((l) => `- ${l}`) : ['- none: no rubber-stamping signals']));
  return { msgtype: 'markdown', markdown: { title: `ramparts weekly digest ${periodText(d)}`, text: lines.join('\n') } };
}
