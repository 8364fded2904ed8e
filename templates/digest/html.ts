/**
 * The weekly digest as one self-contained HTML file (`ramparts digest --html FILE`): inline CSS and SVG
 * charts, no script and no external resource, so it opens offline, prints, and can be attached to an
 * audit ticket. Figures carry `data-figure` attributes (and charts `data-*`), which the browser test reads.
 */
import { SEVERITIES } from '../../shared/domain/finding.js';
import type { DigestModel, ReviewerFlag } from '../../shared/digest/types.js';
import { barChartSvg, escapeXml, SEVERITY_COLOR, shortDay, trendChartSvg } from './svg.js';

const FLAG_TEXT: Record<ReviewerFlag, string> = {
  'all-keep': 'answers "keep" to everything',
  fast: 'answers in under 10 seconds',
  'chronic-overdue': 'overdue most weeks',
};

const esc = escapeXml;

function ratio(r: number | null): string {
  return r === null ? '–' : `${Math.round(r * 100)}%`;
}

function days(d: number | null): string {
  return d === null ? '–' : `${d.toFixed(1)} d`;
}

/** A key figure with the previous weeks' mean beside it. */
function tile(label: string, figure: string, value: string, previous?: string): string {
  return `<div class="tile"><div class="label">${esc(label)}</div><div class="value" data-figure="${figure}">${esc(value)}</div>${
    previous === undefined ? '' : `<div class="prev">8-week mean ${esc(previous)}</div>`
  }</div>`;
}

function table(figure: string, head: string[], rows: string[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty" data-figure="${figure}" data-rows="0">${esc(empty)}</p>`;
  return `<table data-figure="${figure}" data-rows="${rows.length}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${c}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/** "4 s", "12 min", "5 h", "5.1 d": a median answer time people can read. */
export function answerTime(seconds: number): string {
  if (seconds < 120) return `${Math.round(seconds)} s`;
  if (seconds < 2 * 3600) return `${Math.round(seconds / 60)} min`;
  if (seconds < 48 * 3600) return `${Math.round(seconds / 3600)} h`;
  return `${(seconds / 86_400).toFixed(1)} d`;
}

const sev = (s: string) => `<span class="sev" style="background:${SEVERITY_COLOR[s as keyof typeof SEVERITY_COLOR] ?? '#999'}">${esc(s)}</span>`;

export function renderDigestHtml(d: DigestModel, opts: { title?: string } = {}): string {
  const title = opts.title ?? 'ramparts weekly access review digest';
  const period = `${shortDay(d.period.from)} – ${shortDay(new Date(new Date(d.period.to).getTime() - 1).toISOString())}`;
  const openNow = d.trend.at(-1);
  const openTotal = openNow ? SEVERITIES.reduce((n, s) => n + openNow.open[s], 0) : 0;
  const r = d.revocations;

  const sections: string[] = [];
  sections.push(`<section><h2>Trend</h2>${trendChartSvg(d.trend)}</section>`);
  sections.push(`<section><h2>This week</h2><div class="tiles">${[
    tile('Open findings', 'open-findings', String(openTotal)),
    tile('New findings', 'findings-new', String(d.findings.newTotal), d.findings.previous.new.toFixed(1)),
    tile('Resolved findings', 'findings-resolved', String(d.findings.resolvedTotal), d.findings.previous.resolved.toFixed(1)),
    tile('Open review tasks', 'tasks-open', String(d.openTasks.total)),
    tile('Overdue', 'tasks-overdue', String(d.overdue.length)),
    tile('Kept (of keep + revoke)', 'keep-ratio', ratio(d.decisions.keepRatio), ratio(
      d.decisions.previous.keep + d.decisions.previous.revoke === 0 ? null : d.decisions.previous.keep / (d.decisions.previous.keep + d.decisions.previous.revoke),
    )),
    tile('Revocations applied', 'revocations-applied', String(r.applied), r.previous.applied.toFixed(1)),
    tile('Rolled back', 'revocations-rolled-back', String(r.rolledBack), r.previous.rolledBack.toFixed(1)),
    tile('Mean time to remediate', 'mttr', days(d.meanDaysToRemediate.week), days(d.meanDaysToRemediate.previous)),
  ].join('')}</div><div class="charts">${barChartSvg(
    [
      { label: 'new', value: d.findings.newTotal, color: '#e8710a' },
      { label: 'resolved', value: d.findings.resolvedTotal, color: '#188038' },
    ],
    { title: 'Findings this week', chart: 'findings' },
  )}${barChartSvg(
    [
      { label: 'keep', value: d.decisions.keep, color: '#9aa0a6' },
      { label: 'revoke', value: d.decisions.revoke, color: '#b3261e' },
    ],
    { title: 'Owner decisions this week', chart: 'decisions' },
  )}</div></section>`);

  sections.push(`<section><h2>New findings</h2>${table('new-by-rule', ['rule', 'severity', 'count'], d.findings.new.map((c) => [`<code>${esc(c.rule)}</code>`, sev(c.severity), String(c.count)]), 'None this week.')}</section>`);
  sections.push(`<section><h2>Resolved findings</h2>${table('resolved-by-rule', ['rule', 'severity', 'count'], d.findings.resolved.map((c) => [`<code>${esc(c.rule)}</code>`, sev(c.severity), String(c.count)]), 'None this week.')}</section>`);
  sections.push(`<section><h2>Overdue</h2>${table(
    'overdue',
    ['owner', 'subject', 'rule', 'severity', 'due', 'days over'],
    d.overdue.map((o) => [esc(o.owner), esc(o.subject), `<code>${esc(o.rule)}</code>`, sev(o.severity), esc(shortDay(o.dueAt)), String(o.daysOverdue)]),
    'Nothing is overdue.',
  )}</section>`);
  const age = d.openTasks.byAge;
  sections.push(`<section><h2>Open tasks</h2>${table(
    'open-by-owner',
    ['owner', 'open', 'oldest (days)'],
    d.openTasks.byOwner.map((o) => [esc(o.name), String(o.open), String(o.oldestDays)]),
    'No open tasks.',
  )}<p class="ages" data-figure="open-by-age">Age: <b>${age.under7Days}</b> under 7 days · <b>${age.under30Days}</b> 7–30 days · <b>${age.under90Days}</b> 30–90 days · <b>${age.older}</b> older</p></section>`);
  sections.push(`<section><h2>Riskiest identities</h2>${table(
    'top-risky',
    ['identity', 'score', 'open findings', 'highest'],
    d.topRisky.map((t) => [esc(t.subject), String(t.score), String(t.findings), sev(t.highest)]),
    'No open findings.',
  )}</section>`);
  sections.push(`<section><h2>Orphaned identities</h2>${table(
    'orphaned',
    ['identity', 'rule', 'owned by'],
    d.orphaned.map((o) => [esc(o.subject), `<code>${esc(o.rule)}</code>`, esc(o.owner)]),
    'Every identity with a finding has an owner.',
  )}</section>`);
  sections.push(`<section><h2>Reviewers</h2>${table(
    'reviewers',
    ['reviewer', 'answers', 'kept', 'median answer', 'weeks overdue', 'signals'],
    d.reviewers.map((v) => [
      esc(v.name),
      String(v.decisions),
      String(v.keeps),
      v.medianSeconds === null ? '–' : esc(answerTime(v.medianSeconds)),
      String(v.overdueWeeks),
      v.flags.length === 0 ? '' : `<span class="flag">${v.flags.map((f) => esc(FLAG_TEXT[f])).join('; ')}</span>`,
    ]),
    'No reviewer answered in the last 9 weeks.',
  )}</section>`);

  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · ${esc(period)}</title>
<style>
body{font-family:Helvetica,Arial,sans-serif;color:#202124;margin:24px auto;max-width:960px;padding:0 16px}
h1{font-size:22px;margin:0}h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #e0e0e0;padding-bottom:4px}
.meta{color:#5f6368;margin:4px 0 16px}.tiles{display:flex;flex-wrap:wrap;gap:8px}
.tile{border:1px solid #e0e0e0;border-radius:6px;padding:8px 12px;min-width:120px}
.tile .label{font-size:12px;color:#5f6368}.tile .value{font-size:22px;font-weight:bold}.tile .prev{font-size:11px;color:#5f6368}
.charts{display:flex;flex-wrap:wrap;gap:16px;margin-top:12px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:4px 8px;border-bottom:1px solid #f1f3f4}
th{color:#5f6368;font-weight:normal}.sev{color:#fff;border-radius:3px;padding:1px 6px;font-size:11px}
.flag{color:#b3261e}.empty{color:#5f6368}code{font-size:12px}
</style></head>
<body>
<h1>${esc(title)}</h1>
<p class="meta" data-figure="period" data-from="${esc(d.period.from)}" data-to="${esc(d.period.to)}">${esc(period)} · generated ${esc(d.generatedAt)}</p>
${sections.join('\n')}
</body></html>
`;
}
