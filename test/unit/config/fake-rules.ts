/** Two tiny rules with zod params, so config tests do not depend on the real registry. */
import { z } from 'zod';
import { defineRule, type Rule } from '../../../shared/rules/types.js';

const base = {
  rationale: 'test rule',
  remediation: 'test rule',
  references: { cis: [], docs: [] },
  requires: [],
  evaluate: () => [],
};

export const accessKeyStale = defineRule({
  ...base,
  id: 'ram.access-key-stale',
  title: 'Access key older than the maximum age',
  severity: 'medium',
  subjectType: 'accessKey',
  params: z.object({ maxAgeDays: z.int().min(1).default(90) }),
});

export const userConsoleInactive = defineRule({
  ...base,
  id: 'ram.user-console-inactive',
  title: 'Console user has not logged on recently',
  severity: 'low',
  subjectType: 'user',
  params: z.object({ inactiveDays: z.int().min(1).default(90) }),
});

export const FAKE_RULES: readonly Rule[] = [accessKeyStale, userConsoleInactive];
