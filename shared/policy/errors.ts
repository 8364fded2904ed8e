import { RampartsError } from '../errors.js';

/**
 * A policy or trust document that is not valid JSON or not a RAM policy shape. Rules turn it into an
 * `unknown` verdict for the subject, never a pass: a document we cannot read may grant anything.
 */
export class PolicyParseError extends RampartsError {
  /** Where in the document the problem is, e.g. `Statement[2].Effect`; empty for invalid JSON. */
  readonly at: string;

  constructor(at: string, message: string, options: { cause?: unknown } = {}) {
    super('POLICY_INVALID', at ? `policy document ${at}: ${message}` : `policy document: ${message}`, options);
    this.at = at;
  }
}
