/**
 * Reusable field schemas for the configuration. Each carries its own message so a failing value tells
 * the reader what to write instead (STYLE §8).
 */
import { z } from 'zod';

/** Log levels, as pino names them (the logger is pino). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Wire protocols the Alibaba Cloud SDK accepts in `Config.protocol`. */
export const PROTOCOLS = ['https', 'http'] as const;
export type Protocol = (typeof PROTOCOLS)[number];

/** An integer in `[min, max]`, with the range in every message. */
export function intIn(min: number, max: number) {
  const error = `must be a whole number from ${min} to ${max}`;
  return z.int({ error }).min(min, { error }).max(max, { error });
}

export const logLevelSchema = z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` });

export const protocolSchema = z.enum(PROTOCOLS, { error: `must be one of ${PROTOCOLS.join(', ')}` });

/** Region ids look like `cn-hangzhou`, `ap-southeast-1`, `cn-shanghai-finance-1`. */
export const regionIdSchema = z
  .string({ error: 'must be a region id such as cn-hangzhou' })
  .regex(/^[a-z]{2,}(?:-[a-z0-9]+)+$/, { error: 'must be a region id such as cn-hangzhou' });

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
/** A DNS name or IPv4 address, or a bracketed IPv6 literal; then an optional port. */
const HOST_PORT = /^(?:\[[0-9a-f:.]+\]|[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?)(?::(\d{1,5}))?$/i;

/**
 * `host` or `host:port`. The SDK's `Config.endpoint` takes no scheme (a scheme there yields URLs like
 * `https://http://…`; reference/alibaba-cloud-api.md "SDK gotchas" 4), so one is refused with a hint.
 */
export const endpointSchema = z.string({ error: 'must be "host" or "host:port"' }).superRefine((value, ctx) => {
  const scheme = SCHEME.exec(value);
  if (scheme) {
    const rest = value.slice(scheme[0].length).replace(/\/.*$/, '');
    ctx.addIssue({
      code: 'custom',
      message: `drop the scheme: write "${rest}" and set cloud.protocol, or set RAMPARTS_CLOUD_ENDPOINT=${value} to override every service`,
    });
    return;
  }
  const match = HOST_PORT.exec(value);
  const port = match?.[1] === undefined ? undefined : Number(match[1]);
  if (!match || (port !== undefined && (port < 1 || port > 65535))) {
    ctx.addIssue({ code: 'custom', message: 'must be "host" or "host:port" (port 1-65535), e.g. ram.aliyuncs.com' });
  }
});

/** A calendar date `YYYY-MM-DD` (YAML 1.2 keeps an unquoted date a string, so no Date objects appear). */
export const isoDateSchema = z.iso.date({ error: 'must be a date written YYYY-MM-DD, e.g. 2025-06-30' });

/** A string that is not blank once trimmed. */
export function nonBlank(what: string) {
  return z
    .string({ error: (iss) => (iss.input === undefined ? `is required: ${what}` : `must be text: ${what}`) })
    .trim()
    .min(1, { error: `must not be empty: ${what}` });
}
