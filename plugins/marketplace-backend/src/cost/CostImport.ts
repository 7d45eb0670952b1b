import type {
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { HumanDuration } from '@backstage/types';
import type { CostProvider } from '@microapps/plugin-marketplace-node';
import type {
  DatabaseCostStore,
  ReplaceCostsResult,
} from '../database/DatabaseCostStore';

/** What one import run did. */
export type CostImportRun = {
  /** Batches stored, per source. */
  stored: Array<{ provider: string; source: string } & ReplaceCostsResult>;
  /** Providers whose read failed, and batches that could not be stored. */
  failures: Array<{ provider: string; source?: string; error: string }>;
  /** Alerts fired by the check after the import; undefined when the check failed. */
  alertsFired?: number;
};

/**
 * The cost import: reads every provider, stores each batch (one transaction each, replacing
 * what its source had), then runs the overrun alert check. A failing provider or batch is
 * logged and the others still go in; the alert check runs whatever failed.
 */
export class CostImporter {
  constructor(
    private readonly options: {
      providers: CostProvider[];
      costs: Pick<DatabaseCostStore, 'replaceCosts'>;
      alerts?: { runOnce(): Promise<number> };
      logger: LoggerService;
      /** Batches in another currency are stored, but figures and alerts count only this one. */
      currency: string;
      now?: () => Date;
    },
  ) {}

  async runOnce(): Promise<CostImportRun> {
    const { providers, costs, alerts, logger, currency } = this.options;
    const run: CostImportRun = { stored: [], failures: [] };
    for (const provider of providers) {
      let batches;
      try {
        batches = await provider.readCosts();
      } catch (e) {
        const error = e instanceof Error ? e.message : String(e);
        logger.error(`Cost provider '${provider.id}' failed: ${error}`);
        run.failures.push({ provider: provider.id, error });
        continue;
      }
      for (const batch of batches) {
        const { source } = batch;
        try {
          // sources of different providers never overwrite each other
          if (!source?.startsWith(`${provider.id}:`)) {
            throw new Error(
              `source '${source}' does not start with '${provider.id}:'`,
            );
          }
          const result = await costs.replaceCosts(
            source,
            batch.totals,
            this.options.now?.() ?? new Date(),
            batch.costCenterTotals ?? [],
          );
          run.stored.push({ provider: provider.id, source, ...result });
          const others = [
            ...new Set(
              [...batch.totals, ...(batch.costCenterTotals ?? [])]
                .map(t => t.currency)
                .filter(c => c !== currency),
            ),
          ];
          const message = `Stored costs of ${source}: ${result.inserted} inserted, ${result.updated} updated, ${result.unchanged} unchanged, ${result.deleted} deleted`;
          if (others.length) {
            logger.warn(
              `${message}; amounts in ${others.join(
                ', ',
              )} are not counted (marketplace.cost.currency is ${currency})`,
              { provider: provider.id, source, ...result },
            );
          } else {
            logger.info(message, { provider: provider.id, source, ...result });
          }
        } catch (e) {
          const error = e instanceof Error ? e.message : String(e);
          logger.error(
            `Cost batch ${source} of provider '${provider.id}' was not stored: ${error}`,
          );
          run.failures.push({ provider: provider.id, source, error });
        }
      }
    }
    if (alerts) {
      try {
        run.alertsFired = await alerts.runOnce();
      } catch (e) {
        logger.error(`Cost alert check failed: ${e}`);
      }
    }
    return run;
  }
}

/**
 * Schedules the cost import (task `marketplace-cost-import`, once per cluster) when there is
 * at least one provider; returns whether it did.
 */
export async function scheduleCostImportJob(options: {
  scheduler: SchedulerService;
  importer: CostImporter;
  providers: CostProvider[];
  frequency: HumanDuration;
}): Promise<boolean> {
  if (!options.providers.length) return false;
  await options.scheduler.scheduleTask({
    id: 'marketplace-cost-import',
    scope: 'global',
    frequency: options.frequency,
    timeout: { minutes: 30 },
    // soon after startup, so a new portal shows its costs; alerts for apps the catalog has
    // not ingested yet follow on the next run
    initialDelay: { seconds: 15 },
    fn: async () => {
      await options.importer.runOnce();
    },
  });
  return true;
}
