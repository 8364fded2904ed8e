/**
 * The small key/value cache adapters use (backed by StoreTx.getCache/setCache in production), and the
 * Slack keys kept in it. Both directions are cached: email → member id saves users.lookupByEmail on the
 * next post, member id → person id lets the interact handler recognise a clicker whose Slack id is not
 * in the config.
 */

export interface KeyValueCache {
  get(key: string): Promise<string | null>;
  set(key: string, value: string): Promise<void>;
}

/** In-memory cache, for tests, the demo and the console adapter. */
export function memoryCache(initial: Record<string, string> = {}): KeyValueCache & { entries(): Record<string, string> } {
  const map = new Map(Object.entries(initial));
  return {
    get: async (key) => map.get(key) ?? null,
    set: async (key, value) => {
      map.set(key, value);
    },
    entries: () => Object.fromEntries(map),
  };
}

/** Slack member id found for an email (emails compared lower-case). */
export const slackIdByEmailKey = (email: string): string => `slack:email:${email.trim().toLowerCase()}`;
/** Person id for a Slack member id learned from a lookup. */
export const personBySlackIdKey = (slackUserId: string): string => `slack:user:${slackUserId}`;
