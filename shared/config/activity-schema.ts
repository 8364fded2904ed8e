/**
 * The `activity` section: where the scan reads identity activity (ActionTrail, or a trail's SLS
 * Logstore or OSS bucket) and how far back the usage index reaches. Every field has a default; the
 * SLS and OSS settings are checked only when that source is chosen, each missing field named.
 */
import { z } from 'zod';
import { endpointSchema, intIn, nonBlank, regionIdSchema } from './fields.js';

/** Activity sources; `none` skips activity (usage-based rules then report unknown). */
export const ACTIVITY_SOURCES = ['actiontrail', 'sls', 'oss', 'none'] as const;
export type ActivitySource = (typeof ACTIVITY_SOURCES)[number];

const slsSchema = z.strictObject({
  endpoint: endpointSchema.optional(),
  project: nonBlank('the SLS project the trail delivers to'),
  logstore: nonBlank('the trail’s Logstore, e.g. actiontrail_<trailName>'),
});

const ossSchema = z.strictObject({
  bucket: nonBlank('the OSS bucket the trail delivers to'),
  prefix: nonBlank('the trail’s OssKeyPrefix').optional(),
  region: regionIdSchema,
  regions: z.array(regionIdSchema).default([]),
});

/** What `activity.source: x` needs: field → hint, reported as `activity.<x>.<field>` when missing. */
const REQUIRED: Record<'sls' | 'oss', Record<string, string>> = {
  sls: { project: 'the SLS project the trail delivers to', logstore: 'the trail’s Logstore, e.g. actiontrail_<trailName>' },
  oss: { bucket: 'the OSS bucket the trail delivers to', region: 'the bucket’s region, e.g. cn-hangzhou' },
};

export const activitySchema = z
  .strictObject({
    source: z.enum(ACTIVITY_SOURCES, { error: `must be one of ${ACTIVITY_SOURCES.join(', ')}` }).default('actiontrail'),
    lookbackDays: intIn(1, 365).default(90),
    retentionDays: intIn(1, 365).default(90),
    globalEvents: z.boolean({ error: 'must be true or false' }).default(true),
    sls: slsSchema.nullable().default(null),
    oss: ossSchema.nullable().default(null),
  })
  .superRefine((activity, ctx) => {
    const source = activity.source;
    if (source === 'actiontrail' || source === 'none') return;
    if (activity[source] !== null) return;
    for (const [field, hint] of Object.entries(REQUIRED[source])) {
      ctx.addIssue({ code: 'custom', path: [source, field], message: `is required when activity.source is ${source}: ${hint}` });
    }
  });

/** The validated `activity` section. */
export type ActivityConfig = z.output<typeof activitySchema>;
