import { invalidParameter, missingParameter } from './errors.js';

/**
 * Request parameters of one call: the query string merged with an `application/x-www-form-urlencoded`
 * body (RPC APIs accept both). Names are the wire names (`UserName`, `MaxItems`).
 */
export class Params {
  constructor(private readonly values: ReadonlyMap<string, string>) {}

  /** The value, or undefined when absent or empty (the SDK never sends empty strings for unset fields). */
  get(name: string): string | undefined {
    const v = this.values.get(name);
    return v === undefined || v === '' ? undefined : v;
  }

  /** The value; 400 `Missing<Name>` when absent. */
  required(name: string): string {
    const v = this.get(name);
    if (v === undefined) throw missingParameter(name);
    return v;
  }

  /** A boolean sent as `true`/`false`; undefined when absent, 400 `InvalidParameter.<Name>` otherwise. */
  bool(name: string): boolean | undefined {
    const raw = this.get(name);
    if (raw === undefined) return undefined;
    if (raw !== 'true' && raw !== 'false') throw invalidParameter(name, 'it must be true or false.');
    return raw === 'true';
  }

  /** One of `allowed`; undefined when absent, 400 `InvalidParameter.<Name>` otherwise. */
  oneOf<T extends string>(name: string, allowed: readonly T[]): T | undefined {
    const raw = this.get(name);
    if (raw === undefined) return undefined;
    if (!(allowed as readonly string[]).includes(raw)) throw invalidParameter(name, `it must be one of ${allowed.join(', ')}.`);
    return raw as T;
  }

  /** An integer within [min, max], `def` when absent; 400 `InvalidParameter.<Name>` otherwise. */
  int(name: string, min: number, max: number, def: number): number {
    const raw = this.get(name);
    if (raw === undefined) return def;
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n < min || n > max) throw invalidParameter(name, `it must be an integer from ${min} to ${max}.`);
    return n;
  }
}

/** Parses `a=1&b=2` the way form decoding does (`+` is a space), keeping the last value of a repeated name. */
export function parseForm(text: string, into = new Map<string, string>()): Map<string, string> {
  if (text === '') return into;
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const k = eq < 0 ? pair : pair.slice(0, eq);
    const v = eq < 0 ? '' : pair.slice(eq + 1);
    into.set(decode(k), decode(v));
  }
  return into;
}

function decode(s: string): string {
  try {
    return decodeURIComponent(s.replace(/\+/g, ' '));
  } catch {
    return s;
  }
}
