/**
 * Builds an account's ActionTrail trails and KMS secrets from its scenario, resolving relative dates
 * against the clock at load time (like `build-state.ts` does for RAM entities).
 */
import { durationSeconds, resolveDate, resolveOptionalDate } from './dates.js';
import { stableAlnum } from './ids.js';
import type { SecretRecord, TrailDestination, TrailRecord } from './model.js';
import type { AccountScenario } from './scenario.js';

type ScenarioTrail = AccountScenario['trails'][number];
type ScenarioSecret = AccountScenario['secrets'][number];

/** The service-linked role ActionTrail writes with (the SDK docs' example ARNs all name it). */
function actionTrailRole(accountId: string): string {
  return `acs:ram::${accountId}:role/aliyunserviceroleforactiontrail`;
}

function destinations(t: ScenarioTrail, accountId: string): Pick<TrailRecord, 'oss' | 'sls' | 'maxCompute'> {
  const role = actionTrailRole(accountId);
  const project = (service: string, region: string | undefined, name: string): string =>
    `acs:${service}:${region ?? t.homeRegion}:${accountId}:project/${name}`;
  const dest = (d: Partial<TrailDestination> & { target: string }): TrailDestination => ({ location: '', prefix: '', writeRoleArn: role, available: true, ...d });
  return {
    oss: t.oss
      ? dest({ target: t.oss.bucket, location: `oss-${t.oss.region ?? t.homeRegion}`, prefix: t.oss.prefix, available: t.oss.available })
      : null,
    sls: t.sls ? dest({ target: project('log', t.sls.region, t.sls.project), available: t.sls.available }) : null,
    maxCompute: t.maxCompute ? dest({ target: project('odps', t.maxCompute.region, t.maxCompute.project) }) : null,
  };
}

/** One trail record; logging dates follow from `status` unless the scenario gives them. */
export function trailConfigRecord(t: ScenarioTrail, accountId: string, now: Date): TrailRecord {
  const createDate = resolveDate(t.createDate, now);
  const startLoggingDate = t.startLoggingDate ? resolveDate(t.startLoggingDate, now) : t.status === 'Fresh' ? null : createDate;
  const stopLoggingDate = resolveOptionalDate(t.stopLoggingDate ?? (t.status === 'Disable' ? '-1d' : undefined), now);
  // A logging trail delivers every few minutes; a stopped one last delivered when it stopped.
  const defaultDelivery = t.status === 'Enable' ? resolveDate('-5m', now) : t.status === 'Disable' ? stopLoggingDate : null;
  return {
    name: t.name,
    homeRegion: t.homeRegion,
    trailRegion: t.trailRegion,
    eventRW: t.eventRW,
    organization: t.organization,
    status: t.status,
    ...destinations(t, accountId),
    createDate,
    updateDate: createDate,
    startLoggingDate,
    stopLoggingDate,
    lastDeliveryDate: t.lastDeliveryDate === undefined ? defaultDelivery : resolveOptionalDate(t.lastDeliveryDate, now),
    deliveryError: t.deliveryError,
  };
}

/** One secret record; the next rotation defaults to the last one (or creation) plus the interval. */
export function secretRecord(s: ScenarioSecret, accountId: string, now: Date): SecretRecord {
  const createDate = resolveDate(s.createDate, now);
  const rotation = s.rotation;
  const enabled = rotation?.enabled ?? false;
  const interval = enabled && rotation?.interval ? durationSeconds(rotation.interval) : null;
  const lastRotationDate = resolveOptionalDate(rotation?.lastRotationDate, now);
  let nextRotationDate: Date | null = null;
  if (enabled && rotation?.nextRotationDate) nextRotationDate = resolveDate(rotation.nextRotationDate, now);
  else if (interval !== null) nextRotationDate = new Date((lastRotationDate ?? createDate).getTime() + interval * 1000);
  return {
    name: s.name,
    type: s.type,
    description: s.description,
    // Newer KMS key ids look like `key-hzz63ca8cbe3hefht****` (SDK example); stable per account and name.
    encryptionKeyId: s.encryptionKeyId ?? `key-${stableAlnum('kms-key', `${accountId}/${s.name}`, 21).toLowerCase()}`,
    createDate,
    updateDate: lastRotationDate && lastRotationDate > createDate ? lastRotationDate : createDate,
    plannedDeleteDate: resolveOptionalDate(s.plannedDeleteDate, now),
    rotationEnabled: enabled,
    rotationIntervalSeconds: interval,
    lastRotationDate,
    nextRotationDate,
    tags: new Map(Object.entries(s.tags)),
  };
}
