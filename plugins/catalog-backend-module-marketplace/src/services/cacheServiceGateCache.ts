import type { CacheService } from '@backstage/backend-plugin-api';
import type { GateCache } from '@microapps/plugin-marketplace-node';

/** How long expensive gate results are kept when a gate does not say. */
const DEFAULT_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Gate cache on Backstage's cache service: in memory by default, shared between instances
 * when the backend is configured with Redis or Memcache.
 */
export function cacheServiceGateCache(cache: CacheService): GateCache {
  const gateCache = cache.withOptions({ defaultTtl: DEFAULT_TTL_MS });
  return {
    get: key => gateCache.get(key) as any,
    set: (key, value, options) =>
      gateCache.set(
        key,
        value,
        options?.ttlMs ? { ttl: options.ttlMs } : undefined,
      ),
  };
}
