import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/**
 * Looks up Template entities for the privileges gate, remembering answers for a while so
 * that processing many apps made from one template asks the catalog once.
 */
export function createTemplateLookup(options: {
  catalog: CatalogService;
  auth: AuthService;
  ttlMs?: number;
}): (ref: string) => Promise<Entity | undefined> {
  const ttlMs = options.ttlMs ?? 60_000;
  const cache = new Map<
    string,
    { at: number; entity: Promise<Entity | undefined> }
  >();
  return async ref => {
    const hit = cache.get(ref);
    if (hit && Date.now() - hit.at < ttlMs) {
      return hit.entity;
    }
    const entity = (async () =>
      options.catalog.getEntityByRef(ref, {
        credentials: await options.auth.getOwnServiceCredentials(),
      }))();
    cache.set(ref, { at: Date.now(), entity });
    // Failures and misses are not remembered: a template ingested after its apps, as at
    // startup, must count at the apps' next processing.
    entity.then(
      found => found || cache.delete(ref),
      () => cache.delete(ref),
    );
    return entity;
  };
}
