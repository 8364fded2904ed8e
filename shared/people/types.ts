/** People and ownership (config `people`, `owners`). */

export interface Person {
  id: string;
  name: string;
  email: string | null;
  /** Slack member id (U…); resolved by users.lookupByEmail when absent. */
  slackUserId: string | null;
  /** DingTalk userId (staff id) for 1:1 robot cards. */
  dingtalkUserId: string | null;
  /** Person id of the manager, who decides when the owner is silent and attests keeps on high findings. */
  manager: string | null;
  /** Group names, e.g. "security", "approvers", "platform". */
  groups: string[];
}

/** Who owns an identity: one person, or a group (any member may answer). */
export type OwnerRef = { kind: 'person'; id: string } | { kind: 'group'; name: string };

/**
 * How the owner was found, shown on the task: an `owners` pattern, the resource's own owner tag (a KMS
 * secret's `owner` tag, carried in the finding's evidence), the RAM user's email, or nobody ("orphaned":
 * the security team got it by default).
 */
export const OWNER_SOURCES = ['pattern', 'tag', 'email', 'orphaned'] as const;
export type OwnerSource = (typeof OWNER_SOURCES)[number];

export interface Ownership {
  owner: OwnerRef;
  source: OwnerSource;
  /** The owners[] entry or email that matched, for the evidence. */
  matched: string | null;
}

/** Lookups over the configured people. */
export interface Directory {
  all(): Person[];
  byId(id: string): Person | undefined;
  bySlackId(slackUserId: string): Person | undefined;
  byDingtalkId(dingtalkUserId: string): Person | undefined;
  byEmail(email: string): Person | undefined;
  membersOf(group: string): Person[];
}
