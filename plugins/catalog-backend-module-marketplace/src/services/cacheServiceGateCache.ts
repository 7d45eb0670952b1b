import type { CacheService } from '@backstage/backend-plugin-api';
import type { JsonValue } from '@backstage/types';
import type { GateCache } from '@microapps/plugin-marketplace-node';

/** How long expensive gate results are kept when a gate does not say. */
const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

/** Bound of the in-process layer, in characters of JSON (about bytes). */
const DEFAULT_MEMORY_CHARS = 64 * 1024 * 1024;

/**
 * Gate cache on Backstage's cache service (in memory by default, shared between instances
 * with Redis or Memcache), with a bounded in-process layer in front: the catalog
 * reprocesses every app every few minutes, and deserialising a large SBOM's facts each time
 * would cost more than the gates themselves. Values are shared, so gates must not mutate
 * what they get.
 */
export function cacheServiceGateCache(
  cache: CacheService,
  options: { maxMemoryChars?: number } = {},
): GateCache {
  const shared = cache.withOptions({ defaultTtl: DEFAULT_TTL_MS });
  const maxChars = options.maxMemoryChars ?? DEFAULT_MEMORY_CHARS;
  const memory = new Map<
    string,
    { value: JsonValue; chars: number; expires: number }
  >();
  let chars = 0;

  const forget = (key: string) => {
    const entry = memory.get(key);
    if (entry) {
      chars -= entry.chars;
      memory.delete(key);
    }
  };

  const remember = (key: string, value: JsonValue, ttlMs: number) => {
    const size = key.length + JSON.stringify(value).length;
    if (size > maxChars / 4) return; // one entry may not push out everything else
    forget(key);
    memory.set(key, { value, chars: size, expires: Date.now() + ttlMs });
    chars += size;
    // Map keeps insertion order: the first entries are the least recently used
    for (const [oldest] of memory) {
      if (chars <= maxChars) break;
      forget(oldest);
    }
  };
  return {
    async get<T extends JsonValue>(key: string): Promise<T | undefined> {
      const entry = memory.get(key);
      if (entry && entry.expires > Date.now()) {
        memory.delete(key);
        memory.set(key, entry);
        return entry.value as T;
      }
      const value = (await shared.get(key)) as T | undefined;
      if (value !== undefined) remember(key, value, DEFAULT_TTL_MS);
      return value;
    },
    async set(key, value, setOptions) {
      const ttlMs = setOptions?.ttlMs ?? DEFAULT_TTL_MS;
      remember(key, value, ttlMs);
      await shared.set(key, value, { ttl: ttlMs });
    },
  };
}
