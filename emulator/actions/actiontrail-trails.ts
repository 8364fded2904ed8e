/**
 * ActionTrail 2020-07-06 DescribeTrails and GetTrailStatus (reference §4.4 and Appendix C) over the
 * account's scenario `trails`. Field names, value sets and which fields are conditional follow the SDK
 * response models (aliyun/alibabacloud-typescript-sdk `actiontrail-20200706` DescribeTrailsResponseBody,
 * GetTrailStatusResponseBody).
 */
import { isoOrUndefined, isoSeconds } from '../dates.js';
import { ApiError } from '../errors.js';
import type { TrailRecord } from '../model.js';
import { DEFAULT_REGION } from '../scenario-common.js';
import type { ActionContext, ActionTable, WireBody } from './context.js';

/**
 * 404 for a trail the account does not have.
 * UNVERIFIED: code and message; the ActionTrail docs name no error for GetTrailStatus on an unknown trail.
 */
function trailNotFound(): ApiError {
  return new ApiError(404, 'TrailNotFoundException', 'The trail does not exist.');
}

/**
 * Whether DescribeTrails in `region` lists the trail: always in its home region; elsewhere only as a
 * shadow trail (`IncludeShadowTrails=true`) when it records that region.
 * UNVERIFIED: which trails count as shadow trails; modelled on CloudTrail's (multi-region replicas).
 */
function visibleIn(t: TrailRecord, region: string, shadows: boolean): boolean {
  if (t.homeRegion === region) return true;
  return shadows && (t.trailRegion === 'All' || t.trailRegion === region);
}

/**
 * One `TrailList` entry. UNVERIFIED: unset destinations as empty strings (the SDK types them as plain
 * strings and prowler's reader defaults them to ""); never-set logging times are left out.
 */
function trailWire(ctx: ActionContext, t: TrailRecord, owner: string): WireBody {
  return {
    Name: t.name,
    HomeRegion: t.homeRegion,
    TrailRegion: t.trailRegion,
    EventRW: t.eventRW,
    IsOrganizationTrail: t.organization,
    // The SDK model: "returned only when the trail is a multi-account trail".
    ...(t.organization ? { OrganizationId: ctx.accounts.directoryId } : {}),
    Status: t.status,
    OssBucketName: t.oss?.target ?? '',
    OssBucketLocation: t.oss?.location ?? '',
    OssKeyPrefix: t.oss?.prefix ?? '',
    OssWriteRoleArn: t.oss?.writeRoleArn ?? '',
    SlsProjectArn: t.sls?.target ?? '',
    SlsWriteRoleArn: t.sls?.writeRoleArn ?? '',
    MaxComputeProjectArn: t.maxCompute?.target ?? '',
    MaxComputeWriteRoleArn: t.maxCompute?.writeRoleArn ?? '',
    CreateTime: isoSeconds(t.createDate),
    UpdateTime: isoSeconds(t.updateDate),
    StartLoggingTime: isoOrUndefined(t.startLoggingDate),
    StopLoggingTime: isoOrUndefined(t.stopLoggingDate),
    TrailArn: `acs:actiontrail:${t.homeRegion}:${owner}:trail/${t.name}`,
    Region: t.homeRegion,
  };
}

/** A trail and the account that owns it (a member sees its management account's multi-account trails). */
interface OwnedTrail {
  trail: TrailRecord;
  owner: string;
}

/**
 * The trails the caller's account can see: its own, then, for a Resource Directory member, the
 * management account's multi-account trails (read-only there).
 * UNVERIFIED: that members see them through DescribeTrails/GetTrailStatus with the organization flags.
 */
function visibleTrails(ctx: ActionContext): OwnedTrail[] {
  const { state, accounts } = ctx;
  const own = [...state.trailConfigs.values()].map((trail) => ({ trail, owner: state.account.id }));
  const isMember = state !== accounts.management && accounts.directory.some((m) => m.accountId === state.account.id);
  if (!isMember) return own;
  const management = accounts.management;
  const shared = [...management.trailConfigs.values()].filter((t) => t.organization).map((trail) => ({ trail, owner: management.account.id }));
  return [...own, ...shared];
}

/**
 * The caller's trails. Organization (multi-account) trails only with `IncludeOrganizationTrail=true`
 * (default false, per the SDK model); `NameList` narrows to the named trails, unknown names are ignored.
 * The request's region is `RegionId`, else the emulator's region.
 */
function describeTrails(ctx: ActionContext): WireBody {
  const { params } = ctx;
  const includeOrganization = params.bool('IncludeOrganizationTrail') ?? false;
  const shadows = params.bool('IncludeShadowTrails') ?? false;
  const region = params.get('RegionId') ?? DEFAULT_REGION;
  const names = params
    .get('NameList')
    ?.split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const trails = visibleTrails(ctx).filter(
    ({ trail: t }) => (includeOrganization || !t.organization) && (names === undefined || names.includes(t.name)) && visibleIn(t, region, shadows),
  );
  return { TrailList: trails.map(({ trail, owner }) => trailWire(ctx, trail, owner)) };
}

/**
 * Logging and delivery state of one trail. An organization trail is found only with
 * `IsOrganizationTrail=true`, and an account trail only without it.
 * UNVERIFIED: that the flag must match (the docs only say it selects multi-account trails).
 */
function getTrailStatus(ctx: ActionContext): WireBody {
  const name = ctx.params.required('Name');
  const organization = ctx.params.bool('IsOrganizationTrail') ?? false;
  const t = visibleTrails(ctx).find(({ trail }) => trail.name === name && trail.organization === organization)?.trail;
  if (!t) throw trailNotFound();
  const delivered = isoOrUndefined(t.lastDeliveryDate);
  return {
    IsLogging: t.status === 'Enable',
    LatestDeliveryError: t.deliveryError,
    // The Log Service fields describe the SLS destination only; the scenario's one error applies to it.
    LatestDeliveryLogServiceError: t.sls ? t.deliveryError : '',
    LatestDeliveryLogServiceTime: t.sls ? delivered : undefined,
    LatestDeliveryTime: delivered,
    // UNVERIFIED: false for a destination the trail does not have.
    OssBucketStatus: t.oss?.available ?? false,
    SlsLogStoreStatus: t.sls?.available ?? false,
    StartLoggingTime: isoOrUndefined(t.startLoggingDate),
    StopLoggingTime: isoOrUndefined(t.stopLoggingDate),
  };
}

/** ActionTrail trail configuration reads; merged into the `actiontrail` table in `actions/index.ts`. */
export const actionTrailTrailActions: ActionTable = {
  DescribeTrails: describeTrails,
  GetTrailStatus: getTrailStatus,
};
