/** What a CLI command may touch; tests pass their own. */
export interface CliIO {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export function processIO(): CliIO {
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}

/** Exit statuses of `ramparts scan`: 0 nothing at/above --fail-on, 1 findings, 2 error. */
export const EXIT = { ok: 0, findings: 1, error: 2 } as const;
