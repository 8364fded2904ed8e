export type { Directory, OwnerRef, Ownership, OwnerSource, Person } from './types.js';
export { OWNER_SOURCES } from './types.js';
export { createDirectory } from './directory.js';
export { parseOwner, resolveOwner, type OwnerRule, type ResolveOwnerOptions } from './ownership.js';
export { answerersFor, assigneesFor, isMember, managerOf, ownerLabel } from './relations.js';
