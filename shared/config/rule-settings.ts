/**
 * What the engine needs per rule: the config's override merged over the rule's own metadata.
 */
import type { z } from 'zod';
import type { Severity } from '../domain/finding.js';
import type { Rule } from '../rules/types.js';
import type { Config } from './schema.js';

/** The effective settings of one rule. */
export interface RuleSettings<P> {
  enabled: boolean;
  severity: Severity;
  params: P;
}

/**
 * Merges `config.rules[rule.id]` over the rule's defaults. Params are parsed again with the rule's
 * schema to recover their static type; config params are already that schema's output, and params
 * schemas are plain objects with defaults, so this is idempotent.
 */
export function ruleSettings<S extends z.ZodType>(config: Pick<Config, 'rules'>, rule: Rule<S>): RuleSettings<z.output<S>> {
  const override = config.rules[rule.id];
  return {
    enabled: override?.enabled ?? true,
    severity: override?.severity ?? rule.severity,
    params: rule.params.parse(override?.params ?? {}),
  };
}
