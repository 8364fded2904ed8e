import type { AccountSnapshot, Trail } from '../../domain/snapshot.js';

/**
 * ActionTrail trails and what they deliver, as RAM resources: the ARNs a policy must allow an action on
 * for an identity to stop a trail or destroy its logs. Resource formats:
 * https://www.alibabacloud.com/help/en/ram/user-guide/policy-elements (ActionTrail `trail/<name>`, OSS
 * `<bucket>/<object>`, SLS `project/<project>/logstore/<logstore>`).
 */

/**
 * Roles ActionTrail itself writes the logs with: the service-linked role and the older default role
 * (`aliyunactiontraildefaultrole` in the CIS 2.1 remediation). They are the pipeline, not a person.
 */
export const ACTIONTRAIL_DELIVERY_ROLES: readonly string[] = ['AliyunServiceRoleForActionTrail', 'AliyunActionTrailDefaultRole'];

/** Stopping, deleting or reconfiguring a trail (UpdateTrail can point it elsewhere or narrow it to Read events). */
export const TRAIL_CONTROL_ACTIONS: readonly string[] = ['actiontrail:StopLogging', 'actiontrail:DeleteTrail', 'actiontrail:UpdateTrail'];

/** Destroying what a trail delivered: its OSS objects, the bucket (a lifecycle rule expires the objects), its SLS logstore and project. */
export const DELIVERY_DELETE_ACTIONS: readonly string[] = ['oss:DeleteObject', 'oss:DeleteBucket', 'oss:PutBucketLifecycle', 'log:DeleteLogStore', 'log:DeleteProject'];

/** RAM codes of the services trails deliver to (MaxCompute aside, which no rule counts as a destination). */
export const DELIVERY_SERVICES: readonly string[] = ['oss', 'log'];

/** `acs:log:<region>:<account>:project/<name>` taken apart; the name is the last path segment. */
export function slsProject(arn: string): { region: string; account: string; name: string } | null {
  const parts = arn.split(':');
  const name = arn.split('/').pop() ?? '';
  if (parts[0]?.toLowerCase() !== 'acs' || parts[1]?.toLowerCase() !== 'log' || name === '' || !arn.includes('/')) return null;
  return { region: parts[2] ?? '*', account: parts[3] || '*', name };
}

/**
 * The account a trail's settings belong to. A multi-account trail that a member account sees belongs to
 * the Resource Directory's management account; member accounts cannot change it.
 */
export function trailOwner(trail: Trail, snapshot: Pick<AccountSnapshot, 'account' | 'organization'>): string {
  return trail.isOrganizationTrail && snapshot.organization ? snapshot.organization.managementAccountId : snapshot.account.id;
}

/** `acs:actiontrail:<homeRegion>:<owner>:trail/<name>`. */
export function trailArn(trail: Trail, owner: string): string {
  return `acs:actiontrail:${trail.homeRegion}:${owner}:trail/${trail.name}`;
}

/** The key prefix ActionTrail writes under: `<prefix>/AliyunLogs/Actiontrail/` (multi-account trails add `<rd_id>/<account>/` below it). */
function objectKeyPrefix(trail: Trail): string {
  const prefix = (trail.ossKeyPrefix ?? '').replace(/^\/+|\/+$/g, '');
  return `${prefix === '' ? '' : `${prefix}/`}AliyunLogs/Actiontrail/`;
}

/**
 * The ARN of the part of `trail` that `action` destroys, as seen from the scanned account, or null when
 * the trail has no such part or it lives in another account (a RAM policy here cannot grant that).
 * Bucket-level OSS APIs (`*Bucket*`) take the bucket, other OSS APIs the delivered objects (a concrete
 * key under the trail's prefix, so `bucket/*` and `bucket/<prefix>/*` patterns both match); SLS
 * `*Project*` APIs take the project, other SLS APIs the trail's logstore `actiontrail_<trail>`.
 */
export function trailResource(action: string, trail: Trail, snapshot: Pick<AccountSnapshot, 'account' | 'organization'>): string | null {
  const account = snapshot.account.id;
  const [service = '', api = ''] = action.toLowerCase().split(':');
  if (service === 'actiontrail') {
    const owner = trailOwner(trail, snapshot);
    return owner === account ? trailArn(trail, owner) : null;
  }
  if (service === 'oss') {
    // DescribeTrails does not name the bucket's owner; the scanned account is assumed (a bucket elsewhere
    // would need that account's bucket policy, which no rule reads).
    if (!trail.ossBucketName) return null;
    const bucket = `acs:oss:*:${account}:${trail.ossBucketName}`;
    return api.includes('bucket') ? bucket : `${bucket}/${objectKeyPrefix(trail)}`;
  }
  if (service === 'log') {
    const project = trail.slsProjectArn ? slsProject(trail.slsProjectArn) : null;
    if (!project || (project.account !== '*' && project.account !== account)) return null;
    const arn = `acs:log:${project.region}:${account}:project/${project.name}`;
    return api.includes('project') ? arn : `${arn}/logstore/actiontrail_${trail.name}`;
  }
  return null;
}

/** Where a trail delivers, for evidence: `oss://bucket/prefix`, `sls://project`. */
export function destinations(trail: Trail): string[] {
  const out: string[] = [];
  if (trail.ossBucketName) out.push(`oss://${trail.ossBucketName}${trail.ossKeyPrefix ? `/${trail.ossKeyPrefix.replace(/^\/+/, '')}` : ''}`);
  if (trail.slsProjectArn) out.push(`sls://${slsProject(trail.slsProjectArn)?.name ?? trail.slsProjectArn}`);
  return out;
}
