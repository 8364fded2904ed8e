/**
 * The configuration schema: one strict zod object (unknown keys fail) whose `rules` map is built from
 * the rule registry, so rule ids and each rule's params are checked with the rule's own schema.
 */
import { z } from 'zod';
import { SEVERITIES, SUBJECT_TYPES, type Severity } from '../domain/finding.js';
import type { Rule } from '../rules/types.js';
import { endpointSchema, intIn, isoDateSchema, logLevelSchema, nonBlank, protocolSchema, regionIdSchema } from './fields.js';
import { ruleIdHint, unknownRuleMessage } from './suggest.js';
import { accountsSchema } from './accounts-schema.js';
import { activitySchema } from './activity-schema.js';
import { alertsSchema } from './alerts-schema.js';
import { chatSchema, checkPeople, ownersSchema, peopleSchema, remediationSchema, reviewSchema, storeSchema } from './review-schema.js';

/** What the file may say about one rule. `params` holds the rule's params as its own schema parsed them. */
export interface RuleOverride {
  enabled: boolean;
  severity?: Severity;
  params?: unknown;
}

const severitySchema = z.enum(SEVERITIES, { error: `must be one of ${SEVERITIES.join(', ')}` });
const subjectTypeSchema = z.enum(SUBJECT_TYPES, { error: `must be one of ${SUBJECT_TYPES.join(', ')}` });

/** Services whose endpoint can be overridden one by one. */
export const SERVICES = ['ram', 'ims', 'sts', 'actiontrail', 'resourcemanager', 'kms'] as const;
export type Service = (typeof SERVICES)[number];

function ruleOverrideSchema(params: z.ZodType): z.ZodType<RuleOverride> {
  // A rule's params object is made strict here too, so a misspelt param fails instead of being ignored.
  const strictParams = params instanceof z.ZodObject ? params.strict() : params;
  return z.strictObject({
    enabled: z.boolean({ error: 'must be true or false' }).default(true),
    severity: severitySchema.optional(),
    params: strictParams.optional(),
  });
}

function rulesMapSchema(rules: readonly Rule[]): z.ZodType<Partial<Record<string, RuleOverride>>> {
  const shape: Record<string, z.ZodOptional<z.ZodType<RuleOverride>>> = {};
  for (const rule of rules) shape[rule.id] = ruleOverrideSchema(rule.params).optional();
  return z.strictObject(shape);
}

/** `*` and `?` globs, as the engine matches exclusion rule ids. */
function globToRegExp(glob: string): RegExp {
  const body = Array.from(glob, (c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  return new RegExp(`^${body}$`);
}

/** An exact registry id, or a glob (e.g. `ram.access-key-*`) that matches at least one. */
function ruleIdSchema(rules: readonly Rule[]): z.ZodType<string> {
  const ids = rules.map((rule) => rule.id);
  return z.string({ error: 'must be a rule id such as ram.access-key-stale' }).superRefine((id, ctx) => {
    if (/[*?]/.test(id)) {
      const pattern = globToRegExp(id);
      if (!ids.some((known) => pattern.test(known))) {
        ctx.addIssue({ code: 'custom', message: `rule pattern "${id}" matches no rule id; ${ruleIdHint(id, ids)}` });
      }
    } else if (!ids.includes(id)) {
      ctx.addIssue({ code: 'custom', message: unknownRuleMessage(id, ids) });
    }
  });
}

const endpoint = endpointSchema.nullable().default(null);

const DELAY_KEYS = ['retryBaseDelayMs', 'retryMaxDelayMs'];

const cloudSchema = z
  .strictObject({
    regionId: regionIdSchema.default('cn-hangzhou'),
    protocol: protocolSchema.default('https'),
    endpoints: z
      .strictObject({ ram: endpoint, ims: endpoint, sts: endpoint, actiontrail: endpoint, resourcemanager: endpoint, kms: endpoint } satisfies Record<Service, typeof endpoint>)
      .prefault({}),
    concurrency: intIn(1, 64).default(8),
    maxAttempts: intIn(1, 20).default(6),
    retryBaseDelayMs: intIn(1, 60_000).default(200),
    retryMaxDelayMs: intIn(1, 600_000).default(20_000),
    connectTimeoutMs: intIn(100, 120_000).default(5_000),
    readTimeoutMs: intIn(100, 600_000).default(30_000),
  })
  .refine((cloud) => cloud.retryMaxDelayMs >= cloud.retryBaseDelayMs, {
    path: ['retryMaxDelayMs'],
    error: (issue) => {
      const input = issue.input as { retryBaseDelayMs: number };
      return `must be at least cloud.retryBaseDelayMs (${input.retryBaseDelayMs})`;
    },
    // Run even when other cloud fields are wrong, so this problem is reported in the same pass.
    when: (payload) =>
      payload.issues.every((issue) => {
        const key = issue.path?.[0];
        return key !== undefined && !DELAY_KEYS.includes(String(key));
      }),
  });

const scanSchema = z.strictObject({
  credentialReport: z
    .strictObject({
      enabled: z.boolean({ error: 'must be true or false' }).default(true),
      // IMS credential reports cover at most this many users; above it the scan lists users one by one.
      maxUsers: intIn(1, 100_000).default(3500),
      pollIntervalMs: intIn(100, 60_000).default(2_000),
      timeoutMs: intIn(1_000, 3_600_000).default(120_000),
    })
    .prefault({}),
});

function configSchemaWith(rulesField: z.ZodType<Partial<Record<string, RuleOverride>>>, ruleId: z.ZodType<string>) {
  const exclusion = z.strictObject({
    pattern: nonBlank('the identity name or glob it covers, e.g. "svc-legacy-*"'),
    types: z.array(subjectTypeSchema).min(1, { error: 'list at least one type, or leave types out to cover all' }).optional(),
    // Rule ids or globs; globs are matched by the engine, each must match at least one registered rule.
    rules: z.array(ruleId).min(1, { error: 'list at least one rule id, or leave rules out to cover all' }).optional(),
    reason: nonBlank('say why these findings are accepted, e.g. a ticket or decision'),
    // Last day (inclusive, UTC) the exclusion applies; see activeExclusions.
    expires: isoDateSchema.optional(),
  });
  return z.strictObject({
    account: z
      .strictObject({ name: nonBlank('a display name for reports, or null').nullable().default(null) })
      .prefault({}),
    accounts: accountsSchema.prefault({}),
    cloud: cloudSchema.prefault({}),
    scan: scanSchema.prefault({}),
    activity: activitySchema.prefault({}),
    rules: rulesField.prefault({}),
    exclusions: z.array(exclusion).default([]),
    people: peopleSchema,
    owners: ownersSchema,
    review: reviewSchema.prefault({}),
    chat: chatSchema.prefault({}),
    remediation: remediationSchema.prefault({}),
    alerts: alertsSchema.prefault({}),
    store: storeSchema.prefault({}),
    logLevel: logLevelSchema.default('info'),
  }).superRefine((config, ctx) => checkPeople(config, ctx));
}

/** The validated configuration, with every default filled in. */
export type Config = z.output<ReturnType<typeof configSchemaWith>>;
/** One entry of `exclusions`. */
export type Exclusion = Config['exclusions'][number];

/**
 * Builds the schema for a rule registry: `rules` accepts exactly the registry's ids, each
 * `{ enabled, severity?, params? }` with params checked by the rule's own zod schema.
 */
export function buildConfigSchema(rules: readonly Rule[]): z.ZodType<Config> {
  return configSchemaWith(rulesMapSchema(rules), ruleIdSchema(rules));
}
