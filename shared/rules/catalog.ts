import type { Rule } from './types.js';

/** The README markers between which the generated catalog lives. */
export const CATALOG_START = '<!-- rules:start -->';
/** See {@link CATALOG_START}. */
export const CATALOG_END = '<!-- rules:end -->';

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function showParams(rule: Rule): string {
  const defaults = rule.params.parse({});
  if (typeof defaults !== 'object' || defaults === null) return '—';
  const entries = Object.entries(defaults);
  if (entries.length === 0) return '—';
  return entries.map(([k, v]) => `\`${k}: ${cell(showValue(v))}\``).join(', ');
}

/** A default as JSON; a long list shortened to its first entries and its length (the rule file has it all). */
function showValue(v: unknown): string {
  if (Array.isArray(v) && v.length > 4) return `${JSON.stringify(v.slice(0, 3)).slice(0, -1)},… (${v.length})]`;
  return JSON.stringify(v);
}

/**
 * The rule catalog as Markdown, from metadata only (id, severity, title, CIS refs, documentation
 * links, default params, plan kind). The README region and `ramparts rules --format markdown` both print this.
 */
export function renderCatalog(rules: readonly Rule[]): string {
  const lines = [
    '<!-- Generated from rule metadata by `npm run docs:rules`; edit the rules, not this table. -->',
    '',
    '| Rule | Severity | Title | CIS Alibaba Cloud v2.0 | References | Default params | Proposed change |',
    '|---|---|---|---|---|---|---|',
    ...rules.map((r) =>
      [
        `\`${r.id}\``,
        r.severity,
        cell(r.title),
        r.references.cis.length > 0 ? r.references.cis.join(', ') : '—',
        r.references.docs.length > 0 ? r.references.docs.map((url, i) => `[${i + 1}](${url})`).join(' ') : '—',
        showParams(r),
        r.plan ?? '—',
      ].join(' | '),
    ).map((row) => `| ${row} |`),
  ];
  return `${lines.join('\n')}\n`;
}

function markers(readme: string): { start: number; end: number } {
  const start = readme.indexOf(CATALOG_START);
  const end = readme.indexOf(CATALOG_END);
  if (start < 0 || end < start) throw new Error(`README must contain ${CATALOG_START} followed by ${CATALOG_END}`);
  return { start: start + CATALOG_START.length, end };
}

/** The text between the markers (without them). */
export function catalogRegion(readme: string): string {
  const { start, end } = markers(readme);
  return readme.slice(start, end).replace(/^\n/, '');
}

/** The README with the region between the markers replaced by `catalog`; nothing else changes. */
export function replaceCatalogRegion(readme: string, catalog: string): string {
  const { start, end } = markers(readme);
  return `${readme.slice(0, start)}\n${catalog}${readme.slice(end)}`;
}
