/**
 * Resource Directory members through ResourceManager 2020-03-31 `ListAccounts` (RPC; PageNumber /
 * PageSize paging, `Accounts.Account[]` with `AccountId`, `DisplayName`, `Status`, `Type`, `FolderId`,
 * `JoinMethod`; TotalCount). Called with the management account's credentials. The SDK package is not a
 * dependency, so the generic OpenAPI client is used, as for ActionTrail.
 */
import * as $dara from '@darabonba/typescript';
import { CloudError } from '../errors.js';
import type { CloudCaller } from './caller.js';
import { $OpenApiUtil, OpenApiUtil, type OpenApiClient } from './sdk.js';
import { rpcParams } from './rpc.js';

export const RESOURCE_MANAGER_VERSION = '2020-03-31';
/** ListAccounts PageSize upper bound. */
export const LIST_ACCOUNTS_PAGE_MAX = 100;

/**
 * Member statuses of a joined account. The `Create*` statuses other than CreateSuccess describe an account
 * still being created (nothing to scan yet); the `Promote*` ones an upgrade to a cloud account, during
 * which the member stays in the directory. UNVERIFIED beyond the API docs' value list.
 */
export const ACTIVE_MEMBER_STATUSES = [
  'CreateSuccess',
  'InviteSuccess',
  'PromoteSuccess',
  'PromoteVerifying',
  'PromoteFailed',
  'PromoteExpired',
  'PromoteCancelled',
] as const;

/** The clients a listing needs (a subset of `CloudClients`). */
export interface ResourceDirectoryClients {
  resourcemanager: OpenApiClient;
  caller: CloudCaller;
}

/** One member account as the directory lists it. */
export interface MemberAccount {
  id: string;
  /** The member's DisplayName. */
  name: string;
  /** The directory's Status, e.g. `CreateSuccess`, `InviteSuccess` (see {@link isActiveMember}). */
  status: string;
  type?: string;
  folderId?: string;
  joinMethod?: string;
}

/** True for a member that has joined and can be scanned. */
export function isActiveMember(status: string): boolean {
  return (ACTIVE_MEMBER_STATUSES as readonly string[]).includes(status);
}

const params = (action: string) => rpcParams(action, RESOURCE_MANAGER_VERSION);

function badResponse(what: string): CloudError {
  return new CloudError('ListAccounts', `ResourceManager ListAccounts ${what} — is cloud.endpoints.resourcemanager a ResourceManager 2020-03-31 endpoint?`, {
    code: 'CLOUD_BAD_RESPONSE',
  });
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** Every member of the caller's Resource Directory, in listing order, reading pages until TotalCount. */
export async function listMemberAccounts(clients: ResourceDirectoryClients, pageSize = LIST_ACCOUNTS_PAGE_MAX): Promise<MemberAccount[]> {
  const out: MemberAccount[] = [];
  for (let page = 1; ; page++) {
    const request = new $OpenApiUtil.OpenApiRequest({ query: OpenApiUtil.query({ PageNumber: String(page), PageSize: String(pageSize) }) });
    const res = await clients.caller.call('resourcemanager', 'ListAccounts', () =>
      clients.resourcemanager.callApi(params('ListAccounts'), request, new $dara.RuntimeOptions({})),
    );
    const body: unknown = res.body;
    if (!body || typeof body !== 'object') throw badResponse('returned no JSON body');
    const { Accounts, TotalCount } = body as { Accounts?: { Account?: unknown }; TotalCount?: unknown };
    const list = Accounts?.Account ?? [];
    if (!Array.isArray(list)) throw badResponse('returned Accounts.Account that is not an array');
    for (const raw of list as Array<Record<string, unknown>>) {
      const id = text(raw.AccountId);
      if (!id) throw badResponse('returned an account without AccountId');
      out.push({
        id,
        name: text(raw.DisplayName) ?? id,
        status: text(raw.Status) ?? 'Unknown',
        type: text(raw.Type),
        folderId: text(raw.FolderId),
        joinMethod: text(raw.JoinMethod),
      });
    }
    const total = Number(TotalCount);
    // Stop on a short page, or once TotalCount is reached (whichever the service gives).
    if (list.length < pageSize || (Number.isFinite(total) && out.length >= total)) return out;
  }
}
