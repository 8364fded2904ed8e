import { isoSeconds } from '../dates.js';
import { ApiError } from '../errors.js';
import type { ActionTable, WireBody } from './context.js';

/**
 * ResourceManager 2020-03-31 ListAccounts: the Resource Directory's members, paged by PageNumber /
 * PageSize (1–100, default 10), as `Accounts.Account[]` with TotalCount (field names from the API's
 * response model). Only the management account (the scenario's top level, when it lists `members`)
 * has a directory.
 */
export const resourceManagerActions: ActionTable = {
  ListAccounts: (ctx): WireBody => {
    const { accounts } = ctx;
    if (ctx.state !== accounts.management || accounts.directory.length === 0) {
      // UNVERIFIED: the code the API answers when the caller manages no Resource Directory.
      throw new ApiError(404, 'EntityNotExists.ResourceDirectory', 'The resource directory does not exist or the caller is not its management account.');
    }
    const pageNumber = ctx.params.int('PageNumber', 1, 1_000_000, 1);
    const pageSize = ctx.params.int('PageSize', 1, 100, 10);
    const page = accounts.directory.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    return {
      TotalCount: accounts.directory.length,
      PageNumber: pageNumber,
      PageSize: pageSize,
      Accounts: {
        Account: page.map((m) => ({
          AccountId: m.accountId,
          DisplayName: m.displayName,
          Type: m.type,
          Status: m.status,
          FolderId: m.folderId,
          JoinMethod: m.joinMethod,
          JoinTime: isoSeconds(m.joinTime),
          ModifyTime: isoSeconds(m.joinTime),
          ResourceDirectoryId: accounts.directoryId,
        })),
      },
    };
  },
};
