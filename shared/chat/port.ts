import type { DigestModel } from '../digest/types.js';
import type { Severity } from '../domain/finding.js';
import type { Person } from '../people/types.js';
import type { MessageRef } from '../store/port.js';
import type { TaskAction, TaskState } from '../review/types.js';

/** A button on a prompt. `token` is ramparts' HMAC binding task, action and recipient (see chat/token.ts). */
export interface PromptButton {
  action: TaskAction;
  label: string;
  taskId: string;
  token: string;
  /** Revoke asks "are you sure?" with exactly what would change. */
  confirm?: { title: string; text: string };
  /** keep needs a reason, snooze a date: the adapter collects them (Slack modal / DingTalk input). */
  needs?: 'reason' | 'date';
  /**
   * Approve / reject: which request the card asked about (its time), sent back with the click so a
   * stale card (the revocation's) cannot answer a later request (its rollback).
   */
  request?: string;
}

/** One finding inside a prompt: what was found, the evidence, why it matters, what revoke would do. */
export interface PromptItem {
  taskId: string;
  severity: Severity;
  title: string;
  /** "access key LTAI…7Q2 of build-agent". */
  subject: string;
  /** "active, 412 days old, last used yesterday (Ecs)". */
  evidence: string;
  /** Policy path when relevant: ["user:alice", "group:admins", "policy:AdministratorAccess (System)"]. */
  path: string[];
  why: string;
  /** "set the key Inactive (reversible for 30 days)", or null when revoke only files a request. */
  revokeWould: string | null;
  /** The exact change to a policy document as a line diff (`-`/`+`), for least-privilege plans; else null. */
  diff: string | null;
  state: TaskState;
  /** Human line for the current state: "kept by Alice: still used by CI", "resolved: gone in scan …". */
  status: string | null;
  buttons: PromptButton[];
}

/** What an adapter renders: one message per recipient grouping that recipient's findings. */
export interface PromptView {
  kind: 'prompt' | 'reminder' | 'escalation' | 'attestation' | 'approval';
  recipient: Person;
  account: { id: string; alias: string | null };
  /** e.g. "due Tue 3 Dec"; null when nothing is pending. */
  due: string | null;
  /** e.g. "ops-wu did not answer by Tue 3 Dec; as their manager, please decide." */
  intro: string | null;
  items: PromptItem[];
}

export interface SecurityNotice {
  title: string;
  text: string;
  severity: Severity;
}

/**
 * Chat port: posts prompts to a person, updates them in place when their tasks change, and posts
 * notices to the security channel. Adapters: slack, dingtalk, console.
 */
export interface ChatPort {
  readonly platform: MessageRef['platform'];
  /** Posts a new message; returns where it went so it can be updated later. */
  postPrompt(view: PromptView): Promise<Pick<MessageRef, 'channel' | 'messageKey'>>;
  /** Re-renders an existing message with the tasks' current states. */
  updatePrompt(ref: Pick<MessageRef, 'channel' | 'messageKey'>, view: PromptView): Promise<void>;
  notifySecurity(notice: SecurityNotice): Promise<void>;
  /**
   * Posts the weekly digest to the security channel, with the trend chart as an image where the platform
   * takes one (`chart`: PNG bytes, rendered by the caller so the adapters stay free of the native renderer).
   */
  postDigest(digest: DigestModel, chart: { png: Buffer } | null): Promise<void>;
}
