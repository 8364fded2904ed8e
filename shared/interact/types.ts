/**
 * What the interact handler needs from the rest of ramparts. Transport-free: the FC function and
 * `ramparts serve` both wrap it in their own HTTP plumbing.
 */
import type { KeyValueCache } from '../chat/cache.js';
import type { SlackEphemeral } from '../chat/slack/interactions.js';
import type { TokenVerifier } from '../chat/token.js';
import type { Directory } from '../people/types.js';
import type { DecideInput, DecideOutcome } from '../review/types.js';
import type { SlackModal } from '../../templates/chat/slack.js';

/** Structured log sink (pino's Logger fits). Callers get ids and outcomes only, never secrets, tokens or bodies. */
export interface InteractLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface InteractDeps {
  slack?: {
    /** SLACK_SIGNING_SECRET values; the first is current, the rest are accepted during rotation. */
    signingSecrets: string[];
    /** views.open for the reason/date modal; without it keep/snooze go to decide without one (and are refused). */
    openModal?: (triggerId: string, view: SlackModal) => Promise<void>;
    /** Ephemeral reply through response_url, so a refusal's reason reaches the clicker. */
    respond?: (responseUrl: string, message: SlackEphemeral) => Promise<void>;
  };
  dingtalk?: {
    /** DINGTALK_CALLBACK_SECRET values (the apiSecret given to card RegisterCallback). */
    secrets: string[];
    /** Accepted clock difference for x-ddpaas-signature-timestamp (default 5 minutes). */
    windowMs?: number;
  };
  tokens: TokenVerifier;
  directory: Directory;
  /** Slack member id → person id learned by users.lookupByEmail (written by the Slack adapter). */
  cache?: KeyValueCache;
  decide: (input: DecideInput) => Promise<DecideOutcome>;
  /** Milliseconds since the epoch. */
  now: () => number;
  logger?: InteractLogger;
  /** Larger bodies are refused with 413 before anything else (default 1 MiB; Slack echoes the message blocks). */
  maxBodyBytes?: number;
}

/** The answer a click (or modal submission, or card callback) carries. */
export interface ClickedAnswer {
  taskId: string;
  action: DecideInput['action'];
  token: string;
  reason?: string | null;
  until?: string | null;
  /** Approve / reject: the request the clicked card asked about. */
  request?: string | null;
}
