/** A ChatPort test double that records every call, so tests can assert exactly what people were sent. */
import type { ChatPort, PromptView, SecurityNotice } from '../../../shared/chat/port.js';
import type { DigestModel } from '../../../shared/digest/types.js';
import type { MessageRef } from '../../../shared/store/port.js';

type Ref = Pick<MessageRef, 'channel' | 'messageKey'>;

export class RecordingChat implements ChatPort {
  readonly platform = 'console' as const;
  posts: Array<{ ref: Ref; view: PromptView }> = [];
  updates: Array<{ ref: Ref; view: PromptView }> = [];
  notices: SecurityNotice[] = [];
  /** Recipients whose messages fail, to exercise delivery failures. */
  failFor = new Set<string>();

  async postPrompt(view: PromptView): Promise<Ref> {
    if (this.failFor.has(view.recipient.id)) throw new Error(`chat down for ${view.recipient.id}`);
    const ref = { channel: `D-${view.recipient.id}`, messageKey: `m${this.posts.length + 1}` };
    this.posts.push({ ref, view });
    return ref;
  }

  async updatePrompt(ref: Ref, view: PromptView): Promise<void> {
    this.updates.push({ ref, view });
  }

  async notifySecurity(notice: SecurityNotice): Promise<void> {
    this.notices.push(notice);
  }

  digests: Array<{ digest: DigestModel; chart: { png: Buffer } | null }> = [];

  async postDigest(digest: DigestModel, chart: { png: Buffer } | null): Promise<void> {
    this.digests.push({ digest, chart });
  }

  /** Posts per recipient id, e.g. `{ alice: 1, dave: 1 }`. */
  postsByRecipient(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { view } of this.posts) counts[view.recipient.id] = (counts[view.recipient.id] ?? 0) + 1;
    return counts;
  }

  clear(): void {
    this.posts = [];
    this.updates = [];
    this.notices = [];
    this.failFor.clear();
  }
}
