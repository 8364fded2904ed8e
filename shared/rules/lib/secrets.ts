import type { Subject } from '../../domain/finding.js';
import type { Secret } from '../../domain/snapshot.js';

/** A KMS secret: id is its ARN (its name when the ARN is missing), name the secret name. */
export function secretSubject(secret: Pick<Secret, 'arn' | 'name'>): Subject {
  return { type: 'secret', id: secret.arn || secret.name, name: secret.name };
}

/**
 * A tag's value: the exact key first, then the key in any case (`Owner` for `owner`), since people tag
 * by hand. Undefined when absent or blank.
 */
export function tagValue(tags: Readonly<Record<string, string>>, key: string): string | undefined {
  const exact = tags[key];
  const value = exact ?? Object.entries(tags).find(([k]) => k.toLowerCase() === key.toLowerCase())?.[1];
  return value?.trim() ? value.trim() : undefined;
}

/** `{ owner }` for evidence when the owner tag is set, so the review workflow can route the task; `{}` otherwise. */
export function ownerEvidence(secret: Pick<Secret, 'tags'>, ownerTag: string): { owner?: string } {
  const owner = tagValue(secret.tags, ownerTag);
  return owner === undefined ? {} : { owner };
}
