import { policyKey, policyLabel } from '../../domain/access.js';
import type { RamPolicy } from '../../domain/snapshot.js';
import { tryParsePolicy, type PolicyDocument } from '../../policy/index.js';

/** A parsed document, or why there is none (not collected, or unreadable). */
export type DocumentRead = { ok: true; doc: PolicyDocument } | { ok: false; reason: string };

/**
 * A memoizing reader of policy documents for one rule evaluation: a system policy such as
 * AdministratorAccess applies to thousands of users and is parsed once.
 */
export function documentReader(): (policy: RamPolicy) => DocumentRead {
  const memo = new Map<string, DocumentRead>();
  return (policy) => {
    const key = policyKey(policy);
    let read = memo.get(key);
    if (!read) {
      if (policy.document === null) read = { ok: false, reason: `document of ${policyLabel(policy)} was not collected` };
      else {
        const parsed = tryParsePolicy(policy.document);
        read = parsed instanceof Error ? { ok: false, reason: `${policyLabel(policy)}: ${parsed.message}` } : { ok: true, doc: parsed };
      }
      memo.set(key, read);
    }
    return read;
  };
}
