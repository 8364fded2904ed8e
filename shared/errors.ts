/**
 * Errors carry a code, an exit status for the CLI and a cause; the message says what to do
 * (STYLE §8). Messages never contain secrets.
 */
export class RampartsError extends Error {
  readonly code: string;
  /** Process exit status when this error ends a CLI command. */
  readonly exitCode: number;

  constructor(code: string, message: string, options: { cause?: unknown; exitCode?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? 2;
  }
}

/** Bad configuration: every problem found, each naming its field path. */
export class ConfigError extends RampartsError {
  readonly issues: string[];

  constructor(issues: string[], options: { cause?: unknown } = {}) {
    super(
      'CONFIG_INVALID',
      issues.length === 1 ? `invalid configuration: ${issues[0]}` : `invalid configuration:\n  - ${issues.join('\n  - ')}`,
      options,
    );
    this.issues = issues;
  }
}

/** A cloud call that failed after retries, or could not be made at all (endpoint, credentials). */
export class CloudError extends RampartsError {
  readonly action: string;
  readonly cloudCode: string | undefined;

  constructor(action: string, message: string, options: { cause?: unknown; cloudCode?: string; code?: string } = {}) {
    super(options.code ?? 'CLOUD_CALL_FAILED', message, options);
    this.action = action;
    this.cloudCode = options.cloudCode;
  }
}
