/**
 * The digest's charts as standalone SVG (no script, no external font or stylesheet), so the same markup
 * sits inline in the HTML report and becomes a PNG for chat (shared/digest/png.ts). Every mark carries
 * its data in `data-*` attributes, which is how the browser test checks the chart against the numbers.
 */
import { SEVERITIES, type Severity } from '../../shared/domain/finding.js';
import type { WeekPoint } from '../../shared/digest/types.js';

/** Highest first in the legend and on top of each stack. */
const STACK_ORDER: readonly Severity[] = [...SEVERITIES].reverse();

export const SEVERITY_COLOR: Record<Severity, string> = {
  critical: '#b3261e',
  high: '#e8710a',
  medium: '#f2b705',
  low: '#1a73e8',
  info: '#9aa0a6',
};

const FONT = 'font-family="Helvetica, Arial, sans-serif"';

export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/** A round axis maximum and its tick step: 1, 2 or 5 × 10ⁿ (counts: never below 1), at most 5 steps. */
export function niceScale(max: number): { max: number; step: number } {
  if (max <= 0) return { max: 4, step: 1 };
  const raw = max / 5;
  const pow = 10 ** Math.floor(Math.log10(raw));
  const step = Math.max(1, [1, 2, 5, 10].map((m) => m * pow).find((s) => s >= raw)!);
  return { max: Math.ceil(max / step) * step, step };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** "3 Nov" in UTC: week starts are UTC midnights. */
export function shortDay(iso: string): string {
  const d = new Date(iso);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]}`;
}

const total = (p: WeekPoint) => SEVERITIES.reduce((n, s) => n + p.open[s], 0);

/**
 * Open findings by severity at each week's end, as stacked bars, oldest week first; the last bar (this
 * week) is outlined. 640 × 300 by default.
 */
export function trendChartSvg(points: readonly WeekPoint[], opts: { width?: number; height?: number; title?: string } = {}): string {
  const width = opts.width ?? 640;
  const height = opts.height ?? 300;
  const title = opts.title ?? 'Open findings by severity, week by week';
  const margin = { top: 36, right: 16, bottom: 48, left: 44 };
  const plotW = width - margin.left - margin.right;
  const plotH = height - margin.top - margin.bottom;
  const { max, step } = niceScale(Math.max(0, ...points.map(total)));
  const y = (v: number) => margin.top + plotH - (v / max) * plotH;
  const slot = points.length > 0 ? plotW / points.length : plotW;
  const barW = Math.max(4, slot * 0.6);

  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}" data-chart="trend">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="${margin.left}" y="20" ${FONT} font-size="14" font-weight="bold" fill="#202124">${escapeXml(title)}</text>`);
  for (let v = 0; v <= max; v += step) {
    out.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#e0e0e0"/>`);
    out.push(`<text x="${margin.left - 6}" y="${(y(v) + 4).toFixed(1)}" ${FONT} font-size="11" text-anchor="end" fill="#5f6368">${v}</text>`);
  }
  points.forEach((p, i) => {
    const x = margin.left + i * slot + (slot - barW) / 2;
    let base = 0;
    out.push(`<g data-week="${escapeXml(p.weekStart)}" data-total="${total(p)}">`);
    // Lowest severity at the bottom, so the critical band sits on top where the eye lands.
    for (const sev of [...STACK_ORDER].reverse()) {
      const n = p.open[sev];
      if (n === 0) continue;
      const top = y(base + n);
      const h = y(base) - top;
      out.push(`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barW.toFixed(1)}" height="${h.toFixed(1)}" fill="${SEVERITY_COLOR[sev]}" data-severity="${sev}" data-count="${n}"><title>${escapeXml(`${shortDay(p.weekStart)}: ${n} ${sev}`)}</title></rect>`);
      base += n;
    }
    if (i === points.length - 1) {
      out.push(`<rect x="${(x - 2).toFixed(1)}" y="${(y(base) - 2).toFixed(1)}" width="${(barW + 4).toFixed(1)}" height="${(y(0) - y(base) + 2).toFixed(1)}" fill="none" stroke="#202124" stroke-width="1.5"/>`);
    }
    out.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(y(base) - 4).toFixed(1)}" ${FONT} font-size="10" text-anchor="middle" fill="#202124">${total(p)}</text>`);
    out.push(`<text x="${(x + barW / 2).toFixed(1)}" y="${(margin.top + plotH + 16).toFixed(1)}" ${FONT} font-size="10" text-anchor="middle" fill="#5f6368">${escapeXml(shortDay(p.weekStart))}</text>`);
    out.push('</g>');
  });
  // Legend, highest severity first.
  let lx = margin.left;
  const ly = height - 14;
  for (const sev of STACK_ORDER) {
    out.push(`<rect x="${lx}" y="${ly - 9}" width="10" height="10" fill="${SEVERITY_COLOR[sev]}"/>`);
    out.push(`<text x="${lx + 14}" y="${ly}" ${FONT} font-size="11" fill="#202124">${sev}</text>`);
    lx += 14 + sev.length * 7 + 16;
  }
  out.push('</svg>');
  return out.join('');
}

export interface BarDatum {
  label: string;
  value: number;
  color?: string;
}

/** A horizontal bar chart (e.g. new vs resolved, keep vs revoke), one labelled bar per datum. */
export function barChartSvg(data: readonly BarDatum[], opts: { title: string; chart: string; width?: number }): string {
  const width = opts.width ?? 420;
  const rowH = 24;
  const labelW = 130;
  const top = 30;
  const height = top + data.length * rowH + 10;
  const max = Math.max(1, ...data.map((d) => d.value));
  const plotW = width - labelW - 50;
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(opts.title)}" data-chart="${escapeXml(opts.chart)}">`);
  out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
  out.push(`<text x="0" y="18" ${FONT} font-size="13" font-weight="bold" fill="#202124">${escapeXml(opts.title)}</text>`);
  data.forEach((d, i) => {
    const yy = top + i * rowH;
    const w = (d.value / max) * plotW;
    out.push(`<g data-label="${escapeXml(d.label)}" data-value="${d.value}">`);
    out.push(`<text x="${labelW - 8}" y="${yy + 15}" ${FONT} font-size="12" text-anchor="end" fill="#202124">${escapeXml(d.label)}</text>`);
    out.push(`<rect x="${labelW}" y="${yy + 3}" width="${Math.max(d.value > 0 ? 2 : 0, w).toFixed(1)}" height="${rowH - 8}" fill="${d.color ?? '#1a73e8'}"/>`);
    out.push(`<text x="${(labelW + w + 6).toFixed(1)}" y="${yy + 15}" ${FONT} font-size="12" fill="#202124">${d.value}</text>`);
    out.push('</g>');
  });
  out.push('</svg>');
  return out.join('');
}
