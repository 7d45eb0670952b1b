import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { MetricsIngestRequest } from '@microapps/plugin-marketplace-common';
import { AppDirectory, appEntityRef, AppRef } from '../service/AppDirectory';
import { knownAppRef, serviceSubject } from '../service/reportingService';
import type { DatabaseMetricsStore } from './DatabaseMetricsStore';
import { validateMetrics } from './validateMetrics';

/** How many samples and incidents were stored (after duplicates in the request merged). */
export type MetricsIngestResult = { samples: number; incidents: number };

/**
 * Stores operational metrics of apps: what monitoring services post to
 * `POST /apps/{namespace}/{name}/metrics` and what the metrics providers return. Samples are
 * far too many for the audit log; each stored batch is logged instead.
 */
export class MetricsIngestService {
  constructor(
    private readonly options: {
      store: Pick<DatabaseMetricsStore, 'store'>;
      directory: Pick<AppDirectory, 'getApps'>;
      logger: LoggerService;
      /** The clock; tests move it. */
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  /**
   * The route: only services (another backend plugin, or a static token of
   * `backend.auth.externalAccess`) may post; their subject is the metrics' source. At most
   * 10,000 samples and 1,000 incidents; all or nothing.
   */
  async ingest(
    ref: AppRef,
    body: MetricsIngestRequest,
    credentials: BackstageCredentials,
  ): Promise<MetricsIngestResult> {
    const source = serviceSubject(
      credentials,
      'Metrics are posted by services, not users: call with a backend plugin token or a static token of backend.auth.externalAccess',
    );
    const now = this.now();
    const batch = validateMetrics(body, { now, bounded: true });
    const entityRef = await knownAppRef(this.options.directory, ref);
    return this.store(entityRef, source, batch, now);
  }

  /**
   * A provider's metrics of one app, checked like the route's (without the per-request
   * bounds) and stored in one transaction with the provider's id as the source.
   */
  async storeFromProvider(
    entityRef: string,
    providerId: string,
    body: MetricsIngestRequest,
  ): Promise<MetricsIngestResult> {
    const now = this.now();
    const batch = validateMetrics(body, { now, bounded: false });
    return this.store(appEntityRef(entityRef), providerId, batch, now);
  }

  private async store(
    entityRef: string,
    source: string,
    batch: ReturnType<typeof validateMetrics>,
    now: Date,
  ): Promise<MetricsIngestResult> {
    const stored = await this.options.store.store(
      entityRef,
      source,
      batch,
      now,
    );
    this.options.logger.info(
      `Stored metrics of ${entityRef} from ${source}: ${stored.samples} samples, ${stored.incidents} incidents`,
      { entityRef, source, ...stored },
    );
    return stored;
  }
}
