/**
 * The trend chart as a PNG for chat (Slack and DingTalk show images, not SVG), rendered by resvg from
 * the same SVG the HTML report embeds. Text needs a font: resvg loads the system's fonts and falls back
 * to DejaVu Sans (Debian's fonts-dejavu-core); a runtime without fonts renders the bars without labels.
 */
import { Resvg } from '@resvg/resvg-js';
import type { WeekPoint } from '../../shared/digest/types.js';
import { trendChartSvg } from './svg.js';

/** PNG bytes of the trend chart at `scale` × its 640 × 300 size (2 = crisp on high-density screens). */
export function trendChartPng(points: readonly WeekPoint[], opts: { scale?: number } = {}): Buffer {
  const svg = trendChartSvg(points);
  const resvg = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: opts.scale ?? 2 },
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans' },
    background: '#ffffff',
  });
  return resvg.render().asPng();
}
