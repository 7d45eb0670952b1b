import type {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import type { HumanDuration } from '@backstage/types';
import type { ExpiryService } from './ExpiryService';

const KEY = 'marketplace.tiers.discover.expiryCheck';

/** How often the expiry job runs: `marketplace.tiers.discover.expiryCheck`, default 30 minutes. */
export function readExpiryCheck(config: RootConfigService): HumanDuration {
  if (!config.has(KEY)) return { minutes: 30 };
  // a HumanDuration object or an ISO 8601 duration string such as PT30M
  return readDurationFromConfig(config, { key: KEY });
}

/**
 * Schedules the Discover expiry job (warn the owners, then expire). The scheduler runs it once
 * per cluster; a run repeated or overlapping a crash sends nothing twice.
 */
export async function scheduleExpiryJob(options: {
  scheduler: SchedulerService;
  config: RootConfigService;
  logger: LoggerService;
  expiry: ExpiryService;
}) {
  const { scheduler, config, logger, expiry } = options;
  const frequency = readExpiryCheck(config);
  await scheduler.scheduleTask({
    id: 'marketplace-discover-expiry',
    scope: 'global',
    frequency,
    timeout: { minutes: 10 },
    initialDelay: { seconds: 30 },
    fn: async () => {
      const { warned, expired } = await expiry.runOnce();
      if (warned || expired) {
        logger.info(
          `Discover expiry: ${warned} owners warned, ${expired} apps expired`,
          { warned, expired },
        );
      }
    },
  });
}
