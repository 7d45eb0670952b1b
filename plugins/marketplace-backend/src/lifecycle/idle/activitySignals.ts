import type { Entity } from '@backstage/catalog-model';
import type { ActivitySignal } from '@microapps/plugin-marketplace-node';
import { canonicalJson, sha256Hex } from '../../audit/auditHash';
import type { DatabaseActivityStore, KnownApp } from './DatabaseActivityStore';

/** Ids of the built-in signals; a module's signal may not take them. */
export const CATALOG_SIGNAL = 'catalog';
export const USAGE_SIGNAL = 'usage';

/**
 * What the owners control of an app in the catalog: its manifest (metadata without the
 * labels we write and the ids and etag the catalog changes on every write, and its spec) and
 * the digest of its SBOM. The gate runs' input hash is no measure of this: it also changes
 * with the vulnerability feed, exceptions and gate settings.
 */
export function catalogFingerprint(
  entity: Entity,
  sbomSha256: string | undefined,
): string {
  const { labels, uid, etag, generation, ...metadata } =
    entity.metadata as Entity['metadata'] & { generation?: number };
  return sha256Hex(
    canonicalJson({
      metadata,
      spec: entity.spec ?? {},
      sbom: sbomSha256 ?? null,
    }),
  );
}

/**
 * The `catalog` signal: when the app was registered or last changed in the catalog. Changes
 * are seen by the idle job, which fingerprints every app on each run (`observe`).
 */
export class CatalogActivitySignal implements ActivitySignal {
  readonly id = CATALOG_SIGNAL;

  constructor(private readonly store: DatabaseActivityStore) {}

  lastActivity(entityRefs: string[]): Promise<Map<string, Date>> {
    return this.store.catalogActivity(entityRefs);
  }

  /** Records the apps' current fingerprints; returns the refs that changed since the last run. */
  observe(
    apps: Array<{ app: KnownApp; entity: Entity }>,
    now: Date,
  ): Promise<string[]> {
    return this.store.observeCatalog(
      apps.map(({ app, entity }) => {
        const { record, latestRunAt } = app;
        // first sighting: nothing older can be told apart from gate re-evaluations
        const candidates = [record.firstSeenAt, latestRunAt]
          .filter((t): t is string => !!t)
          .map(t => new Date(t).getTime());
        return {
          entityRef: record.entityRef,
          fingerprint: catalogFingerprint(entity, app.sbomSha256),
          baseline: new Date(Math.max(...candidates)),
        };
      }),
      now,
    );
  }
}

/** The `usage` signal: the newest use reported through `POST /apps/{namespace}/{name}/usage`. */
export class UsageActivitySignal implements ActivitySignal {
  readonly id = USAGE_SIGNAL;

  constructor(private readonly store: DatabaseActivityStore) {}

  lastActivity(entityRefs: string[]): Promise<Map<string, Date>> {
    return this.store.usageActivity(entityRefs);
  }
}
