import {
  LoggerService,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
  SchedulerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { readOsvFeedLimits } from '../gates/vulnerabilities';
import { AdvisoryFeed } from './AdvisoryFeed';

/**
 * Loads the advisory feed of `marketplace.gates.vulnerabilities.feed` once at startup and
 * then on its schedule (`.schedule`, default every 6 hours). Each backend instance keeps
 * its own index in memory, so the refresh runs on every instance (`scope: 'local'`).
 * Without a configured feed the gate reports `error`, never `pass`. Loads are bounded by
 * `.limits` (files, bytes, nesting depth, and the time to read a URL).
 */
export async function startAdvisoryFeed(options: {
  config: Config;
  logger: LoggerService;
  urlReader: UrlReaderService;
  scheduler: SchedulerService;
}): Promise<AdvisoryFeed | undefined> {
  const { config, logger, urlReader, scheduler } = options;
  const feedConfig = config.getOptionalConfig(
    'marketplace.gates.vulnerabilities',
  );
  const source = feedConfig?.getOptionalString('feed');
  if (!source) {
    logger.warn(
      'No advisory feed configured (marketplace.gates.vulnerabilities.feed): the vulnerabilities gate reports an error for every app',
    );
    return undefined;
  }
  const { timeoutMs, ...limits } = readOsvFeedLimits({
    config: feedConfig?.getOptionalConfig('limits'),
  });
  const feed = new AdvisoryFeed({
    source,
    urlReader,
    logger: logger.child({ feed: source }),
    limits,
    timeoutMs,
  });
  await feed.refresh();
  const schedule = feedConfig?.has('schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        feedConfig.getConfig('schedule'),
      )
    : {
        frequency: { hours: 6 },
        timeout: { minutes: 15 },
        initialDelay: { hours: 6 },
      };
  await scheduler.scheduleTask({
    id: 'marketplace-advisory-feed-refresh',
    scope: 'local',
    ...schedule,
    fn: () => feed.refresh(),
  });
  return feed;
}
