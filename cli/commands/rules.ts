import { renderCatalog } from '../../shared/rules/catalog.js';
import { ALL_RULES } from '../../shared/rules/registry.js';
import { EXIT, type CliIO } from '../io.js';

/** `ramparts rules`: the catalog, from rule metadata. */
export async function rulesCommand(o: { format: 'table' | 'json' | 'markdown' }, io: CliIO): Promise<number> {
  if (o.format === 'markdown') {
    io.stdout.write(renderCatalog(ALL_RULES));
  } else if (o.format === 'json') {
    const rules = ALL_RULES.map((r) => ({
      id: r.id,
      severity: r.severity,
      title: r.title,
      subjectType: r.subjectType,
      rationale: r.rationale,
      remediation: r.remediation,
      references: r.references,
      params: r.params.parse({}),
    }));
    io.stdout.write(`${JSON.stringify(rules, null, 2)}\n`);
  } else {
    const width = Math.max(...ALL_RULES.map((r) => r.id.length));
    for (const r of ALL_RULES) {
      const cis = r.references.cis.length ? `  [CIS ${r.references.cis.join(', ')}]` : '';
      io.stdout.write(`${r.severity.toUpperCase().padEnd(8)} ${r.id.padEnd(width)}  ${r.title}${cis}\n`);
    }
  }
  return EXIT.ok;
}
