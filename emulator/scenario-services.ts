/**
 * Scenario schema of the account's ActionTrail trails and KMS secrets. Fields are the friendly names a
 * scenario author thinks in; `build-services.ts` turns them into the records the API handlers answer from.
 */
import { z } from 'zod';
import { EVENT_RW, SECRET_TYPES, TRAIL_STATUSES } from './model.js';
import { DEFAULT_REGION, Duration, RelativeDate } from './scenario-common.js';

/** Region ids as Alibaba Cloud spells them (`cn-hangzhou`, `ap-southeast-1`). */
const Region = z.string().regex(/^[a-z]{2}-[a-z0-9-]+$/, { message: 'use a region id like "cn-hangzhou"' });

/**
 * An ActionTrail trail. `status` is the single source of truth for logging: `Enable` logs (GetTrailStatus
 * `IsLogging`), `Disable` was stopped, `Fresh` was created and never started.
 */
export const Trail = z
  .object({
    name: z.string().min(1),
    homeRegion: Region.default(DEFAULT_REGION),
    /** `All` or the one region whose events the trail records. */
    trailRegion: z.union([z.literal('All'), Region]).default('All'),
    eventRW: z.enum(EVENT_RW).default('All'),
    /** A multi-account trail of the Resource Directory; listed only with `IncludeOrganizationTrail=true`. */
    organization: z.boolean().default(false),
    status: z.enum(TRAIL_STATUSES).default('Enable'),
    createDate: RelativeDate.default('-365d'),
    /** Last StartLogging; defaults to `createDate` unless the trail is `Fresh`. */
    startLoggingDate: RelativeDate.optional(),
    /** Last StopLogging; defaults to `-1d` for a `Disable` trail. */
    stopLoggingDate: RelativeDate.optional(),
    /** Delivery to an OSS bucket. `available: false` = the bucket is gone or refuses writes. */
    oss: z
      .object({ bucket: z.string().min(1), prefix: z.string().default(''), region: Region.optional(), available: z.boolean().default(true) })
      .strict()
      .optional(),
    /** Delivery to a Log Service project (ARN `acs:log:<region>:<account>:project/<project>`). */
    sls: z.object({ project: z.string().min(1), region: Region.optional(), available: z.boolean().default(true) }).strict().optional(),
    /** Delivery to a MaxCompute project (ARN `acs:odps:<region>:<account>:project/<project>`). */
    maxCompute: z.object({ project: z.string().min(1), region: Region.optional() }).strict().optional(),
    /** Last successful delivery; default `-5m` while logging, the stop date once stopped; null = never. */
    lastDeliveryDate: RelativeDate.nullable().optional(),
    /** The last failed delivery's log line (GetTrailStatus `LatestDeliveryError`). */
    deliveryError: z.string().default(''),
  })
  .strict();

/** Automatic rotation of a managed secret (Generic secrets cannot rotate). */
const Rotation = z
  .object({
    enabled: z.boolean().default(false),
    /** Required when enabled: `7d`, `12h`, `604800s`. */
    interval: Duration.optional(),
    /** Absent or null = never rotated. */
    lastRotationDate: RelativeDate.nullable().optional(),
    /** Defaults to the last rotation (or creation) plus the interval. */
    nextRotationDate: RelativeDate.optional(),
  })
  .strict()
  .refine((r) => !r.enabled || r.interval !== undefined, { message: 'an enabled rotation needs an interval, e.g. "7d"', path: ['interval'] });

/** A KMS secret's metadata. */
export const Secret = z
  .object({
    name: z.string().min(1),
    type: z.enum(SECRET_TYPES).default('Generic'),
    description: z.string().default(''),
    /** The KMS key protecting the value; derived from the name when absent. */
    encryptionKeyId: z.string().optional(),
    createDate: RelativeDate.default('-180d'),
    rotation: Rotation.optional(),
    /** Scheduled deletion (DeleteSecret with a recovery window), e.g. `+7d`; the secret is gone once it passes. */
    plannedDeleteDate: RelativeDate.optional(),
    tags: z.record(z.string(), z.string()).default({}),
  })
  .strict();
