import type {
  AuthService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { SupportMetricsProvider } from '@microapps/plugin-marketplace-node';
import { appEntityRef } from '../service/AppDirectory';
import type { DatabaseMetricsStore } from './DatabaseMetricsStore';
import type { MetricsIngestService } from './MetricsIngestService';
import type { SupportConfig } from './supportConfig';

const DAY_MS = 24 * 60 * 60 * 1000;
/** How far back the first pull of a provider reaches. */
export const FIRST_PULL_DAYS = 30;

/** What one provider's pull came to. */
export type PullSummary = {
  providerId: string;
  since: string;
  apps: number;
  samples: number;
  incidents: number;
  /** Batches refused as invalid (logged, skipped). */
  refused: number;
  /** Set when the pull failed; its `since` stays, so the next pull asks again. */
  failure?: string;
};

/** Every MicroApp's ref, read with the plugin's own credentials, page by page. */
export async function listMicroAppRefs(options: {
  catalog: CatalogService;
  auth: AuthService;
}): Promise<string[]> {
  const credentials = await options.auth.getOwnServiceCredentials();
  const refs: string[] = [];
  let cursor: string | undefined;
  do {
    const page = cursor
      ? await options.catalog.queryEntities(
          { cursor, limit: 500 },
          { credentials },
        )
      : await options.catalog.queryEntities(
          {
            filter: { kind: 'MicroApp' },
            fields: ['kind', 'metadata.namespace', 'metadata.name'],
            limit: 500,
          },
          { credentials },
        );
    refs.push(...page.items.map(e => appEntityRef(stringifyEntityRef(e))));
    cursor = page.pageInfo.nextCursor;
  } while (cursor);
  return refs;
}

/**
 * Pulls every metrics provider for every MicroApp and stores what it returns like
 * `POST …/metrics` does, with the provider's id as the source. Each provider is asked for what
 * came since its last successful pull (the first time: the last 30 days). A provider that
 * fails is logged and asked again from the same point next time; a batch that is invalid
 * (e.g. acknowledged before opened) or names an unknown app is logged and skipped.
 */
export class MetricsPuller {
  constructor(
    private readonly options: {
      providers: SupportMetricsProvider[];
      ingest: Pick<MetricsIngestService, 'storeFromProvider'>;
      store: Pick<DatabaseMetricsStore, 'lastPull' | 'recordPull'>;
      /** Every MicroApp's entity ref. */
      listApps: () => Promise<string[]>;
      logger: LoggerService;
      now?: () => Date;
    },
  ) {}

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  async pullAll(): Promise<PullSummary[]> {
    const { providers, logger } = this.options;
    if (!providers.length) return [];
    const entityRefs = await this.options.listApps();
    const summaries: PullSummary[] = [];
    for (const provider of providers) {
      const summary = await this.pull(provider, entityRefs);
      summaries.push(summary);
      const meta = { ...summary };
      if (summary.failure) {
        logger.error(
          `Metrics pull of ${provider.id} failed: ${summary.failure}`,
          meta,
        );
      } else {
        logger.info(
          `Metrics pull of ${provider.id}: ${summary.apps} apps, ${summary.samples} samples, ${summary.incidents} incidents`,
          meta,
        );
      }
    }
    return summaries;
  }

  private async pull(
    provider: SupportMetricsProvider,
    entityRefs: string[],
  ): Promise<PullSummary> {
    const { store, ingest, logger } = this.options;
    const started = this.now();
    const since =
      (await store.lastPull(provider.id)) ??
      new Date(started.getTime() - FIRST_PULL_DAYS * DAY_MS);
    const summary: PullSummary = {
      providerId: provider.id,
      since: since.toISOString(),
      apps: 0,
      samples: 0,
      incidents: 0,
      refused: 0,
    };
    if (!entityRefs.length) return summary;
    const known = new Set(entityRefs);
    let results;
    try {
      results = await provider.readMetrics({ entityRefs, since });
    } catch (error) {
      return { ...summary, failure: String(error) };
    }
    const apps = new Set<string>();
    for (const { entityRef, ...body } of results) {
      const ref = appEntityRef(entityRef);
      if (!known.has(ref)) {
        summary.refused += 1;
        logger.warn(
          `Metrics provider ${provider.id} returned metrics of '${entityRef}', which is no MicroApp; skipped`,
          { providerId: provider.id, entityRef },
        );
        continue;
      }
      try {
        const stored = await ingest.storeFromProvider(ref, provider.id, body);
        apps.add(ref);
        summary.samples += stored.samples;
        summary.incidents += stored.incidents;
      } catch (error) {
        if (isError(error) && error.name === 'InputError') {
          // bad data does not get better by asking again: skip it, keep pulling
          summary.refused += 1;
          logger.warn(
            `Metrics provider ${provider.id} returned invalid metrics of ${ref}: ${error.message}; skipped`,
            { providerId: provider.id, entityRef: ref },
          );
          continue;
        }
        // e.g. the database: ask for the same period again next time
        return { ...summary, apps: apps.size, failure: String(error) };
      }
    }
    summary.apps = apps.size;
    await store.recordPull(provider.id, started);
    return summary;
  }
}

/**
 * Schedules the metrics pull (task `marketplace-metrics-pull`, once per cluster, every
 * `marketplace.support.pullEvery`) when at least one provider is registered.
 */
export async function scheduleMetricsPullJob(options: {
  scheduler: SchedulerService;
  config: SupportConfig;
  puller: MetricsPuller;
  providerCount: number;
}): Promise<boolean> {
  if (!options.providerCount) return false;
  await options.scheduler.scheduleTask({
    id: 'marketplace-metrics-pull',
    scope: 'global',
    frequency: options.config.pullEvery,
    timeout: { minutes: 10 },
    initialDelay: { minutes: 1 },
    fn: async () => {
      await options.puller.pullAll();
    },
  });
  return true;
}
