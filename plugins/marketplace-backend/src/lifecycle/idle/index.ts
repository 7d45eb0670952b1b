import type {
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type {
  ActivitySignal,
  MarketplaceLifecycleExtensionPoint,
} from '@microapps/plugin-marketplace-node';
import type { AppDirectory } from '../../service/AppDirectory';
import type { ChangeRunner } from '../../service/workflow/ChangeRunner';
import {
  CATALOG_SIGNAL,
  CatalogActivitySignal,
  USAGE_SIGNAL,
  UsageActivitySignal,
} from './activitySignals';
import { DatabaseActivityStore } from './DatabaseActivityStore';
import { IdleDetectionJob, scheduleIdleDetectionJob } from './IdleDetectionJob';
import { IdleDetector } from './IdleDetector';
import { readIdleConfig } from './readIdleConfig';
import { UsageService } from './UsageService';

export type { LastActivity } from './IdleDetector';
export { IdleDetector } from './IdleDetector';
export { UsageService } from './UsageService';

/**
 * The signals modules add through `marketplaceLifecycleExtensionPoint`. An id that is taken
 * (by a built-in signal or another module) is refused at startup.
 */
export class ActivitySignalRegistry
  implements MarketplaceLifecycleExtensionPoint
{
  readonly signals: ActivitySignal[] = [];

  addActivitySignal(...signals: ActivitySignal[]): void {
    for (const signal of signals) {
      const taken = [
        CATALOG_SIGNAL,
        USAGE_SIGNAL,
        ...this.signals.map(s => s.id),
      ];
      if (!signal?.id || taken.includes(signal.id)) {
        throw new Error(
          `Activity signal id '${signal?.id}' is ${
            signal?.id ? 'taken' : 'missing'
          }; ids in use: ${taken.join(', ')}`,
        );
      }
      this.signals.push(signal);
    }
  }
}

/**
 * Idle detection: the built-in signals plus the modules' ones, the detector the marketplace
 * service reads, the usage route's service, and the scheduled job.
 */
export async function createIdleDetection(options: {
  config: Config;
  database: DatabaseService;
  scheduler: SchedulerService;
  logger: LoggerService;
  directory: AppDirectory;
  changes: ChangeRunner;
  registry: ActivitySignalRegistry;
}) {
  const { config, database, scheduler, logger, directory, changes } = options;
  const idleConfig = readIdleConfig(config);
  // the marketplace store ran the migrations already
  const store = new DatabaseActivityStore(await database.getClient());
  const catalogSignal = new CatalogActivitySignal(store);
  const detector = new IdleDetector({
    store,
    signals: [
      catalogSignal,
      new UsageActivitySignal(store),
      ...options.registry.signals,
    ],
    logger,
  });
  const job = new IdleDetectionJob({
    store,
    detector,
    catalogSignal,
    directory,
    changes,
    logger,
    config: idleConfig,
  });
  await scheduleIdleDetectionJob({
    scheduler,
    logger,
    job,
    config: idleConfig,
  });
  const usage = new UsageService({
    store,
    directory,
    changes,
    idleAfterDays: idleConfig.idleAfterDays,
  });
  return { detector, usage, job };
}
