/**
 * KMS Secrets Manager secrets of the scanned region (KMS 2016-01-20, RPC, through the generic client):
 * `ListSecrets` pages through the secrets' metadata, then `DescribeSecret` reads each one's rotation
 * settings. Field names follow the SDK models (aliyun/alibabacloud-typescript-sdk `kms-20160120`
 * ListSecretsResponseBody, DescribeSecretResponseBody) and the API reference pages of both actions.
 *
 * Metadata only: ramparts never calls GetSecretValue and never sees, keeps or logs a secret's value.
 * Fail closed: a failed listing marks the `secrets` part failed (unknown, never "no secrets"); a failed
 * DescribeSecret leaves that secret `detailKnown: false`.
 */
import * as $dara from '@darabonba/typescript';
import { $OpenApiUtil, OpenApiUtil } from '../cloud/sdk.js';
import { rpcParams } from '../cloud/rpc.js';
import { SECRET_ROTATION, type Secret, type SecretRotation } from '../domain/snapshot.js';
import { CloudError } from '../errors.js';
import { call, failPart, forEach, isRefusal, type InventoryContext } from './context.js';

export const KMS_VERSION = '2016-01-20';
/** ListSecrets `PageSize` upper bound (API reference: 1–100). */
export const LIST_SECRETS_PAGE_MAX = 100;
/**
 * Pages read at most (100,000 secrets): a server that keeps answering full pages past TotalCount, or
 * without one, fails the part instead of looping. UNVERIFIED: KMS's per-region secret quota; it is far below this.
 */
export const LIST_SECRETS_MAX_PAGES = 1000;

type Wire = Record<string, unknown>;

const params = (action: string) => rpcParams(action, KMS_VERSION);

function badResponse(action: string, what: string): CloudError {
  return new CloudError(action, `KMS ${action} ${what} — is cloud.endpoints.kms a KMS 2016-01-20 endpoint?`, { code: 'CLOUD_BAD_RESPONSE' });
}

async function rpc(ctx: InventoryContext, action: string, query: Wire): Promise<Wire> {
  const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query(query) });
  const res = await call(ctx, 'kms', action, () => ctx.clients.kms.callApi(params(action), request, new $dara.RuntimeOptions({})));
  const body: unknown = res.body;
  if (!body || typeof body !== 'object') throw badResponse(action, 'returned no JSON body');
  return body as Wire;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim() : null);

/** `Tags.Tag[]` (`TagKey`/`TagValue`) as a map; an absent or malformed list is no tags. */
function tags(v: unknown): Record<string, string> {
  const list = (v as { Tag?: unknown } | null | undefined)?.Tag;
  if (!Array.isArray(list)) return {};
  const out: Record<string, string> = {};
  for (const t of list as Array<{ TagKey?: unknown; TagValue?: unknown }>) {
    const key = text(t?.TagKey);
    if (key !== null) out[key] = typeof t.TagValue === 'string' ? t.TagValue : '';
  }
  return out;
}

/**
 * `RotationInterval` in days: `604800s` is 7. The API documents `<integer>s`; a plain number of
 * seconds is accepted too, and `d`/`h`/`m` suffixes (the form UpdateSecretRotationPolicy takes).
 * Null when absent or unreadable.
 */
export function rotationIntervalDays(v: unknown): number | null {
  const raw = typeof v === 'number' ? String(v) : text(v);
  const m = raw === null ? null : /^(\d+(?:\.\d+)?)\s*([smhd]?)$/i.exec(raw);
  if (!m) return null;
  const perUnit: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86_400 };
  const seconds = Number(m[1]) * (perUnit[(m[2] ?? '').toLowerCase()] ?? 1);
  return seconds > 0 ? Math.round((seconds / 86_400) * 1000) / 1000 : null;
}

/**
 * `AutomaticRotation` as a domain value. The SDK model says the field is returned only for managed
 * secrets (Rds, RAMCredentials, ECS); a Generic secret cannot rotate automatically, so its absence there
 * reads as `Invalid`. For any other type an absent or unknown value stays null (unknown).
 * UNVERIFIED: what the live API returns for a Generic secret (absent, or `Invalid`).
 */
export function automaticRotation(v: unknown, type: string): SecretRotation | null {
  const raw = text(v);
  const known = SECRET_ROTATION.find((r) => r.toLowerCase() === raw?.toLowerCase());
  if (known) return known;
  return raw === null && type === 'Generic' ? 'Invalid' : null;
}

/** A ListSecrets entry, before DescribeSecret (`detailKnown` false until it answers). */
function listed(raw: Wire): Secret {
  return {
    name: text(raw.SecretName) ?? '',
    arn: '',
    // UNVERIFIED: the API reference page omits SecretType in ListSecrets; the SDK model has it.
    type: text(raw.SecretType) ?? 'Unknown',
    createTime: text(raw.CreateTime) ?? '',
    automaticRotation: null,
    rotationIntervalDays: null,
    lastRotationDate: null,
    nextRotationDate: null,
    plannedDeleteTime: text(raw.PlannedDeleteTime),
    tags: tags(raw.Tags),
    detailKnown: false,
  };
}

/** DescribeSecret's answer folded into the secret; a body that names no secret is no answer. */
function withDetail(secret: Secret, body: Wire): void {
  if (text(body.SecretName) === null && text(body.Arn) === null) throw badResponse('DescribeSecret', 'returned neither SecretName nor Arn');
  secret.arn = text(body.Arn) ?? secret.arn;
  secret.type = text(body.SecretType) ?? secret.type;
  secret.createTime = text(body.CreateTime) ?? secret.createTime;
  secret.automaticRotation = automaticRotation(body.AutomaticRotation, secret.type);
  secret.rotationIntervalDays = rotationIntervalDays(body.RotationInterval);
  secret.lastRotationDate = text(body.LastRotationDate);
  secret.nextRotationDate = text(body.NextRotationDate);
  secret.plannedDeleteTime = text(body.PlannedDeleteTime);
  // Tags come with FetchTags on both calls; keep the listing's when the detail has none.
  const detailTags = tags(body.Tags);
  if (Object.keys(detailTags).length > 0) secret.tags = detailTags;
  secret.detailKnown = true;
}

/** Every secret ListSecrets returns, page by page, until TotalCount is reached or a page comes back empty. */
export async function listSecrets(ctx: InventoryContext, pageSize = LIST_SECRETS_PAGE_MAX): Promise<Secret[]> {
  const byName = new Map<string, Secret>();
  for (let page = 1; page <= LIST_SECRETS_MAX_PAGES; page++) {
    const body = await rpc(ctx, 'ListSecrets', { FetchTags: 'true', PageNumber: String(page), PageSize: String(pageSize) });
    const container = body.SecretList as { Secret?: unknown } | undefined;
    if (container === undefined && body.TotalCount === undefined) throw badResponse('ListSecrets', 'returned neither SecretList nor TotalCount');
    const list = container?.Secret ?? [];
    if (!Array.isArray(list)) throw badResponse('ListSecrets', 'returned SecretList.Secret that is not an array');
    let added = 0;
    for (const raw of list as Wire[]) {
      const name = text(raw?.SecretName);
      if (name === null) throw badResponse('ListSecrets', 'returned a secret without SecretName');
      // A secret created while paging can shift one into the next page: keep the first sighting.
      if (!byName.has(name)) {
        byName.set(name, listed(raw));
        added++;
      }
    }
    const total = Number(body.TotalCount);
    const knownTotal = body.TotalCount !== undefined && body.TotalCount !== '' && Number.isFinite(total);
    if (list.length === 0 || (knownTotal && byName.size >= total) || (!knownTotal && list.length < pageSize)) return [...byName.values()];
    // A server that ignores PageNumber answers page 1 again and again.
    if (added === 0) throw badResponse('ListSecrets', `returned page ${page} with only secrets already listed (stopped to avoid a loop)`);
  }
  throw badResponse('ListSecrets', `did not finish within ${LIST_SECRETS_MAX_PAGES} pages (stopped to avoid a loop)`);
}

/** The secrets of the scanned region with their rotation settings (see the module comment). */
export async function collectSecrets(ctx: InventoryContext): Promise<Secret[]> {
  let secrets: Secret[];
  try {
    secrets = await listSecrets(ctx);
  } catch (err) {
    failPart(ctx, 'secrets', err, 'kms');
    return [];
  }
  await forEach(ctx, 'secrets', secrets, async (secret) => {
    try {
      withDetail(secret, await rpc(ctx, 'DescribeSecret', { SecretName: secret.name, FetchTags: 'true' }));
    } catch (err) {
      // This secret stays detailKnown: false. A refusal is the account's configuration, not this
      // secret's: record it so the report says which permission to grant.
      if (isRefusal(err)) failPart(ctx, 'secrets', err, 'kms');
    }
  });
  return secrets;
}
