/**
 * KMS 2016-01-20 (RPC) ListSecrets and DescribeSecret over the account's scenario `secrets`: metadata
 * only, never values. Field names follow the SDK response models (alibabacloud-typescript-sdk
 * `kms-20160120` DescribeSecretResponseBody, alibabacloud-java-sdk ListSecretsResponseBody); paging and
 * Filters follow the ListSecrets API reference (PageSize 1–100, default 10; FetchTags default false).
 */
import { isoOrUndefined, isoSeconds } from '../dates.js';
import { ApiError, invalidParameter } from '../errors.js';
import type { SecretRecord } from '../model.js';
import { DEFAULT_REGION } from '../scenario-common.js';
import type { ActionContext, ActionTable, WireBody } from './context.js';

/**
 * 404 `Forbidden.ResourceNotFound`, the code SDK users (terraform-provider-alicloud's DescribeSecret,
 * secret-client libraries) test for; they match the message's start, "Resource not found".
 */
function secretNotFound(): ApiError {
  return new ApiError(404, 'Forbidden.ResourceNotFound', 'Resource not found.');
}

/** Secrets as of now: one whose scheduled deletion has passed is gone. */
function liveSecrets(ctx: ActionContext): SecretRecord[] {
  const now = ctx.now.getTime();
  return [...ctx.state.secrets.values()].filter((s) => s.plannedDeleteDate === null || s.plannedDeleteDate.getTime() > now);
}

function tagsWire(s: SecretRecord): WireBody {
  return { Tag: [...s.tags].map(([TagKey, TagValue]) => ({ TagKey, TagValue })) };
}

/**
 * `Filters` keys from the ListSecrets reference; values of one key are ORed, keys ANDed.
 * UNVERIFIED: exact (not prefix or fuzzy) matching.
 */
const FILTER_KEYS: Record<string, (s: SecretRecord, value: string) => boolean> = {
  SecretName: (s, v) => s.name === v,
  Description: (s, v) => s.description === v,
  TagKey: (s, v) => s.tags.has(v),
  TagValue: (s, v) => [...s.tags.values()].includes(v),
};

function filters(raw: string | undefined): ((s: SecretRecord) => boolean)[] {
  if (raw === undefined) return [];
  const bad = invalidParameter('Filters', `use JSON like [{"Key":"SecretName","Values":["name"]}] with Key one of ${Object.keys(FILTER_KEYS).join(', ')}.`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw bad;
  }
  if (!Array.isArray(parsed)) throw bad;
  return parsed.map((f: unknown) => {
    const { Key, Values } = (f ?? {}) as { Key?: unknown; Values?: unknown };
    const match = typeof Key === 'string' ? FILTER_KEYS[Key] : undefined;
    if (!match || !Array.isArray(Values) || !Values.every((v) => typeof v === 'string')) throw bad;
    return (s: SecretRecord) => (Values as string[]).some((v) => match(s, v));
  });
}

/** Secrets of the account in scenario order, paged by PageNumber/PageSize with TotalCount. */
function listSecrets(ctx: ActionContext): WireBody {
  const { params } = ctx;
  const fetchTags = params.bool('FetchTags') ?? false;
  const pageNumber = params.int('PageNumber', 1, 1_000_000, 1);
  const pageSize = params.int('PageSize', 1, 100, 10);
  const match = filters(params.get('Filters'));
  const secrets = liveSecrets(ctx).filter((s) => match.every((f) => f(s)));
  const page = secrets.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
  return {
    PageNumber: pageNumber,
    PageSize: pageSize,
    TotalCount: secrets.length,
    SecretList: {
      Secret: page.map((s) => ({
        SecretName: s.name,
        SecretType: s.type,
        CreateTime: isoSeconds(s.createDate),
        UpdateTime: isoSeconds(s.updateDate),
        PlannedDeleteTime: isoOrUndefined(s.plannedDeleteDate),
        // "If FetchTags is false, this parameter is not returned."
        ...(fetchTags ? { Tags: tagsWire(s) } : {}),
      })),
    },
  };
}

/** The secret `SecretName` names: a name, or this account's secret ARN (the docs accept both). */
function secretByName(ctx: ActionContext): SecretRecord {
  const raw = ctx.params.required('SecretName');
  const prefix = `acs:kms:${DEFAULT_REGION}:${ctx.state.account.id}:secret/`;
  const name = raw.startsWith('acs:') ? (raw.startsWith(prefix) ? raw.slice(prefix.length) : undefined) : raw;
  const secret = name === undefined ? undefined : liveSecrets(ctx).find((s) => s.name === name);
  if (!secret) throw secretNotFound();
  return secret;
}

/**
 * One secret's metadata. Rotation fields follow the SDK model: `RotationInterval` (`<seconds>s`) and
 * `NextRotationDate` only while rotation is enabled, `LastRotationDate` once the secret has rotated.
 */
function describeSecret(ctx: ActionContext): WireBody {
  const s = secretByName(ctx);
  const fetchTags = ctx.params.bool('FetchTags') ?? false;
  const enabled = s.rotationEnabled && s.rotationIntervalSeconds !== null;
  return {
    Arn: `acs:kms:${DEFAULT_REGION}:${ctx.state.account.id}:secret/${s.name}`,
    SecretName: s.name,
    SecretType: s.type,
    EncryptionKeyId: s.encryptionKeyId,
    Description: s.description,
    CreateTime: isoSeconds(s.createDate),
    UpdateTime: isoSeconds(s.updateDate),
    PlannedDeleteTime: isoOrUndefined(s.plannedDeleteDate),
    // UNVERIFIED: the SDK model says AutomaticRotation is returned only for managed (Rds, RAMCredentials,
    // ECS) secrets; ramparts' spec has Generic secrets answer `Invalid` ("cannot rotate automatically").
    AutomaticRotation: s.type === 'Generic' ? 'Invalid' : enabled ? 'Enabled' : 'Disabled',
    RotationInterval: enabled ? `${s.rotationIntervalSeconds}s` : undefined,
    LastRotationDate: isoOrUndefined(s.lastRotationDate),
    NextRotationDate: enabled ? isoOrUndefined(s.nextRotationDate) : undefined,
    ...(fetchTags ? { Tags: tagsWire(s) } : {}),
  };
}

/** The `kms` product's actions (all reads). */
export const kmsActions: ActionTable = {
  ListSecrets: listSecrets,
  DescribeSecret: describeSecret,
};
