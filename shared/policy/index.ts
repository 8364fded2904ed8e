/** RAM policy language: parsing, wildcard matching, evaluation, privilege and trust analysis. */
export * from './document.js';
export * from './errors.js';
export * from './evaluate.js';
export * from './privilege.js';
export * from './trust.js';
export * from './wildcard.js';
