/**
 * Clients that act in a member account through a role assumed there (STS AssumeRole from the account
 * ramparts runs in): the apply function's way to carry out an approved revocation in a member. One
 * session per member per run, created on first use; the role is assumed up front so a refusal is that
 * plan's clear failure, not a stream of denied RAM calls.
 */
import { memberApplyRoleArn, type Config } from '../config/index.js';
import { assumeRoleCredential } from './assume-role.js';
import { createCloudClients, type CloudClients } from './clients.js';

export interface MemberClientsOptions {
  config: Pick<Config, 'accounts' | 'cloud'>;
  /** Clients of the account ramparts runs in: they sign AssumeRole. */
  clients: CloudClients;
  /** Shown in each member's ActionTrail as the role session name. */
  sessionName: string;
}

/** `accountId` → clients signed by `acs:ram::<accountId>:role/<accounts.applyRoleName>`, cached per account. */
export function memberApplyClients(opts: MemberClientsOptions): (accountId: string) => Promise<CloudClients> {
  const cache = new Map<string, Promise<CloudClients>>();
  const open = async (accountId: string): Promise<CloudClients> => {
    const credential = assumeRoleCredential(opts.clients, { roleArn: memberApplyRoleArn(opts.config.accounts, accountId), sessionName: opts.sessionName });
    await credential.getCredential();
    return createCloudClients(opts.config.cloud, { credential });
  };
  return (accountId) => {
    let clients = cache.get(accountId);
    if (!clients) {
      clients = open(accountId);
      // A failed assumption is not cached: the next plan (or run) asks again.
      clients.catch(() => cache.delete(accountId));
      cache.set(accountId, clients);
    }
    return clients;
  };
}

/** `ramparts-apply-<unix seconds>`. */
export function applySessionName(now: Date): string {
  return `ramparts-apply-${Math.floor(now.getTime() / 1000)}`;
}
