/**
 * Environment overrides, the highest-precedence source. Each variable is checked on its own and its
 * problems are named by the variable, not by the config field it sets.
 */
import { endpointSchema, logLevelSchema, regionIdSchema, type LogLevel, type Protocol } from './fields.js';
import { SERVICES, type Config, type Service } from './schema.js';

/** Variables ramparts reads, with the field each one sets (documented in the defaults table). */
export const ENV_VARS = {
  RAMPARTS_CONFIG: 'path of the YAML config file',
  RAMPARTS_CLOUD_ENDPOINT: 'cloud.endpoints.* and cloud.protocol',
  RAMPARTS_REGION: 'cloud.regionId',
  RAMPARTS_LOG_LEVEL: 'logLevel',
} as const;

/** Validated values taken from the environment; absent keys were not set. */
export interface EnvOverrides {
  endpoint?: { protocol: Protocol; host: string };
  regionId?: string;
  logLevel?: LogLevel;
}

const ENDPOINT_FORM = 'http://host[:port] or https://host[:port] with no path or query, e.g. http://127.0.0.1:8080';

/** Empty counts as unset, as shells commonly export `VAR=` to clear a value. */
function read(env: NodeJS.ProcessEnv, name: keyof typeof ENV_VARS): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
}

/** Reads and checks every override, returning all problems rather than stopping at the first. */
export function readEnv(env: NodeJS.ProcessEnv): { overrides: EnvOverrides; issues: string[] } {
  const overrides: EnvOverrides = {};
  const issues: string[] = [];

  const endpoint = read(env, 'RAMPARTS_CLOUD_ENDPOINT');
  if (endpoint !== undefined) {
    const match = /^(https?):\/\/([^/?#]+)\/?$/i.exec(endpoint);
    const host = match?.[2];
    if (match?.[1] === undefined || host === undefined || !endpointSchema.safeParse(host).success) {
      issues.push(`RAMPARTS_CLOUD_ENDPOINT: got ${JSON.stringify(endpoint)}; set it to ${ENDPOINT_FORM}`);
    } else {
      overrides.endpoint = { protocol: match[1].toLowerCase() === 'http' ? 'http' : 'https', host };
    }
  }

  const region = read(env, 'RAMPARTS_REGION');
  if (region !== undefined) {
    const parsed = regionIdSchema.safeParse(region);
    if (parsed.success) overrides.regionId = parsed.data;
    else issues.push(`RAMPARTS_REGION: got ${JSON.stringify(region)}; must be a region id such as cn-hangzhou`);
  }

  const level = read(env, 'RAMPARTS_LOG_LEVEL');
  if (level !== undefined) {
    const parsed = logLevelSchema.safeParse(level);
    if (parsed.success) overrides.logLevel = parsed.data;
    else issues.push(`RAMPARTS_LOG_LEVEL: got ${JSON.stringify(level)}; ${parsed.error.issues[0]?.message ?? 'invalid'}`);
  }

  return { overrides, issues };
}

/** Applies validated overrides on top of a validated config (env beats file beats defaults). */
export function applyEnv(config: Config, overrides: EnvOverrides): Config {
  const { endpoint, regionId, logLevel } = overrides;
  // One emulator or proxy serves every service, so the variable sets them all.
  const endpoints =
    endpoint === undefined
      ? config.cloud.endpoints
      : (Object.fromEntries(SERVICES.map((service) => [service, endpoint.host])) as Record<Service, string>);
  return {
    ...config,
    cloud: {
      ...config.cloud,
      regionId: regionId ?? config.cloud.regionId,
      protocol: endpoint?.protocol ?? config.cloud.protocol,
      endpoints,
    },
    logLevel: logLevel ?? config.logLevel,
  };
}
