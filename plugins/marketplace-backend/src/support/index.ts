import type {
  AuthService,
  DatabaseService,
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  MarketplaceSupportExtensionPoint,
  SupportMetricsProvider,
} from '@microapps/plugin-marketplace-node';
import type { AppDirectory } from '../service/AppDirectory';
import { DatabaseMetricsStore } from './DatabaseMetricsStore';
import { MetricsIngestService } from './MetricsIngestService';
import {
  listMicroAppRefs,
  MetricsPuller,
  scheduleMetricsPullJob,
} from './MetricsPuller';
import { SlaFigures } from './SlaFigures';
import { readSupportConfig } from './supportConfig';

export { SlaFigures } from './SlaFigures';
export { MetricsIngestService } from './MetricsIngestService';

/** The metrics providers that modules add through `marketplaceSupportExtensionPoint`. */
export class MetricsProviderRegistry
  implements MarketplaceSupportExtensionPoint
{
  readonly #providers = new Map<string, SupportMetricsProvider>();
  #locked = false;

  addMetricsProvider(...providers: SupportMetricsProvider[]): void {
    if (this.#locked) {
      throw new Error(
        'Metrics providers must be added before the marketplace backend starts',
      );
    }
    for (const provider of providers) {
      if (!provider.id?.trim()) {
        throw new Error('A metrics provider needs an id');
      }
      if (this.#providers.has(provider.id)) {
        // the id is the metrics' source: two providers with one id would overwrite each other
        throw new Error(`Metrics provider '${provider.id}' is added twice`);
      }
      this.#providers.set(provider.id, provider);
    }
  }

  /** The providers, once every module has registered. */
  lock(): SupportMetricsProvider[] {
    this.#locked = true;
    return [...this.#providers.values()];
  }
}

/**
 * Support and SLA: reads `marketplace.support` (refusing bad values), and returns the
 * metrics route's service and the SLA figures; schedules `marketplace-metrics-pull` when a
 * metrics provider is registered.
 */
export async function createSupport(options: {
  config: RootConfigService;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  auth: AuthService;
  catalog: CatalogService;
  directory: AppDirectory;
  registry: MetricsProviderRegistry;
}) {
  const supportConfig = readSupportConfig(options.config);
  // the tables come with the marketplace migrations, run by DatabaseMarketplaceStore.create
  const store = new DatabaseMetricsStore(await options.database.getClient());
  const ingest = new MetricsIngestService({
    store,
    directory: options.directory,
    logger: options.logger,
  });
  const providers = options.registry.lock();
  await scheduleMetricsPullJob({
    scheduler: options.scheduler,
    config: supportConfig,
    providerCount: providers.length,
    puller: new MetricsPuller({
      providers,
      ingest,
      store,
      listApps: () =>
        listMicroAppRefs({ catalog: options.catalog, auth: options.auth }),
      logger: options.logger,
    }),
  });
  return {
    ingest,
    slaFigures: new SlaFigures({
      store,
      slaTargets: supportConfig.slaTargets,
    }),
  };
}
