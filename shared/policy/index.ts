/** RAM policy language: parsing, wildcard matching, evaluation, effective permissions, decisions, action catalog, privilege and trust analysis, least-privilege narrowing. */
export * from './catalog.js';
export * from './decide.js';
export * from './document.js';
export * from './effective.js';
export * from './errors.js';
export * from './evaluate.js';
export * from './narrow.js';
export * from './prove.js';
export * from './line-diff.js';
export * from './privilege.js';
export * from './trust.js';
export * from './wildcard.js';
