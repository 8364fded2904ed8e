import { RampartsError } from '../errors.js';

/** SQLSTATE of a PostgreSQL error (pg and PGlite both put it in `code`). */
export function sqlState(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}

/** Serialization failure or deadlock: the transaction can simply be run again. */
export function isRetryable(err: unknown): boolean {
  const state = sqlState(err);
  return state === '40001' || state === '40P01';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EPIPE']);

/** Could not connect, authenticate, find the database, or the server went away. */
export function isConnectionError(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  const state = sqlState(err);
  if (state && (state.startsWith('08') || state.startsWith('28') || state === '3D000' || state.startsWith('57P'))) return true;
  const message = err instanceof Error ? err.message : '';
  // pg's own wording when a connect times out or the socket closes under it.
  return /timeout expired|Connection terminated|connection timeout/i.test(message);
}

/**
 * A store that cannot be reached. `where` names the host or path (never a password); `check` says
 * what to look at. The cause is kept for logs.
 */
export function storeUnavailable(where: string, check: string, cause: unknown, secret?: string): RampartsError {
  let reason = cause instanceof Error ? cause.message : String(cause);
  if (secret) reason = reason.split(secret).join('***');
  return new RampartsError('STORE_UNAVAILABLE', `cannot use the store at ${where}: ${reason}. ${check}`, { cause });
}

/** Unique violations become STORE_CONFLICT with what collided; anything else is rethrown. */
export function rethrowConflict(err: unknown, what: string): never {
  if (sqlState(err) === '23505') {
    throw new RampartsError('STORE_CONFLICT', `${what} already exists (${(err as Error).message})`, { cause: err });
  }
  throw err;
}
