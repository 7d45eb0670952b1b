import DataLoader from 'dataloader';
import type { CatalogProcessorCache } from '@backstage/plugin-catalog-node';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  AppTierState,
  MarketplaceService,
} from '@microapps/plugin-marketplace-node';

const CACHE_KEY = 'marketplace-tier-state';

/**
 * Asks the marketplace backend for the tier state of the apps being processed. Lookups of
 * entities processed at about the same time go out as one request (up to 200 refs), so the
 * backend is asked once per batch rather than once per entity, and the answer is always
 * current when the labels are written.
 *
 * When the backend cannot answer, the state last seen for the entity (kept in the catalog's
 * per-entity processor cache) is used, so an outage never relabels an Enterprise app as
 * Discover; an app never seen before starts in Discover, as it would anyway.
 */
export class TierStateLoader {
  private readonly loader: DataLoader<string, AppTierState>;
  private lastFailureLog = 0;

  constructor(
    private readonly options: {
      marketplace: MarketplaceService;
      logger: LoggerService;
      batchWindowMs?: number;
    },
  ) {
    this.loader = new DataLoader(
      async refs => {
        const states = await options.marketplace.getTierStates([...refs]);
        const byRef = new Map(states.map(s => [s.entityRef, s]));
        return refs.map(
          ref =>
            byRef.get(ref) ??
            new Error(`The marketplace did not answer for '${ref}'`),
        );
      },
      {
        cache: false,
        maxBatchSize: 200,
        batchScheduleFn: callback =>
          setTimeout(callback, options.batchWindowMs ?? 5),
      },
    );
  }

  async load(
    entityRef: string,
    cache: CatalogProcessorCache | undefined,
  ): Promise<AppTierState> {
    const ref = entityRef.toLocaleLowerCase('en-US');
    try {
      const state = await this.loader.load(ref);
      await cache?.set(CACHE_KEY, state as never);
      return state;
    } catch (error) {
      const now = Date.now();
      if (now - this.lastFailureLog > 60_000) {
        this.lastFailureLog = now;
        this.options.logger.warn(
          `Could not read tier states from the marketplace backend; using the last known: ${error}`,
          { entityRef: ref },
        );
      }
      const known = (await cache?.get(CACHE_KEY)) as AppTierState | undefined;
      return (
        known ?? {
          entityRef: ref,
          tier: 'discover',
          expired: false,
          expiresAt: null,
          exceptions: [],
        }
      );
    }
  }
}
